import { forecast } from './forecast';
import { cell, input, line, person } from './fixtures';

/** Capacity and demand on one calendar. The horizon starts Monday 2026-01-05 (week 0); week 1 starts 2026-01-12. */
const at = (result: Awaited<ReturnType<typeof forecast>>, grid: Float64Array, role: string, week: number) =>
  cell(grid, result.roles, result.weeks.length, role, week);

describe('time off never takes more than a working day from a day', () => {
  it('counts the same absence entered twice once', async () => {
    const monday = { resourceId: 'a', start: '2026-01-05', end: '2026-01-05' };
    const result = await forecast(input({ resources: [person('a')], timeOff: [monday, { ...monday, id: 'again' }] }));
    // 40 h less one 8 h day (counted twice, it was 24).
    expect(at(result, result.grids.capacity, 'Developer', 0)).toBe(32);
  });

  it('lets overlapping absences take each day once, leaving the rest of the week', async () => {
    const result = await forecast(
      input({
        resources: [person('a')],
        timeOff: [
          { resourceId: 'a', start: '2026-01-05', end: '2026-01-07' }, // Monday to Wednesday
          { resourceId: 'a', start: '2026-01-05', end: '2026-01-06' } // Monday and Tuesday again
        ]
      })
    );
    // Thursday and Friday remain: 2 x 8 = 16 h (deducted twice, the week fell to 0).
    expect(at(result, result.grids.capacity, 'Developer', 0)).toBe(16);
  });

  it('adds different part-day absences up to the day, never beyond it', async () => {
    const result = await forecast(
      input({
        resources: [person('a')],
        timeOff: [
          { resourceId: 'a', start: '2026-01-05', end: '2026-01-05', hoursPerDay: 3 },
          { resourceId: 'a', start: '2026-01-05', end: '2026-01-05', hoursPerDay: 2 },
          { resourceId: 'a', start: '2026-01-12', end: '2026-01-12' },
          { resourceId: 'a', start: '2026-01-12', end: '2026-01-12', hoursPerDay: 4 }
        ]
      })
    );
    expect(at(result, result.grids.capacity, 'Developer', 0)).toBe(35); // 40 - (3 + 2)
    expect(at(result, result.grids.capacity, 'Developer', 1)).toBe(32); // 40 - min(8 + 4, 8)
  });
});

describe('work patterns', () => {
  // A 24 h part-timer working Monday to Wednesday: 8 h a day.
  const partTimer = person('pt', 'Trainer', { weeklyHours: 24, workingDays: [0, 1, 2] });

  it('spreads weekly hours over the chosen weekdays; a holiday on a day off costs nothing', async () => {
    const result = await forecast(
      input({
        resources: [partTimer],
        holidays: [
          { date: '2026-01-08' }, // a Thursday: not a working day of theirs
          { date: '2026-01-12' } // a Monday: 8 h less
        ]
      })
    );
    expect(at(result, result.grids.capacity, 'Trainer', 0)).toBe(24);
    expect(at(result, result.grids.capacity, 'Trainer', 1)).toBe(16);
    expect(at(result, result.grids.capacity, 'Trainer', 2)).toBe(24);
  });

  it('takes time off and partial weeks by their own days', async () => {
    const result = await forecast(
      input({
        resources: [
          partTimer,
          // Joins on Tuesday 2026-01-20: Tuesday and Wednesday of week 2, 2 x 8 h.
          person('joiner', 'Data Engineer', { weeklyHours: 24, workingDays: [0, 1, 2], activeFrom: '2026-01-20' })
        ],
        timeOff: [
          { resourceId: 'pt', start: '2026-01-08', end: '2026-01-09' }, // Thursday-Friday: days off anyway
          { resourceId: 'pt', start: '2026-01-13', end: '2026-01-16' } // Tuesday-Friday: Tuesday and Wednesday count
        ]
      })
    );
    expect(at(result, result.grids.capacity, 'Trainer', 0)).toBe(24);
    expect(at(result, result.grids.capacity, 'Trainer', 1)).toBe(8);
    expect(at(result, result.grids.capacity, 'Data Engineer', 1)).toBe(0);
    expect(at(result, result.grids.capacity, 'Data Engineer', 2)).toBe(16);
    expect(at(result, result.grids.capacity, 'Data Engineer', 3)).toBe(24);
  });

  it('counts a weekend day for those who work it', async () => {
    // 30 h over Thursday to Saturday, 10 h a day; a firm-wide holiday on Saturday 2026-01-10 costs 10 h.
    const weekender = person('w', 'Developer', { weeklyHours: 30, workingDays: [3, 4, 5] });
    const result = await forecast(input({ resources: [weekender], holidays: [{ date: '2026-01-10' }] }));
    expect(at(result, result.grids.capacity, 'Developer', 0)).toBe(20);
    expect(at(result, result.grids.capacity, 'Developer', 1)).toBe(30);
  });
});

describe('demand on the firm calendar', () => {
  it('spreads demand over firm working days: a firm-wide holiday lowers that week as it lowers capacity', async () => {
    const result = await forecast(
      input({
        resources: [person('a')],
        holidays: [{ date: '2026-01-06' }], // Tuesday of week 0, firm-wide
        demand: [line('d', { hours: 90, start: '2026-01-05', end: '2026-01-16' })]
      })
    );
    // 9 firm working days: 4 in week 0, 5 in week 1; 10 h a day.
    expect(at(result, result.grids.confirmed, 'Developer', 0)).toBeCloseTo(40, 9);
    expect(at(result, result.grids.confirmed, 'Developer', 1)).toBeCloseTo(50, 9);
    expect(at(result, result.grids.capacity, 'Developer', 0)).toBe(32);
  });

  it('leaves demand alone on a location holiday, which lowers only that location capacity', async () => {
    const result = await forecast(
      input({
        resources: [person('a', 'Developer', { location: 'London' })],
        holidays: [{ date: '2026-01-06', location: 'London' }],
        demand: [line('d', { hours: 80, start: '2026-01-05', end: '2026-01-16' })]
      })
    );
    expect(at(result, result.grids.confirmed, 'Developer', 0)).toBe(40);
    expect(at(result, result.grids.confirmed, 'Developer', 1)).toBe(40);
    expect(at(result, result.grids.capacity, 'Developer', 0)).toBe(32);
  });

  it('books a hard booking for the firm working days of its weeks', async () => {
    const result = await forecast(
      input({
        resources: [person('a')],
        holidays: [{ date: '2026-01-06' }],
        assignments: [
          {
            id: 'b',
            resourceId: 'a',
            hoursPerWeek: 40,
            start: '2026-01-05',
            end: '2026-01-16',
            booking: 'Hard'
          }
        ]
      })
    );
    expect(at(result, result.grids.confirmed, 'Developer', 0)).toBe(32); // 40 x 4/5
    expect(at(result, result.grids.confirmed, 'Developer', 1)).toBe(40);
  });

  it('puts a line whose only days are firm holidays on the week it starts', async () => {
    const result = await forecast(
      input({
        holidays: [{ date: '2026-01-06' }],
        demand: [line('d', { hours: 8, start: '2026-01-06', end: '2026-01-06' })]
      })
    );
    expect(at(result, result.grids.confirmed, 'Developer', 0)).toBe(8);
  });
});
