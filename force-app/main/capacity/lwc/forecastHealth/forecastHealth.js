import { LightningElement, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import getHealth from '@salesforce/apex/ForecastHealthController.getHealth';
import { formatAge, formatCount, formatDateTime, formatDuration, formatWeek, joinList } from 'c/handoffFormat';

const STATUS_THEMES = {
  Completed: 'slds-theme_success',
  Failed: 'slds-theme_error',
  Running: 'slds-theme_info',
  Queued: 'slds-theme_info'
};

const rowsWritten = (run) => (run.nothingChanged ? 'Nothing changed' : formatCount(run.rowsWritten) || '0');

/**
 * Forecast health, for an App page and the utility bar: the last capacity forecast runs, named as Salesforce names
 * them (RUN-000123), recent failures with their causes, whether the forecast is stale, and a warning when a recent
 * week created no engagement although the baseline expects some (only weeks after the org had a deal and an
 * engagement are checked).
 */
export default class ForecastHealth extends LightningElement {
  health;
  error;
  loaded = false;
  wiredHealth;
  refreshing = false;

  @wire(getHealth)
  receive(result) {
    this.wiredHealth = result;
    const { data, error } = result;
    if (data !== undefined || error !== undefined) this.loaded = true;
    this.health = data ?? undefined;
    this.error = error;
  }

  async handleRefresh() {
    this.refreshing = true;
    try {
      await refreshApex(this.wiredHealth);
    } finally {
      this.refreshing = false;
    }
  }

  get isLoading() {
    return !this.loaded;
  }

  get hasNeverRun() {
    return this.loaded && !this.error && !this.health?.lastRun;
  }

  get lastRun() {
    const run = this.health.lastRun;
    const finished = run.finishedAt ?? run.startedAt ?? run.createdAt;
    return {
      name: run.name,
      status: run.status,
      statusClass: `status ${STATUS_THEMES[run.status] ?? ''}`.trim(),
      age: run.finishedAt ? `Finished ${formatAge(finished)}` : `Started ${formatAge(finished)}`,
      when: formatDateTime(finished),
      triggeredBy: run.triggeredBy ?? 'Unknown',
      rowsWritten: rowsWritten(run),
      apiCallsUsed: formatCount(run.apiCallsUsed) || '0',
      retries: formatCount(run.retries) || '0',
      duration: formatDuration(run.durationMs) || 'Still running',
      error: run.status === 'Failed' ? run.error : undefined
    };
  }

  /** The last runs, newest first; an older payload without a history shows the last run alone. */
  get history() {
    const runs = this.health?.history?.length ? this.health.history : [this.health.lastRun];
    return runs.map((run) => ({
      key: run.id,
      name: run.name,
      status: run.status,
      started: formatAge(run.startedAt ?? run.createdAt),
      startedAt: formatDateTime(run.startedAt ?? run.createdAt),
      duration: formatDuration(run.durationMs) || (run.status === 'Running' ? 'Still running' : '—'),
      rowsWritten: rowsWritten(run),
      apiCallsUsed: formatCount(run.apiCallsUsed) || '0'
    }));
  }

  get hasNoCompletedForecast() {
    return Boolean(this.health?.lastRun) && !this.health.currentRunId;
  }

  get isStale() {
    return Boolean(this.health?.stale);
  }

  get staleMessage() {
    return `The forecast the pages show finished ${formatAge(this.health.currentFinishedAt)}, more than ${this.health.staleAfterHours} hours ago. Check the failures below, or ask your Handoff admin whether the capacity service is scheduled.`;
  }

  get hasFailures() {
    return (this.health?.failures?.length ?? 0) > 0;
  }

  get failures() {
    return this.health.failures.map((run) => ({
      key: run.id,
      name: run.name,
      when: `${formatAge(run.finishedAt ?? run.createdAt)} (${formatDateTime(run.finishedAt ?? run.createdAt)})`,
      cause: run.error || 'No cause was recorded. See the run record and the capacity service log.'
    }));
  }

  get quietWeeks() {
    return this.health?.baseline?.quietWeeks ?? [];
  }

  get hasQuietWeeks() {
    return this.quietWeeks.length > 0;
  }

  get baselineWarning() {
    const weeks = joinList(this.quietWeeks.map((week) => `the week of ${formatWeek(week)}`));
    const expected = this.health.baseline.expectedPerWeek;
    return `No engagement was created in ${weeks}, although about ${expected} a week are expected. Deals reaching a pipeline stage create engagements: check that the Handoff automation is running and that nobody kept the Handoff: Data Loader permission set after a data load.`;
  }

  get baselineSummary() {
    const weeks = (this.health?.baseline?.weeks ?? []).map((week) => `${formatWeek(week.weekStart)}: ${week.created}`);
    return weeks.length ? `Engagements created per week: ${weeks.join(' · ')}` : '';
  }

  /** Why some weeks are not checked against the baseline: the org had no deal and engagement yet. */
  get baselineStartNote() {
    const baseline = this.health?.baseline;
    const weeks = baseline?.weeks ?? [];
    if (!weeks.length || weeks.every((week) => week.checked !== false)) return '';
    if (!baseline.checkedFrom) {
      return 'No week is checked against the baseline yet: the check starts in the week the org has both a deal and an engagement.';
    }
    return `Weeks before the week of ${formatWeek(baseline.checkedFrom)} are not checked: the org had no deal or no engagement yet.`;
  }
}
