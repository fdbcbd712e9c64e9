import { LightningElement, api, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import getBilling from '@salesforce/apex/BillingMilestonesController.getBilling';
import markComplete from '@salesforce/apex/BillingMilestonesController.markComplete';
import { formatDate } from 'c/handoffFormat';

/**
 * Engagement record page, "Billing": the billing milestones with what has been invoiced and paid to date; delivery
 * marks planned milestones complete (in user mode), which queues their Billing Ready messages.
 */
export default class BillingMilestones extends LightningElement {
  @api recordId;

  billing;
  error;
  loaded = false;
  wiredBilling;
  /** Ids of the milestones ticked to be marked complete. */
  chosenIds = [];
  saving = false;
  saveError;
  saved;

  @wire(getBilling, { engagementId: '$recordId' })
  receive(result) {
    this.wiredBilling = result;
    const { data, error } = result;
    if (data !== undefined || error !== undefined) this.loaded = true;
    this.billing = data ?? undefined;
    this.error = error;
  }

  get isLoading() {
    return !this.loaded;
  }

  get isEmpty() {
    return this.loaded && !this.error && !this.billing;
  }

  get hasMilestones() {
    return this.billing.milestones.length > 0;
  }

  get billingType() {
    return this.billing.billingType || 'No billing type';
  }

  get rows() {
    return this.billing.milestones.map((milestone) => ({
      ...milestone,
      plannedText: formatDate(milestone.plannedDate),
      invoiceText: milestone.invoiceNumber
        ? `${milestone.invoiceNumber}${milestone.invoiceStatus ? ` (${milestone.invoiceStatus})` : ''}`
        : '—',
      paidText: milestone.paidDate ? formatDate(milestone.paidDate) : '—',
      checked: this.chosenIds.includes(milestone.id),
      disabled: !milestone.canComplete || this.saving,
      label: `Select ${milestone.name}`
    }));
  }

  get completeDisabled() {
    return this.chosenIds.length === 0 || this.saving;
  }

  get completeLabel() {
    return this.chosenIds.length > 1 ? `Mark ${this.chosenIds.length} complete` : 'Mark complete';
  }

  handleSelect(event) {
    const id = event.target.dataset.id;
    this.chosenIds = event.target.checked
      ? [...this.chosenIds, id]
      : this.chosenIds.filter((candidate) => candidate !== id);
  }

  async handleComplete() {
    this.saving = true;
    this.saveError = undefined;
    this.saved = undefined;
    try {
      const count = await markComplete({ milestoneIds: this.chosenIds });
      this.saved =
        count === 1
          ? '1 milestone marked complete: billing is notified.'
          : `${count} milestones marked complete: billing is notified.`;
      this.chosenIds = [];
      await refreshApex(this.wiredBilling);
    } catch (error) {
      this.saveError = error;
    } finally {
      this.saving = false;
    }
  }
}
