import { LightningElement, api, wire } from 'lwc';
import getSummary from '@salesforce/apex/EngagementSummaryController.getSummary';
import { reduceErrors } from 'c/ldsUtils';

/**
 * Engagement record page: what was sold and where the engagement stands, read through the Apex controller in
 * user mode.
 */
export default class EngagementSummary extends LightningElement {
  @api recordId;

  summary;
  error;
  loaded = false;

  @wire(getSummary, { engagementId: '$recordId' })
  receive({ data, error }) {
    if (data !== undefined || error !== undefined) this.loaded = true;
    this.summary = data ?? undefined;
    this.error = error ? reduceErrors(error).join('; ') : undefined;
  }

  get isLoading() {
    return !this.loaded;
  }

  get isEmpty() {
    return this.loaded && !this.error && !this.summary;
  }

  /** A pipeline placeholder: the deal is not won, so the engagement is tentative. */
  get isTentative() {
    return this.summary?.status === 'Pipeline';
  }

  get billableLabel() {
    return this.summary?.billable ? 'Billable' : 'Non-billable (pipeline)';
  }
}
