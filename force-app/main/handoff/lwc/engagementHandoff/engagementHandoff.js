import { LightningElement, api, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getHandoff from '@salesforce/apex/HandoffController.getHandoff';
import updateChecklistItem from '@salesforce/apex/HandoffController.updateChecklistItem';
import { formatDate, formatDateTime, formatHours, formatWeek, joinList } from 'c/handoffFormat';

/** sessionStorage key prefix: whether the checklist of an engagement is collapsed, for this browser session. */
const COLLAPSED_KEY = 'handoff.checklistCollapsed.';

function readCollapsed(recordId) {
  try {
    return window.sessionStorage.getItem(COLLAPSED_KEY + recordId) === 'true';
  } catch {
    return false; // storage blocked: the checklist starts open
  }
}

/**
 * Engagement record page, "Handoff": demand against assignments by week with the next gap, what was sold, what
 * changed since the handoff (once there was one), the handoff checklist (collapsible; tick and answer items in place),
 * the 90-day quality score. A pipeline engagement is marked tentative: the deal is not won.
 */
export default class EngagementHandoff extends LightningElement {
  @api recordId;

  handoff;
  error;
  loaded = false;
  wiredHandoff;
  /** Answers being edited, by item Id. */
  drafts = {};
  savingId;
  saveError;
  collapsedOverride;

  @wire(getHandoff, { engagementId: '$recordId' })
  receive(result) {
    this.wiredHandoff = result;
    const { data, error } = result;
    if (data !== undefined || error !== undefined) this.loaded = true;
    this.handoff = data ?? undefined;
    this.error = error;
  }

  get isLoading() {
    return !this.loaded;
  }

  get isEmpty() {
    return this.loaded && !this.error && !this.handoff;
  }

  get sold() {
    return this.handoff.sold;
  }

  /** Pipeline: a non-billable placeholder for a deal not won yet. */
  get isTentative() {
    return this.sold.status === 'Pipeline';
  }

  /** Changes are audited from the handoff on; before it there is nothing to show. */
  get isHandedOff() {
    return Boolean(this.sold.handedOffAt);
  }

  get statusLabel() {
    return `${this.sold.status} · ${this.sold.billable ? 'Billable' : 'Non-billable (pipeline)'}`;
  }

  get dates() {
    const start = formatDate(this.sold.expectedStart) || 'no start date';
    const end = formatDate(this.sold.expectedEnd) || 'no end date';
    return `${start} – ${end}`;
  }

  get handedOff() {
    return this.sold.handedOffAt ? formatDateTime(this.sold.handedOffAt) : 'Not yet: the deal is not won';
  }

  get winProbability() {
    return this.sold.winProbability === null || this.sold.winProbability === undefined
      ? ''
      : `${this.sold.winProbability}%`;
  }

  get hasPhases() {
    return this.handoff.phases.length > 0;
  }

  get phases() {
    return this.handoff.phases.map((phase) => ({
      ...phase,
      hoursText: formatHours(phase.hours),
      quantityText: formatHours(phase.quantity),
      dates: `${formatDate(phase.startDate)} – ${formatDate(phase.endDate)}`
    }));
  }

  get hasChanges() {
    return this.handoff.changes.length > 0;
  }

  get changes() {
    return this.handoff.changes.map((change) => ({
      key: change.id,
      fieldLabel: change.fieldLabel,
      oldValue: change.oldValue ?? '(blank)',
      newValue: change.newValue ?? '(blank)',
      by: `${change.changedByName ?? 'Someone'}, ${formatDateTime(change.changedAt)}`
    }));
  }

  get checklist() {
    return this.handoff.checklist;
  }

  get hasChecklist() {
    return this.checklist.total > 0;
  }

  get completenessText() {
    return `${this.checklist.done} of ${this.checklist.total} done (${this.checklist.completeness}%)`;
  }

  get answeredText() {
    return `${this.checklist.answered ?? 0} of ${this.checklist.total} answered`;
  }

  get checklistCollapsed() {
    return this.collapsedOverride ?? readCollapsed(this.recordId);
  }

  get checklistExpanded() {
    return String(!this.checklistCollapsed);
  }

  get checklistToggleIcon() {
    return this.checklistCollapsed ? 'utility:chevronright' : 'utility:chevrondown';
  }

  get checklistToggleLabel() {
    return this.checklistCollapsed ? 'Show the checklist' : 'Hide the checklist';
  }

  handleToggleChecklist() {
    const collapsed = !this.checklistCollapsed;
    this.collapsedOverride = collapsed;
    try {
      window.sessionStorage.setItem(COLLAPSED_KEY + this.recordId, String(collapsed));
    } catch {
      // storage blocked: the state lasts as long as the page
    }
  }

  get items() {
    return this.checklist.items.map((item) => {
      const draft = this.drafts[item.id];
      return {
        ...item,
        answer: draft ?? item.answer ?? '',
        saving: this.savingId === item.id,
        answerState: item.answered ? 'Answered' : item.done ? 'Ticked, no answer recorded' : 'Not answered',
        answerStateClass: item.answered
          ? 'answer-state slds-text-color_success'
          : item.done
            ? 'answer-state slds-text-color_error'
            : 'answer-state slds-text-color_weak',
        unchanged: draft === undefined || draft === (item.answer ?? '') || this.savingId === item.id,
        className: item.done ? 'slds-item checklist-item done' : 'slds-item checklist-item'
      };
    });
  }

  handleDoneChange(event) {
    const itemId = event.target.dataset.id;
    const draft = this.drafts[itemId];
    this.save(itemId, event.target.checked, draft === undefined ? null : draft);
  }

  handleAnswerChange(event) {
    this.drafts = { ...this.drafts, [event.target.dataset.id]: event.detail.value ?? event.target.value };
  }

  handleSaveAnswer(event) {
    const itemId = event.target.dataset.id;
    const item = this.checklist.items.find((candidate) => candidate.id === itemId);
    this.save(itemId, item.done, this.drafts[itemId] ?? item.answer ?? '');
  }

  async save(itemId, done, answer) {
    this.savingId = itemId;
    this.saveError = undefined;
    try {
      await updateChecklistItem({ itemId, done, answer });
      const drafts = { ...this.drafts };
      delete drafts[itemId];
      this.drafts = drafts;
      this.dispatchEvent(
        new ShowToastEvent({ title: 'Handoff checklist saved', message: 'The item was saved.', variant: 'success' })
      );
      await refreshApex(this.wiredHandoff);
    } catch (error) {
      this.saveError = error;
    } finally {
      this.savingId = undefined;
    }
  }

  get quality() {
    return this.handoff.quality;
  }

  get isScored() {
    return this.quality.score !== null && this.quality.score !== undefined;
  }

  get qualityText() {
    if (this.isScored) return `${this.quality.score} / 5`;
    if (this.quality.scorable) {
      return 'Not scored yet. Rate the handoff from 1 to 5 in the Handoff Quality Score field of this engagement.';
    }
    if (this.quality.scorableFrom) {
      return `Not scored yet. The handoff can be rated from ${formatDate(this.quality.scorableFrom)}, 90 days after the deal was won.`;
    }
    return 'The handoff is rated 90 days after the deal is won.';
  }

  get hasCoverage() {
    return this.handoff.coverage.length > 0;
  }

  get nextGapText() {
    const gap = this.handoff.nextGap;
    if (!gap) return 'No gap ahead: assignments cover every week of demand from this week on.';
    return `Next gap: ${formatDate(gap.gapDate)} (${gap.role}, ${formatHours(gap.hours)} h)`;
  }

  get nextGapClass() {
    return this.handoff.nextGap ? 'next-gap slds-text-color_error' : 'next-gap slds-text-color_success';
  }

  get hasWeeks() {
    return (this.handoff.weeks ?? []).length > 0;
  }

  get weekHeaders() {
    return (this.handoff.weeks ?? []).map((week) => ({ key: week, label: formatWeek(week) }));
  }

  get weeklyRows() {
    const weeks = this.handoff.weeks ?? [];
    return this.handoff.coverage.map((row) => ({
      key: row.role,
      role: row.role,
      cells: weeks.map((week, index) => {
        const demand = row.weeklyDemand?.[index] ?? 0;
        const assigned = row.weeklyAssigned?.[index] ?? 0;
        const short = demand - assigned > 0.01;
        return {
          key: week,
          text: demand || assigned ? `${formatHours(assigned)}/${formatHours(demand)}` : '–',
          label: `${row.role}, week of ${formatWeek(week)}: ${formatHours(assigned)} h assigned of ${formatHours(demand)} h demand${short ? ', short' : ''}`,
          className: short ? 'week-cell week-cell_short' : 'week-cell'
        };
      })
    }));
  }

  get coverage() {
    return this.handoff.coverage.map((row) => ({
      key: row.role,
      role: row.role,
      demand: `${formatHours(row.demandHours)} h`,
      assigned: `${formatHours(row.assignedHours)} h`,
      gap: row.gapHours > 0 ? `${formatHours(row.gapHours)} h to staff` : 'Covered',
      gapClass: row.gapHours > 0 ? 'gap slds-text-color_error' : 'gap slds-text-color_success',
      people: row.people.length ? joinList(row.people) : 'Nobody yet'
    }));
  }
}
