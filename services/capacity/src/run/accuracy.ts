import { dayNumber, isoDate } from '../engine/calendar';
import type { Forecast } from '../engine/types';
import type { OutputRow } from './rows';

/**
 * Forecast accuracy: each run keeps a compact snapshot of its weekly forecast by role (one Forecast_Snapshot__c per
 * as-of day and role, the weeks as JSON), thins old snapshots by the retention setting, and compares what earlier
 * snapshots forecast for the weeks that have passed with what was confirmed in those weeks, writing the bias and
 * error by role and lead time to Forecast_Accuracy__c. Pure: no I/O here, the runner reads and writes.
 *
 * Why snapshots by role and day, not by row: at 60 roles and 104 weeks, one record per role × week × run would be
 * 6,240 rows a run (four Bulk jobs a week of daily runs); one per role is 60 rows, a single Collections call, and a
 * snapshot's JSON (two series of up to 104 numbers) stays far under the 32,768 characters of Weeks__c.
 */

/** Lead times compared, in weeks: the forecast made 1 to 12 weeks before the week it is about. */
export const MAX_LEAD_WEEKS = 12;
/** Weeks of runs the first accuracy row needs: the week forecast one week ahead and the week itself. */
export const MIN_WEEKS_OF_RUNS = 2;
/** Snapshots older than the daily window are thinned over this many weeks at each run (see retentionDeletes). */
export const THINNING_BAND_WEEKS = 4;

export interface AccuracySettings {
  /** Snapshots of the last this many weeks are kept for every day (default 8). */
  dailyWeeks: number;
  /** Snapshots older than this many weeks are deleted (default 104). */
  retentionWeeks: number;
  /** Weeks that passed in this many weeks before the as-of week are compared (default 26). */
  windowWeeks: number;
}

export const DEFAULT_ACCURACY_SETTINGS: AccuracySettings = { dailyWeeks: 8, retentionWeeks: 104, windowWeeks: 26 };

type Row = Record<string, unknown>;

/** The Default Handoff_Setting__mdt record's retention and window, defaults for blanks; out-of-range values refused. */
export function accuracySettings(rows: Row[]): AccuracySettings {
  const row = rows[0] ?? {};
  const read = (field: string, fallback: number, min: number, max: number) => {
    const value = row[field];
    if (value === null || value === undefined || value === '') return fallback;
    const number = Number(value);
    if (!Number.isInteger(number) || number < min || number > max) {
      throw new Error(
        `Handoff_Setting__mdt.Default: ${field} ${String(value)} is not a whole number from ${min} to ${max}`
      );
    }
    return number;
  };
  const settings = {
    dailyWeeks: read('Snapshot_Daily_Weeks__c', DEFAULT_ACCURACY_SETTINGS.dailyWeeks, 0, 520),
    retentionWeeks: read('Snapshot_Retention_Weeks__c', DEFAULT_ACCURACY_SETTINGS.retentionWeeks, 1, 520),
    windowWeeks: read('Accuracy_Window_Weeks__c', DEFAULT_ACCURACY_SETTINGS.windowWeeks, 1, 104)
  };
  if (settings.retentionWeeks < settings.dailyWeeks) {
    throw new Error(
      `Handoff_Setting__mdt.Default: Snapshot_Retention_Weeks__c ${settings.retentionWeeks} is less than Snapshot_Daily_Weeks__c ${settings.dailyWeeks}`
    );
  }
  return settings;
}

export const mondayOf = (date: string): string => {
  const day = dayNumber(date);
  // Day 0 (1970-01-01) was a Thursday: Monday is 3 days before it.
  return isoDate(day - ((((day + 3) % 7) + 7) % 7));
};
const addWeeks = (date: string, weeks: number) => isoDate(dayNumber(date) + 7 * weeks);

/**
 * The snapshot query of a run: the snapshots accuracy compares (from the first forecast of the window), the band
 * that may be thinned, and those past retention (to delete). Dates only: no caller text.
 */
export function snapshotQuery(asOf: string, settings: AccuracySettings): string {
  const { readFrom, expiredBefore } = snapshotBounds(asOf, settings);
  return (
    'SELECT Id, Snapshot_Key__c, As_Of__c, Week_Start__c, Role__c, Weeks__c FROM Forecast_Snapshot__c ' +
    `WHERE As_Of__c >= ${readFrom} OR As_Of__c < ${expiredBefore}`
  );
}

export const ACCURACY_QUERY =
  'SELECT Id, Accuracy_Key__c, Role__c, Lead_Weeks__c, Weeks_Compared__c, First_Week__c, Last_Week__c, Actual_Hours__c, ' +
  'Weighted_Bias_Hours__c, Weighted_MAE_Hours__c, Weighted_Error_Pct__c, Confirmed_Bias_Hours__c, Confirmed_MAE_Hours__c, ' +
  'Confirmed_Error_Pct__c FROM Forecast_Accuracy__c';

export function snapshotBounds(asOf: string, settings: AccuracySettings) {
  const thisWeek = mondayOf(asOf);
  const dailyFrom = addWeeks(thisWeek, -settings.dailyWeeks);
  const compareFrom = addWeeks(thisWeek, -(settings.windowWeeks + MAX_LEAD_WEEKS));
  const thinFrom = addWeeks(dailyFrom, -THINNING_BAND_WEEKS);
  return {
    thisWeek,
    dailyFrom,
    readFrom: compareFrom < thinFrom ? compareFrom : thinFrom,
    expiredBefore: addWeeks(thisWeek, -settings.retentionWeeks)
  };
}

const round1 = (value: number) => Math.round(value * 10) / 10;
const round2 = (value: number) => Math.round(value * 100) / 100;

/** This run's snapshot: one row per role, the confirmed and weighted hours of each week of the horizon. */
export function snapshotRows(forecast: Forecast, asOf: string, runId: string | null): OutputRow[] {
  const weeks = forecast.weeks.length;
  return forecast.roles.map((role, row) => {
    const series = (grid: Float64Array) =>
      Array.from(grid.subarray(row * weeks, (row + 1) * weeks), (value) => round1(value));
    return {
      key: `${asOf}:${role}`.slice(0, 120),
      fields: {
        Run__c: runId,
        As_Of__c: asOf,
        Week_Start__c: forecast.weeks[0] ?? mondayOf(asOf),
        Role__c: role.slice(0, 80),
        Weeks__c: JSON.stringify({ c: series(forecast.grids.confirmed), w: series(forecast.grids.weighted) })
      }
    };
  });
}

export interface Snapshot {
  id?: string;
  asOf: string;
  weekStart: string;
  role: string;
  confirmed: number[];
  weighted: number[];
}

/** Stored snapshot rows as snapshots; a row whose Weeks__c is not the JSON this service writes fails, named. */
export function parseSnapshots(rows: Row[]): Snapshot[] {
  return rows.map((row) => {
    const asOf = String(row.As_Of__c ?? '');
    const role = String(row.Role__c ?? '');
    let parsed: { c?: unknown; w?: unknown };
    try {
      parsed = JSON.parse(String(row.Weeks__c ?? '')) as { c?: unknown; w?: unknown };
    } catch {
      parsed = {};
    }
    const numbers = (value: unknown) =>
      Array.isArray(value) && value.every((item) => typeof item === 'number' && Number.isFinite(item))
        ? (value as number[])
        : undefined;
    const confirmed = numbers(parsed.c);
    const weighted = numbers(parsed.w);
    if (!confirmed || !weighted || !/^\d{4}-\d{2}-\d{2}$/.test(asOf) || !role) {
      throw new Error(
        `Forecast_Snapshot__c ${String(row.Snapshot_Key__c ?? row.Id)}: Weeks__c, As_Of__c or Role__c is not what the capacity service writes ({"c":[hours…],"w":[hours…]}, a date, a role)`
      );
    }
    return {
      id: row.Id === undefined ? undefined : String(row.Id),
      asOf,
      weekStart: mondayOf(asOf),
      role,
      confirmed,
      weighted
    };
  });
}

/**
 * Snapshot Ids the retention policy deletes: every snapshot of a week before `expiredBefore`, and in the thinning
 * band (the weeks just older than the daily window) all but the latest snapshot of each week and role. The band is
 * a few weeks wide so a run reads a bounded number of rows; a service stopped for longer than the band leaves those
 * extra days until they expire.
 */
export function retentionDeletes(snapshots: Snapshot[], asOf: string, settings: AccuracySettings): string[] {
  const { dailyFrom, expiredBefore } = snapshotBounds(asOf, settings);
  const deletes: string[] = [];
  const latest = new Map<string, Snapshot>();
  for (const snapshot of snapshots) {
    if (!snapshot.id) continue;
    if (snapshot.asOf < expiredBefore) {
      deletes.push(snapshot.id);
    } else if (snapshot.asOf < dailyFrom) {
      const key = `${snapshot.weekStart}|${snapshot.role}`;
      const kept = latest.get(key);
      if (!kept || snapshot.asOf > kept.asOf) {
        if (kept) deletes.push(kept.id!);
        latest.set(key, snapshot);
      } else {
        deletes.push(snapshot.id);
      }
    }
  }
  return deletes;
}

interface Sums {
  n: number;
  actual: number;
  weightedError: number;
  weightedAbs: number;
  confirmedError: number;
  confirmedAbs: number;
  first: string;
  last: string;
}

/**
 * Bias and error by role and lead time over the weeks that passed in the window:
 *
 * - the **actual** of role R in week W is the confirmed hours of W in the latest snapshot taken in W (what was
 *   confirmed and booked once the week was under way); the current week is not compared until it has passed;
 * - the **forecast** at lead L is the latest snapshot taken in the week L weeks before W: its weighted hours for W
 *   (confirmed plus pipeline × probability) and its confirmed hours for W (what was already won then);
 * - error = forecast − actual per role-week; **bias** is its mean (positive: forecast too high), **MAE** the mean of
 *   its absolute value, **error %** Σ|error| / Σ actual × 100 (weighted absolute percentage error: per-week
 *   percentages would divide by weeks with nothing confirmed), blank when nothing was confirmed in those weeks.
 *
 * One row per (role, lead) with at least one week compared, plus the same for all roles together (Role__c blank,
 * every role-week pooled).
 */
export function accuracyRows(
  snapshots: Snapshot[],
  asOf: string,
  settings: AccuracySettings,
  runId: string | null
): OutputRow[] {
  const { thisWeek } = snapshotBounds(asOf, settings);
  const firstWeek = addWeeks(thisWeek, -settings.windowWeeks);
  const byWeek = new Map<string, Snapshot>();
  for (const snapshot of snapshots) {
    const key = `${snapshot.weekStart}|${snapshot.role}`;
    const kept = byWeek.get(key);
    if (!kept || snapshot.asOf > kept.asOf) byWeek.set(key, snapshot);
  }
  const sums = new Map<string, Sums & { role: string | null; lead: number }>();
  const add = (
    role: string | null,
    lead: number,
    week: string,
    actual: number,
    weighted: number,
    confirmed: number
  ) => {
    const key = `${role ?? ''}|${lead}`;
    let cell = sums.get(key);
    if (!cell) {
      cell = {
        role,
        lead,
        n: 0,
        actual: 0,
        weightedError: 0,
        weightedAbs: 0,
        confirmedError: 0,
        confirmedAbs: 0,
        first: week,
        last: week
      };
      sums.set(key, cell);
    }
    cell.n++;
    cell.actual += actual;
    cell.weightedError += weighted - actual;
    cell.weightedAbs += Math.abs(weighted - actual);
    cell.confirmedError += confirmed - actual;
    cell.confirmedAbs += Math.abs(confirmed - actual);
    if (week < cell.first) cell.first = week;
    if (week > cell.last) cell.last = week;
  };
  const roles = [...new Set(snapshots.map((snapshot) => snapshot.role))].sort();
  for (let week = firstWeek; week < thisWeek; week = addWeeks(week, 1)) {
    for (const role of roles) {
      const actualSnapshot = byWeek.get(`${week}|${role}`);
      const actual = actualSnapshot?.confirmed[0];
      if (actual === undefined) continue;
      for (let lead = 1; lead <= MAX_LEAD_WEEKS; lead++) {
        const earlier = byWeek.get(`${addWeeks(week, -lead)}|${role}`);
        const weighted = earlier?.weighted[lead];
        const confirmed = earlier?.confirmed[lead];
        if (weighted === undefined || confirmed === undefined) continue;
        add(role, lead, week, actual, weighted, confirmed);
        add(null, lead, week, actual, weighted, confirmed);
      }
    }
  }
  return [...sums.values()]
    .sort((a, b) => (a.role ?? '').localeCompare(b.role ?? '') || a.lead - b.lead)
    .map((cell) => ({
      key: (cell.role === null ? `All:${cell.lead}` : `Role:${cell.role}:${cell.lead}`).slice(0, 120),
      fields: {
        Run__c: runId,
        Role__c: cell.role === null ? null : cell.role.slice(0, 80),
        Lead_Weeks__c: cell.lead,
        Weeks_Compared__c: cell.n,
        First_Week__c: cell.first,
        Last_Week__c: cell.last,
        Actual_Hours__c: round2(cell.actual / cell.n),
        Weighted_Bias_Hours__c: round2(cell.weightedError / cell.n),
        Weighted_MAE_Hours__c: round2(cell.weightedAbs / cell.n),
        Weighted_Error_Pct__c: cell.actual > 0 ? round1((100 * cell.weightedAbs) / cell.actual) : null,
        Confirmed_Bias_Hours__c: round2(cell.confirmedError / cell.n),
        Confirmed_MAE_Hours__c: round2(cell.confirmedAbs / cell.n),
        Confirmed_Error_Pct__c: cell.actual > 0 ? round1((100 * cell.confirmedAbs) / cell.actual) : null
      }
    }));
}
