import {
  calibrate,
  calibratedProbability,
  observations,
  slipSamplesFor,
  windowStart,
  type HistoryInput
} from './calibration';
import { AS_OF, cell, input, line, person, ROLES } from './fixtures';
import { forecast } from './forecast';
import { monteCarlo } from './monte-carlo';
import { EngineInputError } from './validate';

let sequence = 0;
/** One OpportunityHistory row: the values after a change on `created`. */
const h = (opportunityId: string, created: string, stage: string, probability: number | null, close: string | null) =>
  ({
    id: `008H${String(++sequence).padStart(3, '0')}`,
    opportunityId,
    stage,
    probability,
    closeDate: close,
    createdDate: `${created}T10:00:00.000+0000`
  }) satisfies HistoryInput;

const P = 'Prospecting';
const N = 'Negotiation/Review';

/**
 * Closed deals in the window (as of 2026-01-05, 24 months: from 2024-01-05):
 * - A: Prospecting 10% (close 03-01) on 2025-01-01, Negotiation 90% (close 03-15) on 01-21, won 2025-03-29.
 * - B: Prospecting 10% (close 04-01) on 2025-02-01, lost 02-11.
 * - C: Negotiation 90% (close 04-30) on 2025-03-01, lost 06-29 (120 days in the stage).
 * - F: Prospecting 20% on 2025-04-01, Negotiation 80% 04-11, back to Prospecting 04-21, Negotiation 05-01, won
 *   05-11 (close 06-30 entered throughout, closed 05-11).
 * Not counted: D closed 2023-06-01 (before the window), E still open.
 */
const HISTORY: HistoryInput[] = [
  h('A', '2025-01-01', P, 10, '2025-03-01'),
  h('A', '2025-01-21', N, 90, '2025-03-15'),
  h('A', '2025-03-29', 'Closed Won', 100, '2025-03-29'),
  h('B', '2025-02-01', P, 10, '2025-04-01'),
  h('B', '2025-02-11', 'Closed Lost', 0, '2025-02-11'),
  h('C', '2025-03-01', N, 90, '2025-04-30'),
  h('C', '2025-06-29', 'Closed Lost', 0, '2025-06-29'),
  h('D', '2023-05-01', P, 10, '2023-06-01'),
  h('D', '2023-06-01', 'Closed Won', 100, '2023-06-01'),
  h('E', '2025-12-01', P, 10, '2026-03-01'),
  h('F', '2025-04-01', P, 20, '2025-06-30'),
  h('F', '2025-04-11', N, 80, '2025-06-30'),
  h('F', '2025-04-21', P, 20, '2025-06-30'),
  h('F', '2025-05-01', N, 85, '2025-06-30'),
  h('F', '2025-05-11', 'Closed Won', 100, '2025-05-11')
];

describe('calibration: observations from OpportunityHistory', () => {
  it('takes calendar months for the window', () => {
    expect(windowStart('2026-01-05', 24)).toBe('2024-01-05');
    // 2026-03-31 minus one month: February has no 31st, so the window starts on its last day.
    expect(windowStart('2026-03-31', 1)).toBe('2026-02-28');
  });

  it('gives one observation per deal and open stage, with days in stage and close-date slip', () => {
    const seen = observations([...HISTORY].reverse(), '2024-01-05', AS_OF);
    const byKey = Object.fromEntries(seen.map((o) => [`${o.opportunityId}:${o.stage}`, o]));
    expect(Object.keys(byKey).sort()).toEqual([`A:${N}`, `A:${P}`, `B:${P}`, `C:${N}`, `F:${N}`, `F:${P}`]);
    // A in Prospecting 01-01 -> 01-21 = 20 days; closed 03-29 against 03-01 entered then: 28 days late.
    expect(byKey[`A:${P}`]).toMatchObject({ entered: 0.1, won: true, days: 20, slipDays: 28 });
    // A in Negotiation 01-21 -> 03-29 = 10 + 28 + 29 = 67 days; 03-29 against 03-15: 14 days.
    expect(byKey[`A:${N}`]).toMatchObject({ entered: 0.9, won: true, days: 67, slipDays: 14 });
    expect(byKey[`B:${P}`]).toMatchObject({ entered: 0.1, won: false, days: 10 });
    // C: 03-01 -> 06-29 = 31 + 30 + 31 + 28 = 120 days.
    expect(byKey[`C:${N}`]).toMatchObject({ entered: 0.9, won: false, days: 120 });
    // F's two visits of each stage add up (10 + 10 days); the probability is the one entered on first entry;
    // closed 05-11 against 06-30: 50 days early.
    expect(byKey[`F:${P}`]).toMatchObject({ entered: 0.2, won: true, days: 20, slipDays: -50 });
    expect(byKey[`F:${N}`]).toMatchObject({ entered: 0.8, won: true, days: 20, slipDays: -50 });
  });
});

describe('calibration: win rates shrunk toward the entered probability', () => {
  const calibration = calibrate(HISTORY, { asOf: AS_OF, windowMonths: 24, priorWeight: 2 });
  const cellOf = (stage: string, bucket: string) =>
    calibration.cells.find((c) => c.stage === stage && c.bucket === bucket);

  it('tables win rate by stage and time in stage with the count it rests on', () => {
    expect(calibration).toMatchObject({ windowStart: '2024-01-05', deals: 4, won: 2 });
    // Prospecting: A won, B lost, F won: 2 of 3; entered mean (0.1 + 0.1 + 0.2) / 3 = 0.1333;
    // calibrated (2 + 2 x 0.1333) / (3 + 2) = 0.4533.
    expect(cellOf(P, 'all')).toMatchObject({ deals: 3, wins: 2 });
    expect(cellOf(P, 'all')!.observed).toBeCloseTo(2 / 3, 10);
    expect(cellOf(P, 'all')!.entered).toBeCloseTo(0.4 / 3, 10);
    expect(cellOf(P, 'all')!.calibrated).toBeCloseTo(0.453333, 5);
    // No Prospecting deal stayed 30 days: no 30+ cell.
    expect(cellOf(P, '30+')).toBeUndefined();
    // Negotiation: all 3 (the stage's cell; no separate 0+ cell); A (67 days) and C (120) stayed 30: 1 win of 2,
    // calibrated (1 + 2 x 0.9) / (2 + 2) = 0.7; only C stayed 90: (0 + 2 x 0.9) / (1 + 2) = 0.6.
    expect(cellOf(N, 'all')).toMatchObject({ deals: 3, wins: 2 });
    expect(calibration.cells.filter((c) => c.stage === N).map((c) => c.bucket)).toEqual(['all', '30+', '90+']);
    expect(cellOf(N, '30+')).toMatchObject({ deals: 2, wins: 1 });
    expect(cellOf(N, '30+')!.calibrated).toBeCloseTo(0.7, 10);
    expect(cellOf(N, '90+')).toMatchObject({ deals: 1, wins: 0 });
    expect(cellOf(N, '90+')!.calibrated).toBeCloseTo(0.6, 10);
  });

  it('scores entered and calibrated probabilities (Brier, leave-one-out) and tables their reliability', () => {
    // Entered: (0.1-1)² + (0.1-0)² + (0.2-1)² + (0.9-1)² + (0.9-0)² + (0.8-1)² = 0.81 + 0.01 + 0.64 + 0.01 + 0.81
    // + 0.04 = 2.32, over 6 = 0.386667.
    // Calibrated from the other deals of the stage, k = 2: A-P (1 + 0.2) / 4 = 0.3; B-P (2 + 0.2) / 4 = 0.55;
    // F-P (1 + 0.4) / 4 = 0.35; A-N (1 + 1.8) / 4 = 0.7; C-N (2 + 1.8) / 4 = 0.95; F-N (1 + 1.6) / 4 = 0.65.
    // Errors 0.49 + 0.3025 + 0.4225 + 0.09 + 0.9025 + 0.1225 = 2.33, over 6 = 0.388333.
    expect(calibration.brier.observations).toBe(6);
    expect(calibration.brier.entered).toBeCloseTo(0.386667, 5);
    expect(calibration.brier.calibrated).toBeCloseTo(0.388333, 5);
    const row = (bucket: string) => calibration.reliability.find((r) => r.bucket === bucket)!;
    expect(calibration.reliability).toHaveLength(10);
    expect(row('10-20%').entered).toEqual({ count: 2, predicted: 0.1, observed: 0.5 });
    expect(row('90-100%').entered).toEqual({ count: 2, predicted: 0.9, observed: 0.5 });
    expect(row('80-90%').entered).toEqual({ count: 1, predicted: 0.8, observed: 1 });
    // 0.3 and 0.35 share 30-40%: predicted 0.325, both won.
    expect(row('30-40%').calibrated).toEqual({ count: 2, predicted: 0.325, observed: 1 });
    expect(row('90-100%').calibrated).toEqual({ count: 1, predicted: 0.95, observed: 0 });
    expect(row('0-10%').entered).toEqual({ count: 0, predicted: null, observed: null });
  });

  it('calibrates an open deal by its stage and time in stage; no history keeps the entered probability', () => {
    // In Negotiation since 2025-11-01: 65 days, bucket 30-90: the 30+ cell (1 win of 2); entered 0.6:
    // (1 + 2 x 0.6) / (2 + 2) = 0.55.
    expect(calibratedProbability(calibration, { stage: N, stageSince: '2025-11-01' }, 0.6, AS_OF)).toBeCloseTo(
      0.55,
      10
    );
    // Since 2025-12-20: 16 days, bucket 0-30: the stage's cell (2 of 3): (2 + 1.2) / 5 = 0.64.
    // In Prospecting for 40 days: no Prospecting deal stayed 30, so the stage's cell (2 of 3, entered 0.2):
    // (2 + 0.4) / 5 = 0.48.
    expect(calibratedProbability(calibration, { stage: P, stageSince: '2025-11-26' }, 0.2, AS_OF)).toBeCloseTo(
      0.48,
      10
    );
    expect(calibratedProbability(calibration, { stage: N, stageSince: '2025-12-20' }, 0.6, AS_OF)).toBeCloseTo(
      0.64,
      10
    );
    expect(calibratedProbability(calibration, { stage: 'Qualification' }, 0.3, AS_OF)).toBe(0.3);
    expect(calibratedProbability(calibration, {}, 0.3, AS_OF)).toBe(0.3);
    // With no prior weight the history alone speaks: 1 of 2.
    const raw = calibrate(HISTORY, { asOf: AS_OF, priorWeight: 0 });
    expect(calibratedProbability(raw, { stage: N, stageSince: '2025-11-01' }, 0.6, AS_OF)).toBe(0.5);
  });

  it('learns close-date slip of won deals in whole weeks, by stage and pooled', () => {
    // Won deals only: A-P 28 days = 4 weeks, A-N 14 = 2, F-P and F-N -50 days = -7 weeks (rounded).
    expect(calibration.slipSamples.get(P)).toEqual([-7, 4]);
    expect(calibration.slipSamples.get(N)).toEqual([-7, 2]);
    // Pooled [-7, -7, 2, 4]: mean -2; P10 at rank 0.3 = -7; P50 at 1.5 = -7 + 9 x 0.5 = -2.5; P90 at 2.7 =
    // 2 + 2 x 0.7 = 3.4; 2 of 4 late.
    expect(calibration.slip.find((s) => s.stage === 'all')).toEqual({
      stage: 'all',
      count: 4,
      meanWeeks: -2,
      p10Weeks: -7,
      p50Weeks: -2.5,
      p90Weeks: 3.4,
      lateShare: 0.5
    });
    // Fewer than 5 samples in the stage: the pooled ones.
    expect(slipSamplesFor(calibration, P)).toEqual([-7, -7, 2, 4]);
  });

  it('names the record and Salesforce field of bad history rows and settings', () => {
    const bad = [...HISTORY, { ...h('G', '2025-05-01', P, 150, '2025-06-01'), id: '008BAD' }];
    expect(() => calibrate(bad, { asOf: AS_OF })).toThrow(EngineInputError);
    expect(() => calibrate(bad, { asOf: AS_OF })).toThrow('OpportunityHistory 008BAD: Probability must be between');
    const badDate = [{ ...h('G', '2025-05-01', P, 10, '2025-06-01'), id: '008DAY', createdDate: 'yesterday' }];
    expect(() => calibrate(badDate, { asOf: AS_OF })).toThrow('OpportunityHistory 008DAY: CreatedDate is not a date');
    expect(() => calibrate(HISTORY, { asOf: AS_OF, windowMonths: 0 })).toThrow(
      'Handoff_Setting__mdt Default: Calibration_Window_Months__c must be 1 to 120'
    );
    expect(() => calibrate(HISTORY, { asOf: AS_OF, priorWeight: -1 })).toThrow(
      'Handoff_Setting__mdt Default: Calibration_Prior_Weight__c must be 0 to 1000'
    );
  });
});

describe('forecast with history', () => {
  /** An open deal in Negotiation since 2025-11-01, entered 60%: 100 h of development in the week of 01-12. */
  const withDeal = (extra: Parameters<typeof input>[0] = {}) =>
    input({
      resources: [person('a')],
      demand: [
        line('deal', {
          opportunityId: 'X',
          layer: 'pipeline',
          probability: 60,
          hours: 100,
          start: '2026-01-12',
          end: '2026-01-16'
        })
      ],
      opportunities: [{ id: 'X', probability: 60, stage: N, stageSince: '2025-11-01' }],
      history: HISTORY,
      ...extra
    });

  it('weights pipeline demand by the chosen probability and keeps both weighted layers', async () => {
    const options = { calibrationPriorWeight: 2 };
    const entered = await forecast(withDeal(), options);
    const calibrated = await forecast(withDeal(), { ...options, probabilitySource: 'calibrated' });
    const at = (grid: Float64Array | undefined) => cell(grid!, ROLES, 8, 'Developer', 1);
    // Entered 0.6 x 100 = 60 h; calibrated 0.55 x 100 = 55 h (see above).
    expect(at(entered.grids.weighted)).toBeCloseTo(60, 9);
    expect(at(entered.grids.weightedEntered)).toBeCloseTo(60, 9);
    expect(at(entered.grids.weightedCalibrated)).toBeCloseTo(55, 9);
    expect(at(calibrated.grids.weighted)).toBeCloseTo(55, 9);
    expect(at(calibrated.grids.weightedEntered)).toBeCloseTo(60, 9);
    expect(calibrated.practiceGrids.weightedCalibrated![1]).toBeCloseTo(55, 9);
    expect(calibrated.calibration).toMatchObject({ probabilitySource: 'calibrated', deals: 4, slipInMonteCarlo: true });
    // Without history nothing changes: no calibration, no comparison layers.
    const plain = await forecast(withDeal({ history: undefined }));
    expect(plain.calibration).toBeUndefined();
    expect(plain.grids.weightedEntered).toBeUndefined();
  });

  it('shifts won deals by sampled slip in the Monte Carlo, reproducibly', async () => {
    // Four won deals whose close date moved 0, 0, 2 and 2 weeks: each trial the deal (always won at 100%) starts
    // in week 1 or, half the time, in week 3.
    const slipHistory = ['S1', 'S2', 'S3', 'S4'].flatMap((id, index) => [
      h(id, '2025-06-02', N, 50, '2025-07-07'),
      h(id, '2025-07-01', 'Closed Won', 100, index < 2 ? '2025-07-07' : '2025-07-21')
    ]);
    const firm = withDeal({
      history: slipHistory,
      demand: [
        line('deal', {
          opportunityId: 'X',
          layer: 'pipeline',
          probability: 100,
          hours: 40,
          start: '2026-01-12',
          end: '2026-01-16'
        })
      ]
    });
    const result = await forecast(firm, { trials: 2000, seed: 5 });
    const mc = result.monteCarlo!;
    const at = (grid: Float64Array, week: number) => cell(grid, ROLES, 8, 'Developer', week);
    // Mean 40 x 0.5 = 20 h in weeks 1 and 3 (standard error 20 / sqrt(2000) = 0.45 h); none in week 2.
    expect(at(mc.mean, 1)).toBeGreaterThan(17);
    expect(at(mc.mean, 1)).toBeLessThan(23);
    expect(at(mc.mean, 3)).toBeCloseTo(40 - at(mc.mean, 1), 6);
    expect(at(mc.mean, 2)).toBe(0);
    expect([at(mc.p10, 1), at(mc.p90, 1), at(mc.p10, 3), at(mc.p90, 3)]).toEqual([0, 40, 0, 40]);
    // The deterministic layers stay where the deal is planned.
    expect(at(result.grids.weighted, 1)).toBeCloseTo(40, 9);
    // Same seed, same bands; without slip the deal never moves.
    const again = await forecast(firm, { trials: 2000, seed: 5 });
    expect(Array.from(again.monteCarlo!.p50)).toEqual(Array.from(mc.p50));
    expect(Array.from(again.monteCarlo!.mean)).toEqual(Array.from(mc.mean));
    const still = await forecast(firm, { trials: 200, seed: 5, dateSlip: false });
    expect(at(still.monteCarlo!.mean, 1)).toBe(40);
  });

  it('gives the same slipped bands whatever the thread count, and drops hours slipped past the horizon', async () => {
    // Two roles, 4 weeks; a deal with 10 h of the first role in week 2 and 10 h in week 3, always won, slipping +1
    // week every time.
    const deals = {
      opportunityIds: ['X'],
      probabilities: Float64Array.from([1]),
      offsets: Int32Array.from([0, 2]),
      cells: Int32Array.from([2, 3]),
      hours: Float64Array.from([10, 10])
    };
    const slip = {
      dealDistribution: Int32Array.from([0]),
      offsets: Int32Array.from([0, 1]),
      values: Int32Array.from([1])
    };
    const base = new Float64Array(8);
    const capacity = new Float64Array(8).fill(100);
    const one = await monteCarlo(base, capacity, deals, { trials: 50, seed: 3, slip, weeks: 4, threads: 1 });
    // Week 2's hours move to week 3; week 3's move past the horizon and drop out (not into the next role's row).
    expect(Array.from(one.mean)).toEqual([0, 0, 0, 10, 0, 0, 0, 0]);
    const two = await monteCarlo(base, capacity, deals, { trials: 50, seed: 3, slip, weeks: 4, threads: 2 });
    expect(Array.from(two.p90)).toEqual(Array.from(one.p90));
  });
});
