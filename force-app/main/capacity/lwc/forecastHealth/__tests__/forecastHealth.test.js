import { createElement } from 'lwc';
import ForecastHealth from 'c/forecastHealth';
import getHealth from '@salesforce/apex/ForecastHealthController.getHealth';
import { refreshApex } from '@salesforce/apex';
import { formatAge, formatDuration, formatHours, formatWeek, joinList } from 'c/handoffFormat';
import { flush, query, queryAll, text, clearDocument } from 'test/jest-utils/dom';

const HEALTH = require('./data/health.json');
const NOW = new Date('2026-11-23T09:00:00.000Z').getTime();

jest.mock(
  '@salesforce/apex/ForecastHealthController.getHealth',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true }
);
jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });

function render() {
  const element = createElement('c-forecast-health', { is: ForecastHealth });
  document.body.appendChild(element);
  return element;
}

async function emit(health) {
  const element = render();
  getHealth.emit(health);
  await flush();
  return element;
}

describe('c-forecast-health', () => {
  beforeEach(() => {
    jest.spyOn(Date, 'now').mockReturnValue(NOW);
  });

  afterEach(() => {
    clearDocument();
    jest.clearAllMocks();
    jest.restoreAllMocks();
  });

  it('shows a spinner until the health arrives', async () => {
    const element = render();

    expect(query(element, 'lightning-spinner')).not.toBeNull();
    await expect(element).toBeAccessible();
  });

  it('shows the last run: status, age, rows written, API calls and duration', async () => {
    const element = await emit(HEALTH);

    expect(query(element, '.last-run lightning-badge').label).toBe('Failed');
    expect(query(element, '.last-run lightning-badge').className).toContain('slds-theme_error');
    expect(text(element, '.last-run h2')).toMatch(/^Last run RUN-000042/);
    expect(text(element, '.age')).toMatch(/^Finished 2 h ago · /);
    expect(text(element, '.triggered-by')).toBe('Schedule');
    expect(text(element, '.rows-written')).toBe('1,480');
    expect(text(element, '.api-calls')).toBe('42');
    expect(text(element, '.retries')).toBe('3');
    expect(text(element, '.duration')).toBe('2 min 5 s');
    await expect(element).toBeAccessible();
  });

  it('lists the last runs by their Salesforce names, saying when a run changed nothing', async () => {
    const element = await emit(HEALTH);

    const rows = queryAll(element, '.history-run');
    expect(rows.map((row) => row.querySelector('.run-name').textContent)).toEqual([
      'RUN-000042',
      'RUN-000041',
      'RUN-000040'
    ]);
    expect(rows.map((row) => row.querySelector('.run-status').textContent)).toEqual(['Failed', 'Completed', 'Failed']);
    expect(text(element, '.history-run:nth-child(1) .run-rows')).toBe('1,480');
    expect(text(element, '.history-run:nth-child(2) .run-rows')).toBe('Nothing changed');
    expect(text(element, '.history-run:nth-child(3) .run-rows')).toBe('0');
    expect(text(element, '.history-run:nth-child(2) .run-duration')).toBe('1 min');
    expect(text(element, '.history-run:nth-child(2) .run-api-calls')).toBe('9');
    await expect(element).toBeAccessible();
  });

  it('says the last run changed nothing instead of 0 rows written', async () => {
    const element = await emit({ ...HEALTH, lastRun: HEALTH.history[1] });

    expect(text(element, '.rows-written')).toBe('Nothing changed');
    expect(query(element, '.last-run lightning-badge').label).toBe('Completed');
  });

  it('lists recent failures with their causes', async () => {
    const element = await emit(HEALTH);

    const failures = queryAll(element, '.failure');
    expect(failures).toHaveLength(2);
    expect(failures[0].querySelector('.cause').textContent).toMatch(/UNABLE_TO_LOCK_ROW on Capacity_Forecast__c/);
    expect(failures[1].textContent).toMatch(/RUN-000040/);
    expect(failures[1].querySelector('.cause').textContent).toMatch(/No cause was recorded/);
  });

  it('warns about a week without new engagements although some were expected', async () => {
    const element = await emit(HEALTH);

    expect(text(element, '.baseline')).toBe(
      'No engagement was created in the week of Nov 9, although about 3 a week are expected. Deals reaching a pipeline stage create engagements: check that the Handoff automation is running and that nobody kept the Handoff: Data Loader permission set after a data load.'
    );
    expect(text(element, '.baseline-weeks')).toBe(
      'Engagements created per week: Oct 26: 4 · Nov 2: 3 · Nov 9: 0 · Nov 16: 2'
    );
    await expect(element).toBeAccessible();
  });

  it('explains weeks not checked because the org had no deal or engagement yet', async () => {
    const weeks = HEALTH.baseline.weeks.map((week, index) => ({ ...week, created: 0, checked: index >= 2 }));
    const element = await emit({
      ...HEALTH,
      baseline: { ...HEALTH.baseline, weeks, checkedFrom: '2026-11-09', quietWeeks: ['2026-11-09', '2026-11-16'] }
    });

    expect(text(element, '.baseline')).toMatch(
      /^No engagement was created in the week of Nov 9 and the week of Nov 16,/
    );
    expect(text(element, '.baseline-start')).toBe(
      'Weeks before the week of Nov 9 are not checked: the org had no deal or no engagement yet.'
    );
    await expect(element).toBeAccessible();
  });

  it('says no week is checked before the org has a deal and an engagement', async () => {
    const weeks = HEALTH.baseline.weeks.map((week) => ({ ...week, created: 0, checked: false }));
    const element = await emit({
      ...HEALTH,
      baseline: { ...HEALTH.baseline, weeks, checkedFrom: null, quietWeeks: [] }
    });

    expect(query(element, '.baseline')).toBeNull();
    expect(text(element, '.baseline-start')).toMatch(/^No week is checked against the baseline yet/);
  });

  it('adds no note when every week is checked', async () => {
    const element = await emit(HEALTH);

    expect(query(element, '.baseline-start')).toBeNull();
  });

  it('shows no baseline warning when every week had engagements', async () => {
    const element = await emit({ ...HEALTH, baseline: { ...HEALTH.baseline, quietWeeks: [] } });

    expect(query(element, '.baseline')).toBeNull();
  });

  it('warns when the forecast the pages show is stale', async () => {
    const element = await emit({ ...HEALTH, stale: true, currentFinishedAt: '2026-11-21T09:00:00.000Z' });

    expect(text(element, '.stale')).toMatch(/finished 2 days ago, more than 24 hours ago/);
    await expect(element).toBeAccessible();
  });

  it('says when no forecast has completed yet', async () => {
    const element = await emit({ ...HEALTH, currentRunId: null, currentFinishedAt: null });

    expect(text(element, '.no-forecast')).toMatch(/No forecast has completed yet/);
  });

  it('shows a running run as running', async () => {
    const element = await emit({
      ...HEALTH,
      lastRun: { ...HEALTH.lastRun, status: 'Running', finishedAt: null, durationMs: null, error: null }
    });

    expect(query(element, '.last-run lightning-badge').label).toBe('Running');
    expect(text(element, '.age')).toMatch(/^Started 3 h ago/);
    expect(text(element, '.duration')).toBe('Still running');
  });

  it('tells the user what to do when the service has never run', async () => {
    const element = await emit({
      lastRun: null,
      currentRunId: null,
      currentFinishedAt: null,
      stale: false,
      staleAfterHours: 24,
      failures: [],
      baseline: { expectedPerWeek: 3, weeks: [], quietWeeks: [] }
    });

    expect(text(element, '.never-run')).toMatch(/Ask your Handoff admin to schedule it/);
    expect(query(element, '.last-run')).toBeNull();
    expect(query(element, '.run-history')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('refreshes on demand', async () => {
    const element = await emit(HEALTH);

    query(element, 'lightning-button-icon').click();
    await flush();

    expect(refreshApex).toHaveBeenCalledTimes(1);
  });

  it('reduces an Apex error to readable text', async () => {
    const element = render();
    getHealth.error({ message: 'Insufficient permissions: secure query included inaccessible field' });
    await flush();

    const panel = query(element, 'c-error-panel');
    expect(panel.shadowRoot.textContent).toMatch(/Could not load the forecast health.*inaccessible field/);
    await expect(element).toBeAccessible();
  });
});

describe('handoffFormat', () => {
  it('formats hours, weeks and lists', () => {
    expect(formatHours(12.345)).toBe('12.3');
    expect(formatHours(null)).toBe('');
    expect(formatWeek('2026-11-23')).toBe('Nov 23');
    expect(joinList(['a'])).toBe('a');
    expect(joinList(['a', 'b', 'c'])).toBe('a, b and c');
    expect(joinList([])).toBe('');
  });

  it('formats ages coarsely', () => {
    const now = Date.parse('2026-11-23T12:00:00.000Z');
    expect(formatAge('2026-11-23T11:59:30.000Z', now)).toBe('just now');
    expect(formatAge('2026-11-23T11:48:00.000Z', now)).toBe('12 min ago');
    expect(formatAge('2026-11-22T09:00:00.000Z', now)).toBe('27 h ago');
    expect(formatAge('2026-11-20T12:00:00.000Z', now)).toBe('3 days ago');
    expect(formatAge(null, now)).toBe('');
  });

  it('formats durations', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(42000)).toBe('42 s');
    expect(formatDuration(120000)).toBe('2 min');
    expect(formatDuration(125000)).toBe('2 min 5 s');
    expect(formatDuration(3780000)).toBe('1 h 3 min');
    expect(formatDuration(undefined)).toBe('');
  });
});
