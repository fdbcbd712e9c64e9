import { LightningElement, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getAlerts from '@salesforce/apex/HandoffAlertsController.getAlerts';
import resolveAlert from '@salesforce/apex/HandoffAlertsController.resolveAlert';
import { formatAge, formatCount, formatDateTime } from 'c/handoffFormat';
import { reduceErrors } from 'c/ldsUtils';

/**
 * Open Handoff alerts: what happened (a failed or stale forecast, a quiet week, a deal the automation rejected, a
 * stage rule naming a stage the org no longer has), since when, how often, the detail and the record it is about.
 * People who may edit alerts resolve them here once dealt with; a condition still present opens the alert again.
 */
export default class HandoffAlerts extends LightningElement {
  view;
  error;
  loaded = false;
  wiredAlerts;
  refreshing = false;
  resolvingId;

  @wire(getAlerts)
  receive(result) {
    this.wiredAlerts = result;
    const { data, error } = result;
    if (data !== undefined || error !== undefined) this.loaded = true;
    this.view = data ?? undefined;
    this.error = error;
  }

  get isLoading() {
    return !this.loaded;
  }

  get alerts() {
    return (this.view?.alerts ?? []).map((alert) => ({
      ...alert,
      heading: `${alert.name}: ${alert.kindLabel ?? alert.kind}`,
      sinceText: `Open since ${formatAge(alert.since)} · ${formatDateTime(alert.since)}`,
      occurrencesText: alert.occurrences > 1 ? `Seen ${formatCount(alert.occurrences)} times` : 'Seen once',
      notifiedText: alert.notifiedAt ? `Notified ${formatAge(alert.notifiedAt)}` : 'Not notified yet',
      recordUrl: alert.subjectRecordId ? `/${alert.subjectRecordId}` : undefined,
      alertUrl: `/${alert.id}`,
      resolveLabel: `Resolve ${alert.name}`,
      resolving: this.resolvingId === alert.id
    }));
  }

  get hasAlerts() {
    return this.alerts.length > 0;
  }

  get countLabel() {
    const count = this.alerts.length;
    return count === 1 ? '1 open alert' : `${count} open alerts`;
  }

  get canResolve() {
    return Boolean(this.view?.canResolve);
  }

  get unknownStages() {
    return (this.view?.unknownStages ?? []).map((message, index) => ({ key: `stage-${index}`, message }));
  }

  get hasUnknownStages() {
    return this.unknownStages.length > 0;
  }

  get rulesError() {
    return this.view?.rulesError;
  }

  async handleRefresh() {
    this.refreshing = true;
    try {
      await refreshApex(this.wiredAlerts);
    } finally {
      this.refreshing = false;
    }
  }

  async handleResolve(event) {
    const alertId = event.currentTarget.dataset.id;
    this.resolvingId = alertId;
    try {
      const resolved = await resolveAlert({ alertId });
      this.dispatchEvent(
        new ShowToastEvent({
          title: `${resolved.name} resolved`,
          message: 'If the condition is still there, the next check opens it again.',
          variant: 'success'
        })
      );
      await refreshApex(this.wiredAlerts);
    } catch (error) {
      this.dispatchEvent(
        new ShowToastEvent({
          title: 'Could not resolve the alert',
          message: reduceErrors(error).join(', '),
          variant: 'error'
        })
      );
    } finally {
      this.resolvingId = undefined;
    }
  }
}
