import { LightningElement, wire } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import listScenarios from '@salesforce/apex/CapacityScenarioController.listScenarios';
import getScenario from '@salesforce/apex/CapacityScenarioController.getScenario';
import getEditorOptions from '@salesforce/apex/CapacityScenarioController.getEditorOptions';
import saveScenario from '@salesforce/apex/CapacityScenarioController.saveScenario';
import saveChange from '@salesforce/apex/CapacityScenarioController.saveChange';
import deleteChange from '@salesforce/apex/CapacityScenarioController.deleteChange';
import runScenario from '@salesforce/apex/CapacityScenarioController.runScenario';
import { formatAge, formatDate } from 'c/handoffFormat';

/** How often, and how many times, a running scenario is polled. */
export const POLL_MS = 2000;
export const POLLS = 90;

export const CHANGE_TYPES = ['Include Deal', 'Exclude Deal', 'Shift Start', 'Set Probability', 'Add Deal'];
const DEAL_TYPES = new Set(['Include Deal', 'Exclude Deal', 'Shift Start', 'Set Probability']);
const STATUS_CLASSES = {
  Completed: 'slds-theme_success',
  Failed: 'slds-theme_error',
  Queued: 'slds-theme_warning',
  Running: 'slds-theme_warning'
};

/**
 * Capacity page: the what-if scenarios the user can see, with their status; open one to edit its changes, run it
 * (the capacity service computes it and the heatmap shows it beside the baseline), or share it from its record.
 */
export default class CapacityScenarios extends NavigationMixin(LightningElement) {
  scenarios;
  error;
  loaded = false;
  options = { deals: [], templates: [] };
  selected;
  selectedError;
  newName = '';
  draft = { type: 'Shift Start' };
  polls = 0;
  pollTimer;
  busy = false;
  recordUrl;

  @wire(getEditorOptions)
  receiveOptions({ data }) {
    if (data) this.options = data;
  }

  connectedCallback() {
    this.load();
  }

  disconnectedCallback() {
    clearTimeout(this.pollTimer);
  }

  async load() {
    try {
      this.scenarios = await listScenarios();
      this.error = undefined;
    } catch (error) {
      this.error = error;
    } finally {
      this.loaded = true;
    }
  }

  get isLoading() {
    return !this.loaded;
  }

  get isEmpty() {
    return this.loaded && !this.error && (this.scenarios ?? []).length === 0;
  }

  get hasScenarios() {
    return (this.scenarios ?? []).length > 0;
  }

  get rows() {
    return (this.scenarios ?? []).map((scenario) => ({
      ...scenario,
      statusClass: `status ${STATUS_CLASSES[scenario.status] ?? ''}`.trim(),
      computed: scenario.computedAt ? formatAge(scenario.computedAt) : '—',
      baseline: this.baselineText(scenario),
      changesText: `${scenario.changeCount} ${scenario.changeCount === 1 ? 'change' : 'changes'}`,
      selectLabel: `Open ${scenario.name}`
    }));
  }

  baselineText(scenario) {
    if (scenario.status !== 'Completed') return '';
    return scenario.current ? 'On the current forecast' : 'A newer forecast ran: recompute';
  }

  // --- creating and opening ---

  changeNewName(event) {
    this.newName = event.detail?.value ?? event.target.value;
  }

  get createDisabled() {
    return !this.newName?.trim() || this.busy;
  }

  async create() {
    await this.act(async () => {
      const id = await saveScenario({ scenarioId: null, name: this.newName.trim(), description: null });
      this.newName = '';
      await this.load();
      await this.open(id);
    });
  }

  async select(event) {
    await this.act(() => this.open(event.currentTarget.dataset.id));
  }

  async open(scenarioId) {
    clearTimeout(this.pollTimer);
    this.selected = await getScenario({ scenarioId });
    this.selectedError = undefined;
    this.draft = { type: 'Shift Start' };
    if (this.selected) this.generateRecordUrl(this.selected.id);
  }

  async generateRecordUrl(id) {
    const url = await this[NavigationMixin.GenerateUrl](this.recordPage(id));
    if (this.selected?.id === id) this.recordUrl = url;
  }

  recordPage(id) {
    return {
      type: 'standard__recordPage',
      attributes: { recordId: id, objectApiName: 'Capacity_Scenario__c', actionName: 'view' }
    };
  }

  openRecord(event) {
    event.preventDefault();
    this[NavigationMixin.Navigate](this.recordPage(this.selected.id));
  }

  close() {
    clearTimeout(this.pollTimer);
    this.selected = undefined;
  }

  // --- the selected scenario ---

  get changes() {
    return (this.selected?.changes ?? []).map((change) => ({
      ...change,
      text: describeChange(change),
      deleteLabel: `Delete ${change.name}`
    }));
  }

  get hasChanges() {
    return this.changes.length > 0;
  }

  get selectedStatusClass() {
    return `status ${STATUS_CLASSES[this.selected?.status] ?? ''}`.trim();
  }

  get isWaiting() {
    return this.selected?.status === 'Queued' || this.selected?.status === 'Running';
  }

  get runDisabled() {
    return this.busy || this.isWaiting || !this.hasChanges;
  }

  get selectedFailure() {
    return this.selected?.status === 'Failed' ? this.selected.error : undefined;
  }

  get selectedBaseline() {
    return this.selected ? this.baselineText(this.selected) : '';
  }

  get typeOptions() {
    return CHANGE_TYPES.map((type) => ({ label: type, value: type }));
  }

  get needsDeal() {
    return DEAL_TYPES.has(this.draft.type);
  }

  get isShift() {
    return this.draft.type === 'Shift Start';
  }

  get isProbability() {
    return this.draft.type === 'Set Probability' || this.draft.type === 'Add Deal';
  }

  get isAdd() {
    return this.draft.type === 'Add Deal';
  }

  changeDraft(event) {
    const field = event.target.dataset.field;
    this.draft = { ...this.draft, [field]: event.detail?.value ?? event.target.value };
  }

  async addChange() {
    await this.act(async () => {
      const draft = this.draft;
      const number = (value) => (value === undefined || value === null || value === '' ? null : Number(value));
      await saveChange({
        change: {
          sobjectType: 'Scenario_Change__c',
          Scenario__c: this.selected.id,
          Type__c: draft.type,
          Opportunity__c: this.needsDeal ? (draft.opportunityId ?? null) : null,
          New_Start__c: this.isShift ? (draft.newStart ?? null) : null,
          Shift_Days__c: this.isShift ? number(draft.shiftDays) : null,
          Probability__c: this.isProbability ? number(draft.probability) : null,
          Demand_Template__c: this.isAdd ? (draft.demandTemplate ?? null) : null,
          Units__c: this.isAdd ? number(draft.units) : null,
          Practice__c: this.isAdd ? (draft.practice ?? null) : null,
          Start_Date__c: this.isAdd ? (draft.startDate ?? null) : null
        }
      });
      await this.open(this.selected.id);
    });
  }

  async removeChange(event) {
    const changeId = event.currentTarget.dataset.id;
    await this.act(async () => {
      await deleteChange({ changeId });
      await this.open(this.selected.id);
    });
  }

  async run() {
    await this.act(async () => {
      await runScenario({ scenarioId: this.selected.id });
      this.polls = 0;
      await this.poll(this.selected.id);
    });
  }

  async poll(scenarioId) {
    this.selected = await getScenario({ scenarioId });
    this.polls++;
    if (this.isWaiting && this.polls < POLLS) {
      // eslint-disable-next-line @lwc/lwc/no-async-operation -- polling the service's progress, stopped on disconnect
      this.pollTimer = setTimeout(() => {
        this.poll(scenarioId).catch((error) => {
          this.selectedError = error;
        });
      }, POLL_MS);
    } else {
      await this.load();
    }
  }

  /** Runs a user action, showing what the org refused (a validation rule names the field) instead of failing. */
  async act(work) {
    this.busy = true;
    this.selectedError = undefined;
    try {
      await work();
    } catch (error) {
      this.selectedError = error;
    } finally {
      this.busy = false;
    }
  }
}

/** "Shift Start: Northwind rollout to Jan 4, 2027", one line per change. */
export function describeChange(change) {
  const deal = change.opportunityName ?? change.opportunityId ?? 'a deal';
  switch (change.type) {
    case 'Include Deal':
      return `Count ${deal} as won`;
    case 'Exclude Deal':
      return `Leave ${deal} out`;
    case 'Shift Start':
      if (change.newStart) return `Start ${deal} on ${formatDate(change.newStart)}`;
      return `Move ${deal} ${Math.abs(change.shiftDays ?? 0)} days ${(change.shiftDays ?? 0) < 0 ? 'earlier' : 'later'}`;
    case 'Set Probability':
      return `Weight ${deal} at ${change.probability}%`;
    case 'Add Deal':
      return `Add ${change.units ?? 1} × ${change.demandTemplate} for ${change.practice} from ${formatDate(change.startDate)}${
        change.probability === undefined || change.probability === null ? '' : ` at ${change.probability}%`
      }`;
    default:
      return change.type ?? '';
  }
}
