import { forecast } from './forecast';
import { AS_OF, cell, input, line, person } from './fixtures';
import { EngineInputError } from './validate';

const at = (result: Awaited<ReturnType<typeof forecast>>, grid: Float64Array, role: string, week: number) =>
  cell(grid, result.roles, result.weeks.length, role, week);

describe('capacity', () => {
  it('gives a full-time person their weekly hours, a part-timer theirs, over a Monday-based horizon', async () => {
    const result = await forecast(input({ resources: [person('a'), person('b', 'Developer', { weeklyHours: 20 })] }));
    expect(result.weeks.slice(0, 2)).toEqual(['2026-01-05', '2026-01-12']);
    expect(at(result, result.grids.capacity, 'Developer', 0)).toBe(60);
    expect(at(result, result.grids.capacity, 'Trainer', 0)).toBe(0);
  });

  it('takes off holidays of the person location and firm-wide ones, not other locations', async () => {
    const result = await forecast(
      input({
        resources: [
          person('london', 'Developer', { location: 'London' }),
          person('ny', 'Trainer', { location: 'New York' })
        ],
        holidays: [
          { date: '2026-01-06', location: 'London' },
          { date: '2026-01-13' },
          { date: '2026-01-10', location: 'London' } // a Saturday: no effect
        ]
      })
    );
    expect(at(result, result.grids.capacity, 'Developer', 0)).toBe(32);
    expect(at(result, result.grids.capacity, 'Trainer', 0)).toBe(40);
    expect(at(result, result.grids.capacity, 'Developer', 1)).toBe(32);
    expect(at(result, result.grids.capacity, 'Trainer', 1)).toBe(32);
  });

  it('takes off time off (whole and part days) and counts only active dates', async () => {
    const result = await forecast(
      input({
        resources: [
          person('a'),
          person('joiner', 'Trainer', { activeFrom: '2026-01-08' }),
          person('leaver', 'Data Engineer', { activeTo: '2026-01-13' })
        ],
        timeOff: [
          { resourceId: 'a', start: '2026-01-05', end: '2026-01-06' },
          { resourceId: 'a', start: '2026-01-12', end: '2026-01-16', hoursPerDay: 4 }
        ]
      })
    );
    expect(at(result, result.grids.capacity, 'Developer', 0)).toBe(24);
    expect(at(result, result.grids.capacity, 'Developer', 1)).toBe(20);
    expect(at(result, result.grids.capacity, 'Trainer', 0)).toBe(16); // Thursday and Friday
    expect(at(result, result.grids.capacity, 'Data Engineer', 1)).toBe(16); // Monday and Tuesday
    expect(at(result, result.grids.capacity, 'Data Engineer', 2)).toBe(0);
  });
});

describe('demand layers', () => {
  it('spreads hours over working days and keeps only the part inside the horizon', async () => {
    const result = await forecast(
      input({
        demand: [
          line('two-weeks'),
          line('starts-before', { hours: 30, start: '2025-12-29', end: '2026-01-09' }), // half before the horizon
          line('wednesday-on', { hours: 12, start: '2026-01-07', end: '2026-01-12' }) // Wed, Thu, Fri, Mon
        ]
      })
    );
    expect(at(result, result.grids.confirmed, 'Developer', 0)).toBeCloseTo(40 + 15 + 9);
    expect(at(result, result.grids.confirmed, 'Developer', 1)).toBeCloseTo(40 + 3);
  });

  it('weights pipeline by probability, counts it fully in exposure, and drops released lines', async () => {
    const result = await forecast(
      input({
        demand: [
          line('won', { hours: 40, end: '2026-01-09' }),
          line('maybe', { hours: 40, end: '2026-01-09', layer: 'pipeline', probability: 25 }),
          line('gone', { hours: 400, end: '2026-01-09', layer: 'pipeline', probability: 90, status: 'Released' })
        ]
      })
    );
    expect(at(result, result.grids.confirmed, 'Developer', 0)).toBe(40);
    expect(at(result, result.grids.weighted, 'Developer', 0)).toBe(50);
    expect(at(result, result.grids.exposure, 'Developer', 0)).toBe(80);
  });

  it('counts hard bookings without a demand line as confirmed demand of the person role', async () => {
    const result = await forecast(
      input({
        resources: [person('t', 'Trainer')],
        assignments: [
          { id: 'x', resourceId: 't', hoursPerWeek: 10, start: '2026-01-05', end: '2026-01-09', booking: 'Hard' },
          { id: 'y', resourceId: 't', hoursPerWeek: 10, start: '2026-01-05', end: '2026-01-09', booking: 'Soft' },
          {
            id: 'z',
            resourceId: 't',
            demandId: 'd',
            hoursPerWeek: 10,
            start: '2026-01-05',
            end: '2026-01-09',
            booking: 'Hard'
          }
        ]
      })
    );
    expect(at(result, result.grids.confirmed, 'Trainer', 0)).toBe(10);
  });

  it('breaks demand down by skill and by practice', async () => {
    const result = await forecast(
      input({
        resources: [person('a', 'Developer', { practice: 'CRM' })],
        demand: [line('apex', { skill: 'Apex', practice: 'CRM', hours: 40, end: '2026-01-09' })]
      })
    );
    expect(result.skills).toHaveLength(1);
    expect(result.skills[0]).toMatchObject({ role: 'Developer', skill: 'Apex' });
    expect(result.skills[0]!.confirmed[0]).toBe(40);
    expect(result.practices).toEqual(['CRM']);
    expect(result.practiceGrids.capacity[0]).toBe(40);
    expect(result.practiceGrids.confirmed[0]).toBe(40);
  });
});

describe('input validation', () => {
  const failure = async (extra: Parameters<typeof input>[0]) => {
    try {
      await forecast(input(extra));
    } catch (error) {
      expect(error).toBeInstanceOf(EngineInputError);
      return (error as Error).message;
    }
    return 'no error';
  };

  it('names the record and field of bad input', async () => {
    expect(await failure({ demand: [line('d1', { hours: -5 })] })).toBe(
      'Resource_Demand__c d1: Total_Hours__c must not be negative (-5)'
    );
    expect(await failure({ demand: [line('d2', { end: '2026-01-01' })] })).toBe(
      'Resource_Demand__c d2: End_Date__c 2026-01-01 is before Start_Date__c 2026-01-05'
    );
    expect(await failure({ demand: [line('d3', { probability: 120 })] })).toBe(
      'Resource_Demand__c d3: Probability__c must be between 0 and 100 (120)'
    );
    expect(await failure({ demand: [line('d4', { role: 'Wizard' })] })).toBe(
      'Resource_Demand__c d4: Role__c "Wizard" is not a known role'
    );
    expect(await failure({ resources: [person('r1', 'Developer', { weeklyHours: -1 })] })).toBe(
      'Resource__c r1: Weekly_Capacity_Hours__c must not be negative (-1)'
    );
    expect(await failure({ timeOff: [{ resourceId: 'ghost', start: AS_OF, end: AS_OF }] })).toBe(
      'Time_Off__c ghost: Resource__c "ghost" is not a resource'
    );
    expect(await failure({ horizonWeeks: 105 })).toBe(
      'Capacity_Forecast_Run__c: Horizon_Weeks__c must be a whole number from 1 to 104'
    );
    expect(await failure({ demand: [line('d5', { start: '2026-13-01' })] })).toBe(
      'Resource_Demand__c d5: Start_Date__c is not a date (YYYY-MM-DD): "2026-13-01"'
    );
  });
});
