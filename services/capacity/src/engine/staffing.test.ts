import { forecast } from './forecast';
import { input, line, person } from './fixtures';
import type { DemandInput } from './types';

/** The horizon: 8 weeks from Monday 2026-01-05, so it ends Sunday 2026-03-01. */
const deal = (id: string, extra: Partial<DemandInput> = {}) =>
  line(`${id}-line`, { opportunityId: id, layer: 'pipeline', probability: 60, ...extra });

describe('can we staff this deal?', () => {
  // One developer (40 h/week), busy 30 h/week on confirmed work for the first four weeks.
  const firm = (extra: Partial<DemandInput> = {}) =>
    input({
      resources: [person('dev')],
      demand: [
        line('busy', { hours: 120, end: '2026-01-30' }),
        deal('deal', { hours: 60, start: '2026-01-05', end: '2026-01-16', ...extra })
      ],
      opportunities: [{ id: 'deal', probability: 60, expectedStart: '2026-01-05' }]
    });

  it('reports the shortfall by role at the planned start and the earliest start that fits', async () => {
    const result = await forecast(firm());
    expect(result.staffing).toEqual([
      {
        opportunityId: 'deal',
        plannedStart: '2026-01-05',
        startBasis: 'Expected_Start',
        startShiftDays: 0,
        state: 'Short',
        staffable: false,
        // 30 h/week needed, 10 h/week free, for two weeks: 40 h of this deal; nothing was over-committed before.
        shortfalls: [
          {
            role: 'Developer',
            hours: 40,
            overCommittedHours: 0,
            firstWeek: '2026-01-05',
            earliestFeasibleStart: '2026-02-02'
          }
        ],
        shortfallHours: 40,
        overCommittedHours: 0,
        hoursBeyondHorizon: 0,
        horizonEnd: '2026-03-01',
        // The confirmed work ends with January; from Monday 2 February the deal fits.
        earliestFeasibleStart: '2026-02-02'
      }
    ]);
  });

  it('says a deal that fits is staffable at its planned start', async () => {
    const result = await forecast(firm({ hours: 20 }));
    expect(result.staffing[0]).toMatchObject({
      state: 'Staffable',
      staffable: true,
      shortfalls: [],
      earliestFeasibleStart: '2026-01-05'
    });
  });

  it('has no feasible start when the demand never fits in the horizon', async () => {
    const result = await forecast(firm({ hours: 500 }));
    expect(result.staffing[0]).toMatchObject({ state: 'Short', staffable: false, earliestFeasibleStart: null });
  });
});

describe('a deal is placed at its expected start', () => {
  // One developer, busy 30 h/week in weeks 0 and 1 (60 h over 2026-01-05..16); the deal's lines say the same two
  // weeks at 30 h/week.
  const firm = (expectedStart: string | undefined, start = '2026-01-05', end = '2026-01-16') =>
    input({
      resources: [person('dev')],
      demand: [line('busy', { hours: 60, end: '2026-01-16' }), deal('slip', { hours: 60, start, end })],
      opportunities: [{ id: 'slip', probability: 60, expectedStart }]
    });

  it('moves the lines of a slipped deal to its expected start, and says so', async () => {
    // Expected Monday 2026-01-19, 14 days after the lines: weeks 2 and 3 are free.
    const [answer] = (await forecast(firm('2026-01-19'))).staffing;
    expect(answer).toMatchObject({
      plannedStart: '2026-01-19',
      startBasis: 'Expected_Start_Shifted',
      startShiftDays: 14,
      state: 'Staffable',
      staffable: true,
      earliestFeasibleStart: '2026-01-19'
    });
  });

  it('moves the lines earlier when the deal was brought forward', async () => {
    // Lines in weeks 2-3, expected in week 0: 30 h a week needed where 10 h are free, twice.
    const [answer] = (await forecast(firm('2026-01-05', '2026-01-19', '2026-01-30'))).staffing;
    expect(answer).toMatchObject({
      plannedStart: '2026-01-05',
      startBasis: 'Expected_Start_Shifted',
      startShiftDays: -14,
      state: 'Short',
      shortfallHours: 40,
      earliestFeasibleStart: '2026-01-19'
    });
  });

  it('uses the lines own start when the deal has no expected start', async () => {
    const [answer] = (await forecast(firm(undefined))).staffing;
    expect(answer).toMatchObject({ plannedStart: '2026-01-05', startBasis: 'Demand_Lines', startShiftDays: 0 });
  });

  it('keeps a mid-week expected start as the planned start, shifting the profile by days', async () => {
    // Wednesday 2026-01-21, 16 days after the lines: they now run to Sunday 2026-02-01, in weeks 2 and 3 (all free).
    const [answer] = (await forecast(firm('2026-01-21'))).staffing;
    expect(answer).toMatchObject({ plannedStart: '2026-01-21', startShiftDays: 16, staffable: true });
  });
});

describe('a shortfall separates what this deal needs from what is already over-committed', () => {
  // A developer (40 h) with 88 h of won work in week 0; a trainer (40 h) with 30 h/week of won work in weeks 0-2.
  const firm = input({
    resources: [person('dev'), person('trainer', 'Trainer')],
    demand: [
      line('won-dev', { hours: 88, end: '2026-01-09' }),
      line('won-training', { role: 'Trainer', hours: 90, end: '2026-01-23' }),
      deal('d', { hours: 20, end: '2026-01-09' }),
      line('d-training', {
        opportunityId: 'd',
        layer: 'pipeline',
        probability: 60,
        role: 'Trainer',
        hours: 25,
        end: '2026-01-09'
      })
    ],
    opportunities: [{ id: 'd', probability: 60, expectedStart: '2026-01-05' }]
  });

  it('reports 20 h for this deal and 48 h already over-committed, by role, with the earliest start of each', async () => {
    const [answer] = (await forecast(firm)).staffing;
    // Largest shortfall of this deal first.
    expect(answer!.shortfalls).toEqual([
      // Developer: 20 h needed, 40 - 88 = -48 free: all 20 h short, 48 h over-committed without the deal; fits in week 1.
      {
        role: 'Developer',
        hours: 20,
        overCommittedHours: 48,
        firstWeek: '2026-01-05',
        earliestFeasibleStart: '2026-01-12'
      },
      // Trainer: 25 h needed, 10 h free: 15 h short, none over-committed; free again from week 3 (2026-01-26).
      {
        role: 'Trainer',
        hours: 15,
        overCommittedHours: 0,
        firstWeek: '2026-01-05',
        earliestFeasibleStart: '2026-01-26'
      }
    ]);
    // The deal as a whole fits when both roles do: from week 3.
    expect(answer).toMatchObject({
      state: 'Short',
      shortfallHours: 35,
      overCommittedHours: 48,
      earliestFeasibleStart: '2026-01-26'
    });
  });
});

describe('a deal at the edge of the horizon says so', () => {
  const firm = (start: string, end: string, expectedStart?: string) =>
    input({
      resources: [person('dev')],
      demand: [deal('edge', { hours: 80, start, end })],
      opportunities: [{ id: 'edge', probability: 60, expectedStart }]
    });

  it('marks a deal running past the horizon Partly_Beyond_Horizon, with the hours left unchecked', async () => {
    // 80 h over 2026-02-23..03-06: 5 working days inside the horizon (40 h), 5 after it (40 h).
    const [answer] = (await forecast(firm('2026-02-23', '2026-03-06'))).staffing;
    expect(answer).toMatchObject({
      state: 'Partly_Beyond_Horizon',
      staffable: true,
      hoursBeyondHorizon: 40,
      horizonEnd: '2026-03-01',
      earliestFeasibleStart: '2026-02-23'
    });
  });

  it('marks a deal starting after the horizon Beyond_Horizon instead of leaving it out', async () => {
    const [answer] = (await forecast(firm('2026-03-09', '2026-03-20'))).staffing;
    expect(answer).toMatchObject({
      opportunityId: 'edge',
      state: 'Beyond_Horizon',
      staffable: false,
      shortfalls: [],
      hoursBeyondHorizon: 80,
      earliestFeasibleStart: null
    });
  });

  it('marks a deal whose expected start moves it past the horizon Beyond_Horizon', async () => {
    const [answer] = (await forecast(firm('2026-01-05', '2026-01-16', '2026-04-06'))).staffing;
    expect(answer).toMatchObject({ plannedStart: '2026-04-06', startShiftDays: 91, state: 'Beyond_Horizon' });
  });
});
