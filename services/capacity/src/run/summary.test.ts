import type { Forecast, StaffingAnswer } from '../engine/types';
import { formatSummary, summarise } from './summary';

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
    expect(summary.notStaffableOnTime).toEqual([]);
    const lines = formatSummary(summary);
    expect(lines).not.toContain('Every open deal can be staffed at its planned start.');
    expect(lines).toEqual(
      expect.arrayContaining([
        'Every open deal checked can be staffed at its planned start.',
        '  1 deal starts after the forecast horizon: not checked.',
        '  2 deals run past the forecast horizon: only the weeks inside it were checked.'
      ])
    );
  });
});
