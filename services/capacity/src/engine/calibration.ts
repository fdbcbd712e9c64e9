import { dayNumber, isoDate } from './calendar';
import { EngineInputError } from './validate';

/**
 * Win probabilities and close-date slip learned from the org's OpportunityHistory. Pure: history rows in, tables out.
 *
 * A deal counts once it has closed (a row with stage Closed Won or Closed Lost) inside the trailing window. For each
 * open stage it went through it gives one observation: the probability the rep had entered when the deal entered the
 * stage, whether the deal was won, how long it stayed in the stage, and how far its close date moved from the one
 * entered then to the one it closed on.
 */

/** One OpportunityHistory row (values after the change it records). */
export interface HistoryInput {
  /** OpportunityHistory Id, for error messages. */
  id: string;
  opportunityId: string;
  stage: string;
  /** Probability (%) entered, 0-100; null when blank. */
  probability: number | null;
  closeDate: string | null;
  /** CreatedDate: when the change happened (ISO date or date-time). */
  createdDate: string;
}

/** Where an open deal stands, for its calibrated probability and its slip distribution. */
export interface OpenDealStage {
  stage?: string;
  /** When the deal entered its stage (Opportunity.LastStageChangeDate), ISO date or date-time. */
  stageSince?: string;
}

export type ProbabilitySource = 'entered' | 'calibrated';

export interface CalibrationOptions {
  asOf: string;
  /** Trailing window of closed deals, in months (default 24). */
  windowMonths?: number;
  /**
   * Strength of the entered probability as a prior, in deals (default 10): a cell's win rate from n deals is
   * shrunk as (wins + k x entered) / (n + k), so with n = k history and entered probability weigh the same.
   */
  priorWeight?: number;
}

/**
 * Time-in-stage buckets, in days: an open deal is in [from, to). Its win rate is that of the closed deals that stayed
 * in the stage at least `from` days (the `30+` and `90+` cells; every deal reached day 0, so the first bucket is the
 * stage's `all` cell).
 */
export const AGE_BUCKETS = [
  { label: '0-30', from: 0, to: 30 },
  { label: '30-90', from: 30, to: 90 },
  { label: '90+', from: 90, to: Number.POSITIVE_INFINITY }
] as const;

/** A stage (and age bucket) with the deals it rests on. */
export interface CalibrationCell {
  stage: string;
  /** `all`, or `30+` / `90+`: the deals that stayed in the stage at least that many days. */
  bucket: string;
  deals: number;
  wins: number;
  /** Mean entered probability of those deals, 0-1. */
  entered: number;
  /** Observed win rate, 0-1. */
  observed: number;
  /** Win rate shrunk toward the entered mean: (wins + k x entered) / (deals + k), 0-1. */
  calibrated: number;
}

export interface ReliabilityRow {
  /** Predicted-probability bucket, e.g. `60-70%`. */
  bucket: string;
  entered: { count: number; predicted: number | null; observed: number | null };
  calibrated: { count: number; predicted: number | null; observed: number | null };
}

export interface SlipStats {
  stage: string;
  /** Won deals the distribution rests on. */
  count: number;
  meanWeeks: number;
  p10Weeks: number;
  p50Weeks: number;
  p90Weeks: number;
  /** Share of deals that closed later than the close date entered when they reached the stage. */
  lateShare: number;
}

export interface Calibration {
  windowMonths: number;
  priorWeight: number;
  windowStart: string;
  /** Closed deals in the window (won, lost). */
  deals: number;
  won: number;
  cells: CalibrationCell[];
  /** Mean squared error of entered and of calibrated (leave-one-out) probabilities over `observations`. */
  brier: { entered: number | null; calibrated: number | null; observations: number };
  reliability: ReliabilityRow[];
  /** Close-date slip of won deals by stage (and `all`), in whole weeks; positive = closed later. */
  slip: SlipStats[];
  /** Empirical slip samples (weeks) by stage, `all` pooled; what the Monte Carlo draws from. */
  slipSamples: Map<string, number[]>;
}

/** Observation of one closed deal in one open stage. */
export interface Observation {
  opportunityId: string;
  stage: string;
  /** Entered probability on entering the stage, 0-1; null when blank. */
  entered: number | null;
  won: boolean;
  /** Days spent in the stage (all visits). */
  days: number;
  /** Final close date minus the close date entered on entering the stage, in days; null when either is blank. */
  slipDays: number | null;
}

/** Fewer won deals than this in a stage: its slip is drawn from all stages pooled. */
export const MIN_SLIP_SAMPLES = 5;

const WON = /^closed won$/i;
const LOST = /^closed lost$/i;
const isClosed = (stage: string) => WON.test(stage) || LOST.test(stage);

/** Day number of an ISO date or date-time, or NaN. */
function dayOf(value: string): number {
  return dayNumber(value.slice(0, 10));
}

/** The first day of the window: `months` calendar months before `asOf` (day clamped to the month's length). */
export function windowStart(asOf: string, months: number): string {
  const day = dayNumber(asOf);
  const date = new Date(day * 86_400_000);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() - months;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return isoDate(Date.UTC(year, month, Math.min(date.getUTCDate(), last)) / 86_400_000);
}

function checkRow(row: HistoryInput): void {
  const record = `OpportunityHistory ${row.id}`;
  if (Number.isNaN(dayOf(String(row.createdDate ?? '')))) {
    throw new EngineInputError(record, 'CreatedDate', `is not a date: "${row.createdDate}"`);
  }
  if (row.closeDate !== null && Number.isNaN(dayNumber(row.closeDate))) {
    throw new EngineInputError(record, 'CloseDate', `is not a date (YYYY-MM-DD): "${row.closeDate}"`);
  }
  if (
    row.probability !== null &&
    (typeof row.probability !== 'number' || !(row.probability >= 0 && row.probability <= 100))
  ) {
    throw new EngineInputError(record, 'Probability', `must be between 0 and 100 (${row.probability})`);
  }
}

/**
 * Observations from history rows: deals closed in [windowStart, asOf], one per open stage they went through.
 * Rows of a deal are ordered by CreatedDate (input order among equal ones); rows after the first closed one are
 * ignored (a deal reopened later counts with its first outcome).
 */
export function observations(history: HistoryInput[], from: string, asOf: string): Observation[] {
  const first = dayNumber(from);
  const last = dayNumber(asOf);
  const byDeal = new Map<string, { row: HistoryInput; index: number }[]>();
  history.forEach((row, index) => {
    checkRow(row);
    let rows = byDeal.get(row.opportunityId);
    if (!rows) byDeal.set(row.opportunityId, (rows = []));
    rows.push({ row, index });
  });
  const result: Observation[] = [];
  for (const [opportunityId, entries] of byDeal) {
    entries.sort((a, b) => {
      if (a.row.createdDate !== b.row.createdDate) return a.row.createdDate < b.row.createdDate ? -1 : 1;
      return a.index - b.index;
    });
    const rows = entries.map((entry) => entry.row);
    const closing = rows.findIndex((row) => isClosed(row.stage));
    if (closing <= 0) continue; // still open, or created closed: no open stage to learn from
    const closedOn = dayOf(rows[closing]!.createdDate);
    if (closedOn < first || closedOn > last) continue;
    const won = WON.test(rows[closing]!.stage);
    const finalClose = rows[closing]!.closeDate;
    const byStage = new Map<string, Observation>();
    for (let index = 0; index < closing; index++) {
      const row = rows[index]!;
      const enteredStage = index === 0 || rows[index - 1]!.stage !== row.stage;
      // A visit lasts until the next row with another stage.
      let next = index + 1;
      while (next < closing && rows[next]!.stage === row.stage) next++;
      if (!enteredStage) continue;
      const days = dayOf(rows[next]!.createdDate) - dayOf(row.createdDate);
      const known = byStage.get(row.stage);
      if (known) {
        known.days += days;
        continue;
      }
      byStage.set(row.stage, {
        opportunityId,
        stage: row.stage,
        entered: row.probability === null ? null : row.probability / 100,
        won,
        days,
        slipDays:
          finalClose === null || row.closeDate === null ? null : dayNumber(finalClose) - dayNumber(row.closeDate)
      });
    }
    result.push(...byStage.values());
  }
  return result;
}

interface Tally {
  deals: number;
  wins: number;
  enteredSum: number;
}

const shrink = (wins: number, deals: number, prior: number, k: number) =>
  deals + k === 0 ? prior : (wins + k * prior) / (deals + k);

/** The calibration tables, Brier scores, reliability table and slip distributions from history rows. */
export function calibrate(history: HistoryInput[], options: CalibrationOptions): Calibration {
  const windowMonths = options.windowMonths ?? 24;
  const priorWeight = options.priorWeight ?? 10;
  if (!Number.isInteger(windowMonths) || windowMonths < 1 || windowMonths > 120) {
    throw new EngineInputError('Handoff_Setting__mdt Default', 'Calibration_Window_Months__c', 'must be 1 to 120');
  }
  if (!(priorWeight >= 0 && priorWeight <= 1000)) {
    throw new EngineInputError('Handoff_Setting__mdt Default', 'Calibration_Prior_Weight__c', 'must be 0 to 1000');
  }
  const from = windowStart(options.asOf, windowMonths);
  const seen = observations(history, from, options.asOf);
  const rated = seen.filter((observation) => observation.entered !== null);

  // Cells: per stage (`all`) and per age bucket a deal reached (stayed at least `from` days, from 30 on).
  const tallies = new Map<string, Tally>();
  const tally = (stage: string, bucket: string, observation: Observation) => {
    const key = `${stage}\u0000${bucket}`;
    let entry = tallies.get(key);
    if (!entry) tallies.set(key, (entry = { deals: 0, wins: 0, enteredSum: 0 }));
    entry.deals++;
    if (observation.won) entry.wins++;
    entry.enteredSum += observation.entered!;
  };
  for (const observation of rated) {
    tally(observation.stage, 'all', observation);
    for (const bucket of AGE_BUCKETS) {
      if (bucket.from > 0 && observation.days >= bucket.from)
        tally(observation.stage, cellBucket(bucket.from), observation);
    }
  }
  const cells: CalibrationCell[] = [...tallies.entries()]
    .map(([key, entry]) => {
      const [stage, bucket] = key.split('\u0000') as [string, string];
      const entered = entry.enteredSum / entry.deals;
      return {
        stage,
        bucket,
        deals: entry.deals,
        wins: entry.wins,
        entered,
        observed: entry.wins / entry.deals,
        calibrated: shrink(entry.wins, entry.deals, entered, priorWeight)
      };
    })
    .sort((a, b) => a.stage.localeCompare(b.stage) || bucketOrder(a.bucket) - bucketOrder(b.bucket));

  // Brier scores: entered vs calibrated, each observation predicted from the other deals (leave-one-out) of its
  // stage, shrunk toward its own entered probability, as a deal entering the stage would be.
  let enteredError = 0;
  let calibratedError = 0;
  const reliability = emptyReliability();
  for (const observation of rated) {
    const outcome = observation.won ? 1 : 0;
    const stage = tallies.get(`${observation.stage}\u0000all`)!;
    const entered = observation.entered!;
    const calibrated = shrink(stage.wins - outcome, stage.deals - 1, entered, priorWeight);
    enteredError += (entered - outcome) ** 2;
    calibratedError += (calibrated - outcome) ** 2;
    addReliability(reliability, 'entered', entered, outcome);
    addReliability(reliability, 'calibrated', calibrated, outcome);
  }

  const slipSamples = new Map<string, number[]>([['all', []]]);
  for (const observation of seen) {
    if (!observation.won || observation.slipDays === null) continue;
    const weeks = Math.round(observation.slipDays / 7);
    let samples = slipSamples.get(observation.stage);
    if (!samples) slipSamples.set(observation.stage, (samples = []));
    samples.push(weeks);
    slipSamples.get('all')!.push(weeks);
  }
  for (const samples of slipSamples.values()) samples.sort((a, b) => a - b);

  const deals = new Map(seen.map((observation) => [observation.opportunityId, observation.won]));
  return {
    windowMonths,
    priorWeight,
    windowStart: from,
    deals: deals.size,
    won: [...deals.values()].filter(Boolean).length,
    cells,
    brier: {
      entered: rated.length ? enteredError / rated.length : null,
      calibrated: rated.length ? calibratedError / rated.length : null,
      observations: rated.length
    },
    reliability: reliability.map(finishReliability),
    slip: [...slipSamples.entries()]
      .filter(([, samples]) => samples.length > 0)
      .map(([stage, samples]) => slipStats(stage, samples))
      .sort((a, b) => (a.stage === 'all' ? 1 : b.stage === 'all' ? -1 : a.stage.localeCompare(b.stage))),
    slipSamples
  };
}

/** The cell of deals that stayed at least `from` days: `all` from day 0. */
const cellBucket = (from: number) => (from === 0 ? 'all' : `${from}+`);
const bucketOrder = (bucket: string) => (bucket === 'all' ? 0 : Number.parseInt(bucket, 10));

/** The age bucket of a deal that has been in its stage `days` days. */
export function ageBucket(days: number): string {
  return (AGE_BUCKETS.find((bucket) => days >= bucket.from && days < bucket.to) ?? AGE_BUCKETS[0]).label;
}

/**
 * Calibrated win probability (0-1) of an open deal with entered probability `entered` (0-1): the win rate of the
 * closed deals of its stage that stayed in it at least as long as its age bucket starts (the stage's, when none
 * stayed that long), shrunk toward `entered` by the prior weight. A stage without history, or a deal without a
 * stage, keeps its entered probability.
 */
export function calibratedProbability(
  calibration: Calibration,
  deal: OpenDealStage,
  entered: number,
  asOf: string
): number {
  if (!deal.stage) return entered;
  const since = deal.stageSince ? dayOf(deal.stageSince) : Number.NaN;
  const days = Number.isNaN(since) ? 0 : Math.max(0, dayNumber(asOf) - since);
  const from = AGE_BUCKETS.find((bucket) => bucket.label === ageBucket(days))!.from;
  const cell = cellOf(calibration, deal.stage, cellBucket(from)) ?? cellOf(calibration, deal.stage, 'all');
  if (!cell) return entered;
  return shrink(cell.wins, cell.deals, entered, calibration.priorWeight);
}

function cellOf(calibration: Calibration, stage: string, bucket: string): CalibrationCell | undefined {
  return calibration.cells.find((cell) => cell.stage === stage && cell.bucket === bucket);
}

/** Slip samples (weeks) for a deal in `stage`: its stage's when there are enough, else all stages pooled. */
export function slipSamplesFor(calibration: Calibration, stage: string | undefined): number[] {
  const own = stage ? calibration.slipSamples.get(stage) : undefined;
  if (own && own.length >= MIN_SLIP_SAMPLES) return own;
  return calibration.slipSamples.get('all') ?? [];
}

function slipStats(stage: string, sorted: number[]): SlipStats {
  const round1 = (value: number) => Math.round(value * 10) / 10;
  return {
    stage,
    count: sorted.length,
    meanWeeks: round1(sorted.reduce((sum, value) => sum + value, 0) / sorted.length),
    p10Weeks: round1(quantileOf(sorted, 0.1)),
    p50Weeks: round1(quantileOf(sorted, 0.5)),
    p90Weeks: round1(quantileOf(sorted, 0.9)),
    lateShare: round1((100 * sorted.filter((value) => value > 0).length) / sorted.length) / 100
  };
}

/** Quantile of sorted values by linear interpolation between closest ranks (as the Monte Carlo bands). */
function quantileOf(sorted: number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

interface ReliabilitySums {
  bucket: string;
  entered: { count: number; predicted: number; observed: number };
  calibrated: { count: number; predicted: number; observed: number };
}

function emptyReliability(): ReliabilitySums[] {
  return Array.from({ length: 10 }, (_, index) => ({
    bucket: `${index * 10}-${index * 10 + 10}%`,
    entered: { count: 0, predicted: 0, observed: 0 },
    calibrated: { count: 0, predicted: 0, observed: 0 }
  }));
}

/** Buckets [0, 10%), [10%, 20%), ..., [90%, 100%]. */
function addReliability(rows: ReliabilitySums[], source: ProbabilitySource, predicted: number, outcome: number): void {
  const row = rows[Math.min(9, Math.floor(predicted * 10 + 1e-9))]!;
  row[source].count++;
  row[source].predicted += predicted;
  row[source].observed += outcome;
}

function finishReliability(row: ReliabilitySums): ReliabilityRow {
  const finish = (sums: ReliabilitySums['entered']) => ({
    count: sums.count,
    predicted: sums.count ? Math.round((1000 * sums.predicted) / sums.count) / 1000 : null,
    observed: sums.count ? Math.round((1000 * sums.observed) / sums.count) / 1000 : null
  });
  return { bucket: row.bucket, entered: finish(row.entered), calibrated: finish(row.calibrated) };
}
