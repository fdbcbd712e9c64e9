import {
  accuracyRows,
  accuracySettings,
  DEFAULT_ACCURACY_SETTINGS,
  MAX_LEAD_WEEKS,
  mondayOf,
  parseSnapshots,
  retentionDeletes,
  snapshotQuery,
  snapshotRows,
  type Snapshot
} from './accuracy';
import type { Forecast } from '../engine/types';

const AS_OF = '2026-11-25'; // a Wednesday; its week starts 2026-11-23
const settings = DEFAULT_ACCURACY_SETTINGS;

const snapshot = (asOf: string, role: string, confirmed: number[], weighted: number[], id?: string): Snapshot => ({
  id,
  asOf,
  weekStart: mondayOf(asOf),
  role,
  confirmed,
  weighted
});
const weeksBefore = (weeks: number, date = '2026-11-23') =>
  new Date(Date.parse(`${date}T00:00:00Z`) - weeks * 7 * 86_400_000).toISOString().slice(0, 10);

describe('forecast snapshots', () => {
  it('are one compact row per role, keyed by day and role, holding every week of the horizon', () => {
    const forecast = {
      weeks: ['2026-11-23', '2026-11-30', '2026-12-07'],
      roles: ['Developer', 'Trainer'],
      grids: {
        confirmed: Float64Array.from([10, 20, 30, 1, 2, 3]),
        weighted: Float64Array.from([10.04, 25.55, 40, 1, 2.5, 3])
      }
    } as unknown as Forecast;

    const rows = snapshotRows(forecast, AS_OF, 'a0Brun');

    expect(rows).toHaveLength(2);
    expect(rows[1]).toEqual({
      key: '2026-11-25:Trainer',
      fields: {
        Run__c: 'a0Brun',
        As_Of__c: AS_OF,
        Week_Start__c: '2026-11-23',
        Role__c: 'Trainer',
        Weeks__c: '{"c":[1,2,3],"w":[1,2.5,3]}'
      }
    });
    expect(JSON.parse(String(rows[0]!.fields.Weeks__c))).toEqual({ c: [10, 20, 30], w: [10, 25.6, 40] });
    // 60 roles x 104 weeks: 60 rows, each far below the 32,768 characters of Weeks__c.
    const big = {
      weeks: Array.from({ length: 104 }, (_, week) => weeksBefore(-week)),
      roles: Array.from({ length: 60 }, (_, role) => `Role ${role}`),
      grids: {
        confirmed: Float64Array.from({ length: 6240 }, () => 12345.6),
        weighted: Float64Array.from({ length: 6240 }, () => 12345.6)
      }
    } as unknown as Forecast;
    const bigRows = snapshotRows(big, AS_OF, null);
    expect(bigRows).toHaveLength(60);
    expect(Math.max(...bigRows.map((row) => String(row.fields.Weeks__c).length))).toBeLessThan(2_000);
  });

  it('refuse a stored snapshot whose weeks are not what the service writes, naming it', () => {
    expect(() =>
      parseSnapshots([
        {
          Id: 'a0S1',
          Snapshot_Key__c: '2026-11-23:Developer',
          As_Of__c: '2026-11-23',
          Role__c: 'Developer',
          Weeks__c: '{"c":[1]}'
        }
      ])
    ).toThrow('Forecast_Snapshot__c 2026-11-23:Developer: Weeks__c');
  });
});

describe('retention', () => {
  it('keeps every day of the daily window, the last snapshot of each older week, and deletes what is past retention', () => {
    const thisWeek = '2026-11-23';
    const daily = weeksBefore(2, thisWeek); // inside the 8-week daily window
    const thinned = weeksBefore(9, thisWeek); // the week just past it
    const day = (monday: string, offset: number) =>
      new Date(Date.parse(`${monday}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
    const stored = [
      snapshot(day(daily, 0), 'Developer', [1], [1], 'keep-daily-mon'),
      snapshot(day(daily, 3), 'Developer', [1], [1], 'keep-daily-thu'),
      snapshot(day(thinned, 0), 'Developer', [1], [1], 'thin-mon'),
      snapshot(day(thinned, 4), 'Developer', [1], [1], 'keep-fri'),
      snapshot(day(thinned, 2), 'Developer', [1], [1], 'thin-wed'),
      snapshot(day(thinned, 0), 'Trainer', [1], [1], 'keep-trainer'),
      snapshot(weeksBefore(104, thisWeek), 'Developer', [1], [1], 'keep-oldest-week'),
      snapshot(day(weeksBefore(105, thisWeek), 6), 'Developer', [1], [1], 'expired')
    ];

    expect(retentionDeletes(stored, AS_OF, settings).sort()).toEqual(['expired', 'thin-mon', 'thin-wed']);
    // Planted: a policy keeping a single day would delete the daily window too.
    expect(retentionDeletes(stored, AS_OF, { ...settings, dailyWeeks: 0 })).toContain('keep-daily-mon');
  });

  it('reads only the snapshots it compares or may delete, by date', () => {
    expect(snapshotQuery(AS_OF, settings)).toBe(
      'SELECT Id, Snapshot_Key__c, As_Of__c, Week_Start__c, Role__c, Weeks__c FROM Forecast_Snapshot__c ' +
        `WHERE As_Of__c >= ${weeksBefore(26 + MAX_LEAD_WEEKS)} OR As_Of__c < ${weeksBefore(104)}`
    );
  });

  it('takes its policy from the Default setting, with defaults for blanks, and refuses nonsense naming the field', () => {
    expect(accuracySettings([])).toEqual(settings);
    expect(
      accuracySettings([
        { Snapshot_Daily_Weeks__c: 2, Snapshot_Retention_Weeks__c: 52, Accuracy_Window_Weeks__c: null }
      ])
    ).toEqual({ dailyWeeks: 2, retentionWeeks: 52, windowWeeks: 26 });
    expect(() => accuracySettings([{ Snapshot_Retention_Weeks__c: 0 }])).toThrow(
      'Handoff_Setting__mdt.Default: Snapshot_Retention_Weeks__c 0 is not a whole number from 1 to 520'
    );
    expect(() => accuracySettings([{ Snapshot_Daily_Weeks__c: 10, Snapshot_Retention_Weeks__c: 4 }])).toThrow(
      'Snapshot_Retention_Weeks__c 4 is less than Snapshot_Daily_Weeks__c 10'
    );
  });
});

describe('accuracy by role and lead time', () => {
  const lastWeek = weeksBefore(1);
  const twoWeeksAgo = weeksBefore(2);
  const threeWeeksAgo = weeksBefore(3);

  it('compares the forecast made L weeks before a passed week with what was confirmed in that week', () => {
    const snapshots = [
      // Three weeks ago: the forecast of the next weeks (index 0 = that week).
      snapshot(threeWeeksAgo, 'Developer', [50, 40, 30, 20], [60, 70, 80, 90]),
      // Two weeks ago, Monday and Thursday: the later one counts for that week.
      snapshot(twoWeeksAgo, 'Developer', [0, 0, 0], [0, 0, 0]),
      snapshot(weeksBefore(2, '2026-11-26'), 'Developer', [55, 45, 35], [65, 75, 85]),
      snapshot(lastWeek, 'Developer', [60, 50], [62, 55]),
      // This week: not compared until it has passed.
      snapshot('2026-11-23', 'Developer', [100], [100])
    ];

    const rows = accuracyRows(snapshots, AS_OF, settings, 'a0Brun');
    const row = (key: string) => rows.find((candidate) => candidate.key === key)?.fields;

    // Lead 1: two weeks ago forecast last week 75 (weighted) and 45 (confirmed), actual 60; three weeks ago forecast
    // two weeks ago 70 and 40, actual 55. Errors +15 and +15 (weighted), -15 and -15 (confirmed).
    expect(row('Role:Developer:1')).toEqual({
      Run__c: 'a0Brun',
      Role__c: 'Developer',
      Lead_Weeks__c: 1,
      Weeks_Compared__c: 2,
      First_Week__c: twoWeeksAgo,
      Last_Week__c: lastWeek,
      Actual_Hours__c: 57.5,
      Weighted_Bias_Hours__c: 15,
      Weighted_MAE_Hours__c: 15,
      Weighted_Error_Pct__c: 26.1, // 30 / 115
      Confirmed_Bias_Hours__c: -15,
      Confirmed_MAE_Hours__c: 15,
      Confirmed_Error_Pct__c: 26.1
    });
    // Lead 2: three weeks ago forecast last week 80 / 30; actual 60.
    expect(row('Role:Developer:2')).toMatchObject({
      Weeks_Compared__c: 1,
      Weighted_Bias_Hours__c: 20,
      Confirmed_Bias_Hours__c: -30,
      Weighted_Error_Pct__c: 33.3
    });
    expect(row('Role:Developer:3')).toBeUndefined(); // no snapshot four weeks ago
    expect(row('All:1')).toMatchObject({ Role__c: null, Weeks_Compared__c: 2, Weighted_Bias_Hours__c: 15 });
  });

  it('pools every role-week for all roles, and leaves the error % blank when nothing was confirmed', () => {
    const snapshots = [
      snapshot(twoWeeksAgo, 'Developer', [0, 10], [0, 30]),
      snapshot(lastWeek, 'Developer', [20], [20]),
      snapshot(twoWeeksAgo, 'Trainer', [0, 0], [0, 8]),
      snapshot(lastWeek, 'Trainer', [0], [0])
    ];

    const rows = accuracyRows(snapshots, AS_OF, settings, null);
    const row = (key: string) => rows.find((candidate) => candidate.key === key)?.fields;

    expect(row('Role:Trainer:1')).toMatchObject({
      Actual_Hours__c: 0,
      Weighted_Bias_Hours__c: 8,
      Weighted_Error_Pct__c: null,
      Confirmed_Error_Pct__c: null
    });
    // Developer +10, Trainer +8: bias 9, error (10 + 8) / 20 = 90%.
    expect(row('All:1')).toMatchObject({
      Weeks_Compared__c: 2,
      Actual_Hours__c: 10,
      Weighted_Bias_Hours__c: 9,
      Weighted_Error_Pct__c: 90,
      Confirmed_Bias_Hours__c: -5,
      Confirmed_Error_Pct__c: 50
    });
  });

  it('compares only the weeks of the window', () => {
    const old = weeksBefore(30);
    const snapshots = [snapshot(weeksBefore(31), 'Developer', [0, 10], [0, 10]), snapshot(old, 'Developer', [5], [5])];
    expect(accuracyRows(snapshots, AS_OF, settings, null)).toEqual([]);
    expect(accuracyRows(snapshots, AS_OF, { ...settings, windowWeeks: 30 }, null)).toHaveLength(2);
  });

  it('has nothing to say with one week of runs', () => {
    expect(accuracyRows([snapshot('2026-11-23', 'Developer', [1, 2], [1, 2])], AS_OF, settings, null)).toEqual([]);
  });
});
