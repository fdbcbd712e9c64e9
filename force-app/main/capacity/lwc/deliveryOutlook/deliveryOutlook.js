import { LightningElement, api, wire } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import getOutlook from '@salesforce/apex/DeliveryOutlookController.getOutlook';
import { formatAge, formatDate, formatHours, formatWeek, joinList } from 'c/handoffFormat';

const VERDICTS = {
  staffable: { label: 'Can be staffed', className: 'verdict slds-theme_success' },
  short: { label: 'Cannot be staffed on time', className: 'verdict slds-theme_error' },
  notComputed: { label: 'Not computed yet', className: 'verdict slds-theme_warning' },
  closed: { label: 'Deal closed', className: 'verdict' }
};

/**
 * Opportunity record page: the people and hours this deal needs by role and week if it is won, and whether the
 * capacity forecast says the firm can staff it at its expected start.
 */
export default class DeliveryOutlook extends NavigationMixin(LightningElement) {
  @api recordId;

  outlook;
  error;
  loaded = false;
  engagementUrl;

  @wire(getOutlook, { opportunityId: '$recordId' })
  receive({ data, error }) {
    if (data !== undefined || error !== undefined) this.loaded = true;
    this.outlook = data ?? undefined;
    this.error = error;
    this.engagementUrl = undefined;
    if (data?.engagementId) this.generateEngagementUrl(data.engagementId);
  }

  async generateEngagementUrl(engagementId) {
    const url = await this[NavigationMixin.GenerateUrl](this.engagementPage(engagementId));
    if (this.outlook?.engagementId === engagementId) this.engagementUrl = url;
  }

  engagementPage(engagementId) {
    return {
      type: 'standard__recordPage',
      attributes: { recordId: engagementId, objectApiName: 'Engagement__c', actionName: 'view' }
    };
  }

  openEngagement(event) {
    event.preventDefault();
    this[NavigationMixin.Navigate](this.engagementPage(this.outlook.engagementId));
  }

  get isLoading() {
    return !this.loaded;
  }

  get isEmpty() {
    return this.loaded && !this.error && !this.outlook;
  }

  get state() {
    return this.outlook?.state;
  }

  get hasNoLineItems() {
    return this.state === 'noLineItems';
  }

  get hasNoEngagement() {
    return this.state === 'noEngagement';
  }

  get isClosed() {
    return this.state === 'closed';
  }

  get isNotComputed() {
    return this.state === 'notComputed';
  }

  get isReady() {
    return this.state === 'ready';
  }

  get staffing() {
    return this.outlook?.staffing;
  }

  get verdict() {
    if (this.isReady) return this.staffing.staffable ? VERDICTS.staffable : VERDICTS.short;
    if (this.isNotComputed) return VERDICTS.notComputed;
    if (this.isClosed) return VERDICTS.closed;
    return undefined;
  }

  get isShort() {
    return this.isReady && !this.staffing.staffable;
  }

  get plannedStart() {
    return formatDate(this.staffing?.plannedStart);
  }

  get earliestStart() {
    return this.staffing?.earliestFeasibleStart
      ? formatDate(this.staffing.earliestFeasibleStart)
      : 'Not within the forecast horizon';
  }

  get expectedStart() {
    return formatDate(this.outlook?.expectedStart);
  }

  /** Roles short, then roles whose people holding a skill are short ("Developer holding Apex"). */
  get rolesShort() {
    const shortfalls = this.staffing?.shortfalls ?? [];
    const item = (role, skill) => {
      const detail = shortfalls.find((shortfall) => shortfall.role === role && (shortfall.skill ?? null) === skill);
      const hours = detail?.hours ? `${formatHours(detail.hours)} h short` : 'short';
      const from = detail?.firstWeek ? ` from the week of ${formatWeek(detail.firstWeek)}` : '';
      const label = skill ? `${role} holding ${skill}` : role;
      return { key: label, role: label, text: `${hours}${from}` };
    };
    return [
      ...(this.staffing?.shortRoles ?? []).map((role) => item(role, null)),
      ...(this.staffing?.shortSkills ?? []).map((pair) => {
        const at = pair.indexOf(' / ');
        return at < 0 ? item(pair, null) : item(pair.slice(0, at), pair.slice(at + 3));
      })
    ];
  }

  get rolesShortSummary() {
    return joinList(this.rolesShort.map((short) => short.role));
  }

  get answeredForOtherStart() {
    return this.isReady && this.staffing.answeredForOtherStart;
  }

  get isStale() {
    return Boolean(this.outlook?.forecastStale) && (this.isReady || this.isNotComputed);
  }

  get forecastAge() {
    return formatAge(this.outlook?.forecastFinishedAt);
  }

  get staleMessage() {
    return `The capacity forecast finished ${this.forecastAge}, more than ${this.outlook.staleAfterHours} hours ago: this answer may be out of date. The Forecast Health page says why the service has not run since.`;
  }

  get hasDemand() {
    return (this.outlook?.roles?.length ?? 0) > 0;
  }

  get columns() {
    return (this.outlook?.weeks ?? []).map((week) => ({ key: week, label: formatWeek(week) }));
  }

  get rows() {
    return (this.outlook?.roles ?? []).map((role) => ({
      key: role.role,
      role: role.role,
      totalHours: formatHours(role.totalHours),
      totalWeightedHours: formatHours(role.totalWeightedHours),
      cells: role.weeks.map((week) => ({
        key: `${role.role}-${week.weekStart}`,
        hours: week.hours ? formatHours(week.hours) : '–',
        weightedHours: week.hours ? formatHours(week.weightedHours) : '',
        hasHours: Boolean(week.hours)
      }))
    }));
  }

  get totalHours() {
    return formatHours(this.outlook?.totalHours);
  }

  get totalWeightedHours() {
    return formatHours(this.outlook?.totalWeightedHours);
  }
}
