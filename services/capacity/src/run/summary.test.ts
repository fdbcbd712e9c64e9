import type { Forecast, StaffingAnswer } from '../engine/types';
import { formatSummary, formatWrites, summarise } from './summary';

/** A one-role, one-week forecast with room to spare, and the given staffing answers. */
function forecastWith(staffing: Partial<StaffingAnswer>[]): Forecast {
  return {
    weeks: ['2026-11-30'],
    roles: ['Developer'],
    grids: {
      capacity: Float64Array.of(40),
      confirmed: Float64Array.of(10),
      weighted: Float64Array.of(20),
      exposure: Float64Array.of(30),
      tentative: Float64Array.of(10)
    },
    staffing: staffing.map((answer, index) => ({
      opportunityId: `006${index}`,
      plannedStart: '2026-11-30',
      staffable: true,
      state: 'Staffable',
      shortfalls: [],
      earliestFeasibleStart: '2026-11-30',
      ...answer
    }))
  } as unknown as Forecast;
}

describe('the run summary', () => {
  it('says every open deal can be staffed only when every one was checked', () => {
    const lines = formatSummary(summarise(forecastWith([{}, {}]), new Map()));
    expect(lines).toContain('Every open deal can be staffed at its planned start.');
    expect(lines.join('\n')).not.toMatch(/horizon/);
  });

  it('names the deals it could not check in full instead of calling every deal staffable', () => {
    const summary = summarise(
      forecastWith([
        {},
        { state: 'Beyond_Horizon', staffable: false },
        { state: 'Partly_Beyond_Horizon' },
        { state: 'Partly_Beyond_Horizon' }
      ]),
      new Map()
    );
    // 1 deal starts after the horizon, 2 run past it; none is short inside it.
    expect(summary.horizon).toEqual({ beyond: 1, partlyBeyond: 2 });
    expect(summary.horizonDeals).toEqual({ beyond: ['0061'], partlyBeyond: ['0062', '0063'] });
    expect(summary.notStaffableOnTime).toEqual([]);
    const lines = formatSummary(summary);
    expect(lines).not.toContain('Every open deal can be staffed at its planned start.');
    expect(lines).toEqual(
      expect.arrayContaining([
        'Every open deal checked can be staffed at its planned start.',
        '  1 deal starts after the forecast horizon, not checked: 0061.',
        '  2 deals run past the forecast horizon, only the weeks inside it checked: 0062, 0063.'
      ])
    );
  });

  it('says which shortfalls are certain (confirmed work alone) and which depend on pipeline outcomes', () => {
    // Week 1: confirmed 50 > capacity 40 (certain). Week 2: confirmed 30, weighted 45 > 40 (pipeline). Week 3: fits.
    const forecast = {
      weeks: ['2026-11-30', '2026-12-07', '2026-12-14'],
      roles: ['Developer', 'Trainer'],
      grids: {
        capacity: Float64Array.of(40, 40, 40, 40, 40, 40),
        confirmed: Float64Array.of(50, 30, 10, 0, 0, 0),
        weighted: Float64Array.of(55, 45, 20, 0, 48, 0),
        exposure: Float64Array.of(60, 60, 30, 0, 60, 0),
        tentative: Float64Array.of(50, 30, 10, 0, 0, 0)
      },
      monteCarlo: { p90: Float64Array.of(58, 52, 30, 0, 52, 41) },
      staffing: []
    } as unknown as Forecast;
    const summary = summarise(forecast, new Map());
    expect(summary.certainShortfalls).toEqual([{ role: 'Developer', weeks: [{ week: '2026-11-30', hours: 10 }] }]);
    expect(summary.pipelineShortfalls).toEqual([
      { role: 'Trainer', weeks: [{ week: '2026-12-07', hours: 8 }] },
      { role: 'Developer', weeks: [{ week: '2026-12-07', hours: 5 }] }
    ]);
    const lines = formatSummary(summary, 'RUN-000042');
    expect(lines.slice(0, 5)).toEqual([
      'Certain shortfalls (RUN-000042): confirmed work alone exceeds capacity, whatever the pipeline does (next 8 weeks):',
      '  Developer: week of 2026-11-30 (10 h)',
      'Shortfalls that depend on pipeline outcomes: weighted demand (confirmed plus open deals by their win probability) exceeds capacity, confirmed work alone does not:',
      '  Trainer: week of 2026-12-07 (8 h)',
      '  Developer: week of 2026-12-07 (5 h)'
    ]);
    // Every P90 role-week it counts is listed, by role.
    expect(lines).toEqual(
      expect.arrayContaining([
        'Shortfalls in 1 of 10 pipeline outcomes (P90 demand exceeds capacity): 4 role-week(s):',
        '  Developer: week of 2026-11-30 (18 h), week of 2026-12-07 (12 h)',
        '  Trainer: week of 2026-12-07 (12 h), week of 2026-12-14 (1 h)'
      ])
    );
    expect(lines.filter((line) => line.startsWith('  Trainer') || line.startsWith('  Developer'))).toHaveLength(5);
  });

  it('says when nothing is short for certain', () => {
    const lines = formatSummary(summarise(forecastWith([]), new Map()), 'RUN-000007');
    expect(lines.slice(0, 2)).toEqual([
      'No certain shortfall (RUN-000007): confirmed work alone fits capacity in the next 8 weeks.',
      'No shortfall depends on pipeline outcomes at weighted demand in the next 8 weeks.'
    ]);
  });

  it('lists every deal it counts, not the first ten', () => {
    const staffing = Array.from({ length: 12 }, () => ({
      staffable: false,
      state: 'Short',
      shortfalls: [{ role: 'Developer' }]
    })) as unknown as Partial<StaffingAnswer>[];
    const names = new Map(staffing.map((_, index) => [`006${index}`, `Deal ${index}`]));
    const lines = formatSummary(summarise(forecastWith(staffing), names));
    expect(lines).toContain('Deals that cannot be staffed on time if won (they depend on winning): 12');
    expect(lines.filter((line) => /^ {2}Deal \d+: planned/.test(line))).toHaveLength(12);
  });

  it('says a completed run that wrote and removed nothing changed nothing', () => {
    expect(formatWrites({ status: 'Completed', rowsWritten: 0, rowsDeleted: 0 })).toBe('nothing changed');
    expect(formatWrites({ status: 'Failed', rowsWritten: 0, rowsDeleted: 0 })).toBe('0 rows written');
    expect(formatWrites({ status: 'Completed', rowsWritten: 1, rowsDeleted: 3 })).toBe('1 row written, 3 removed');
    expect(formatWrites({ status: 'Completed', rowsWritten: 0, rowsDeleted: 2 })).toBe('0 rows written, 2 removed');
  });
});
