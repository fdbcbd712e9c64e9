import { LightningElement, api, wire } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import getOutlook from '@salesforce/apex/DeliveryOutlookController.getOutlook';
import askStartWhatIf from '@salesforce/apex/DeliveryOutlookController.askStartWhatIf';
import getWhatIf from '@salesforce/apex/DeliveryOutlookController.getWhatIf';
import { formatAge, formatDate, formatHours, formatWeek, joinList } from 'c/handoffFormat';

const VERDICTS = {
  staffable: { label: 'Can be staffed', className: 'verdict slds-theme_success' },
  short: { label: 'Cannot be staffed on time', className: 'verdict slds-theme_error' },
  beyondHorizon: { label: 'Starts after the forecast horizon', className: 'verdict slds-theme_warning' },
  notComputed: { label: 'Not computed yet', className: 'verdict slds-theme_warning' },
  closed: { label: 'Deal won', className: 'verdict' },
  lost: { label: 'Deal lost', className: 'verdict' }
};
const ANSWER_LABELS = {
  Staffable: 'Can be staffed',
  Short: 'Cannot be staffed on time',
  Partly_Beyond_Horizon: 'Checked until the horizon',
  Beyond_Horizon: 'After the forecast horizon'
};
/** How often, and how many times, the what-if is polled while the service computes it. */
export const WHAT_IF_POLL_MS = 2000;
export const WHAT_IF_POLLS = 60;

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
  whatIfDate;
  whatIf;
  whatIfError;
  whatIfAsking = false;
  whatIfPolls = 0;
  pollTimer;

  disconnectedCallback() {
    clearTimeout(this.pollTimer);
  }

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

  get isLost() {
    return this.state === 'lost';
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
    if (this.isBeyondHorizon) return VERDICTS.beyondHorizon;
    if (this.isReady) return this.staffing.staffable ? VERDICTS.staffable : VERDICTS.short;
    if (this.isNotComputed) return VERDICTS.notComputed;
    if (this.isClosed) return VERDICTS.closed;
    if (this.isLost) return VERDICTS.lost;
    return undefined;
  }

  /** "Proposal/Price Quote · 50% entered probability · forecast 3 hours ago", beside the verdict. */
  get dealContext() {
    if (!this.outlook || this.hasNoLineItems) return undefined;
    const parts = [];
    if (this.outlook.stageName) parts.push(this.outlook.stageName);
    if (this.outlook.probability !== undefined && this.outlook.probability !== null) {
      parts.push(`${this.outlook.probability}% entered probability`);
    }
    if (this.outlook.forecastFinishedAt && (this.isReady || this.isNotComputed)) {
      parts.push(`forecast ${this.forecastAge}`);
    }
    return parts.length ? parts.join(' · ') : undefined;
  }

  /** The demand table shows the weeks the answer checked; say so when those are not the lines' own. */
  get demandWeeksNote() {
    const days = this.outlook?.demandShiftDays ?? 0;
    if (!days) return undefined;
    const count = `${Math.abs(days)} ${Math.abs(days) === 1 ? 'day' : 'days'}`;
    return `Weeks shown are the ones the forecast checked: the demand lines moved ${count} ${days > 0 ? 'later' : 'earlier'}, to the deal's expected start.`;
  }

  /** Which probability "weighted" means, here and in the forecast. */
  get weightedNote() {
    const calibrated = this.outlook?.probabilitySource === 'calibrated';
    return calibrated
      ? "Weighted hours here use each line's entered win probability; the capacity forecast weights by the probability calibrated from the firm's won and lost deals (Handoff setting Probability Source)."
      : "Weighted hours use each line's entered win probability, as the capacity forecast does (Handoff setting Probability Source: entered).";
  }

  get weekTotals() {
    return (this.outlook?.weekTotals ?? []).map((week) => ({
      key: `total-${week.weekStart}`,
      hours: week.hours ? formatHours(week.hours) : '–',
      weightedHours: week.hours ? formatHours(week.weightedHours) : '',
      hasHours: Boolean(week.hours)
    }));
  }

  // --- What if it started on ... ---

  changeWhatIfDate(event) {
    this.whatIfDate = event.detail?.value ?? event.target?.value;
  }

  get whatIfDisabled() {
    return !this.whatIfDate || this.whatIfWaiting;
  }

  get whatIfWaiting() {
    return this.whatIfAsking || this.whatIf?.status === 'Queued' || this.whatIf?.status === 'Running';
  }

  get whatIfWaitingText() {
    return this.whatIfPolls >= WHAT_IF_POLLS
      ? 'The forecast is still computing this what-if. Check again in a minute.'
      : 'Asking the capacity forecast…';
  }

  async askWhatIf() {
    clearTimeout(this.pollTimer);
    this.whatIf = undefined;
    this.whatIfError = undefined;
    this.whatIfAsking = true;
    this.whatIfPolls = 0;
    try {
      const scenarioId = await askStartWhatIf({ opportunityId: this.recordId, newStart: this.whatIfDate });
      this.whatIfStart = this.whatIfDate;
      await this.poll(scenarioId);
    } catch (error) {
      this.whatIfError = error;
    } finally {
      this.whatIfAsking = false;
    }
  }

  async poll(scenarioId) {
    this.whatIf = await getWhatIf({ scenarioId });
    this.whatIfPolls++;
    const waiting = this.whatIf && ['Draft', 'Queued', 'Running'].includes(this.whatIf.status);
    if (waiting && this.whatIfPolls < WHAT_IF_POLLS) {
      // eslint-disable-next-line @lwc/lwc/no-async-operation -- polling the service's answer, stopped on disconnect
      this.pollTimer = setTimeout(() => {
        this.poll(scenarioId).catch((error) => {
          this.whatIfError = error;
        });
      }, WHAT_IF_POLL_MS);
    }
  }

  get whatIfFailure() {
    return this.whatIf?.status === 'Failed'
      ? `The forecast could not answer: ${this.whatIf.error ?? 'no reason given'}`
      : undefined;
  }

  get whatIfStartLabel() {
    return formatDate(this.whatIf?.plannedStart ?? this.whatIfStart);
  }

  /** The answer at the deal's start and at the date asked, side by side. */
  get whatIfRows() {
    if (this.whatIf?.status !== 'Completed' || !this.staffing) return undefined;
    const answer = this.whatIf;
    const hours = (value) => `${formatHours(value ?? 0)} h`;
    const earliest = (value) => (value ? formatDate(value) : 'Not within the forecast horizon');
    return [
      {
        key: 'verdict',
        label: 'Verdict',
        baseline: ANSWER_LABELS[this.staffing.answerState] ?? '',
        scenario: ANSWER_LABELS[answer.answerState] ?? 'Not an open deal in the forecast'
      },
      {
        key: 'own',
        label: 'Hours short for this deal',
        baseline: hours(this.staffing.shortfallHours),
        scenario: hours(answer.shortfallHours)
      },
      {
        key: 'over',
        label: 'Already over-committed without it',
        baseline: hours(this.staffing.overCommittedHours),
        scenario: hours(answer.overCommittedHours)
      },
      {
        key: 'earliest',
        label: 'Earliest start we can staff',
        baseline: earliest(this.staffing.earliestFeasibleStart),
        scenario: earliest(answer.earliestFeasibleStart)
      },
      {
        key: 'roles',
        label: 'Roles short',
        baseline: joinList(this.staffing.shortRoles ?? []) || 'None',
        scenario: joinList(answer.shortRoles ?? []) || 'None'
      }
    ];
  }

  get isShort() {
    return this.isReady && !this.staffing.staffable && !this.isBeyondHorizon;
  }

  /** The deal starts after the forecast horizon: nothing was checked. */
  get isBeyondHorizon() {
    return this.isReady && this.staffing.answerState === 'Beyond_Horizon';
  }

  /** The deal runs past the forecast horizon: only the weeks inside it were checked. */
  get isPartlyBeyondHorizon() {
    return this.isReady && this.staffing.answerState === 'Partly_Beyond_Horizon';
  }

  get horizonEnd() {
    return formatDate(this.staffing?.horizonEnd);
  }

  get hoursBeyondHorizon() {
    return formatHours(this.staffing?.hoursBeyondHorizon);
  }

  /** Why the answer used the start it used, when that is not simply the deal's expected start. */
  get startNote() {
    if (!this.isReady) return undefined;
    const days = Math.abs(this.staffing.startShiftDays ?? 0);
    if (this.staffing.startBasis === 'Expected_Start_Shifted' && days) {
      // startShiftDays is how far the lines were moved: positive when they started before the expected start.
      const direction = this.staffing.startShiftDays > 0 ? 'before' : 'after';
      return `Answered for the deal's expected start: its demand lines start ${days} ${days === 1 ? 'day' : 'days'} ${direction} it, so they were moved to it.`;
    }
    if (this.staffing.startBasis === 'Demand_Lines') {
      return 'The deal has no expected start: answered for the start of its demand lines. Set the expected start for an answer on that date.';
    }
    return undefined;
  }

  /** "20 h for this deal; 48 h already over-committed without it", when some of the gap is not this deal's. */
  get shortfallSplit() {
    if (!this.isShort) return undefined;
    const own = `${formatHours(this.staffing.shortfallHours)} h short for this deal's own need`;
    return this.staffing.overCommittedHours
      ? `${own}; ${formatHours(this.staffing.overCommittedHours)} h already over-committed without it.`
      : `${own}; nothing was over-committed before it.`;
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
      const over = detail?.overCommittedHours
        ? ` (and ${formatHours(detail.overCommittedHours)} h already over-committed)`
        : '';
      const from = detail?.firstWeek ? ` from the week of ${formatWeek(detail.firstWeek)}` : '';
      let fits = '';
      if (detail?.earliestFeasibleStart) fits = `; fits from ${formatDate(detail.earliestFeasibleStart)}`;
      else if (detail?.noStartWithinHorizon) fits = '; does not fit within the forecast horizon';
      const label = skill ? `${role} holding ${skill}` : role;
      return { key: label, role: label, text: `${hours}${over}${from}${fits}` };
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
