import { LightningElement, api, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getHandoff from '@salesforce/apex/HandoffController.getHandoff';
import updateChecklistItem from '@salesforce/apex/HandoffController.updateChecklistItem';
import { formatDate, formatDateTime, formatHours, joinList } from 'c/handoffFormat';

/**
 * Engagement record page, "Handoff": what was sold, what changed since, the handoff checklist (tick and answer items
 * in place), the 90-day quality score, and demand against assignments by role.
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

  get items() {
    return this.checklist.items.map((item) => {
      const draft = this.drafts[item.id];
      return {
        ...item,
        answer: draft ?? item.answer ?? '',
        saving: this.savingId === item.id,
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
