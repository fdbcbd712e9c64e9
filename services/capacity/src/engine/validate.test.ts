import { input, line, person } from './fixtures';
import type { EngineInput } from './types';
import { EngineInputError, validateInput } from './validate';

/** Forecast date 2026-01-05: ten years either side is 2016-01-05 .. 2036-01-05. */
const problem = (extra: Partial<EngineInput>): string => {
  try {
    validateInput(input(extra));
  } catch (error) {
    expect(error).toBeInstanceOf(EngineInputError);
    return (error as Error).message;
  }
  return 'accepted';
};
const booking = (extra: Record<string, unknown>) => ({
  id: 'a1',
  resourceId: 'dev',
  hoursPerWeek: 40,
  start: '2026-01-05',
  end: '2026-01-30',
  booking: 'Hard' as const,
  ...extra
});

describe('plausibility: values that cannot mean what they say are refused, naming the record and its field', () => {
  it('refuses dates more than ten years from the forecast date', () => {
    expect(problem({ demand: [line('d1', { end: '2036-01-05' })] })).toBe('accepted');
    expect(problem({ demand: [line('d1', { end: '2036-01-06' })] })).toBe(
      'Resource_Demand__c d1: End_Date__c 2036-01-06 is more than 10 years from the forecast date 2026-01-05'
    );
    expect(problem({ demand: [line('d2', { start: '2015-12-31' })] })).toBe(
      'Resource_Demand__c d2: Start_Date__c 2015-12-31 is more than 10 years from the forecast date 2026-01-05'
    );
    expect(
      problem({ opportunities: [{ id: '006A', engagementId: 'a01E', probability: 50, expectedStart: '2040-01-01' }] })
    ).toBe('Engagement__c a01E: Expected_Start__c 2040-01-01 is more than 10 years from the forecast date 2026-01-05');
    expect(problem({ resources: [person('dev')], assignments: [booking({ end: '2099-12-31' })] })).toBe(
      'Assignment__c a1: End_Date__c 2099-12-31 is more than 10 years from the forecast date 2026-01-05'
    );
  });

  it('accepts someone who joined the firm long ago, not someone leaving in a hundred years', () => {
    expect(problem({ resources: [person('dev', 'Developer', { activeFrom: '1999-03-01' })] })).toBe('accepted');
    expect(problem({ resources: [person('dev', 'Developer', { activeTo: '2126-03-01' })] })).toBe(
      'Resource__c dev: Active_To__c 2126-03-01 is more than 10 years from the forecast date 2026-01-05'
    );
  });

  it('refuses hours beyond what a line, a week or a day can hold', () => {
    expect(problem({ demand: [line('d1', { hours: 10_000 })] })).toBe('accepted');
    expect(problem({ demand: [line('d1', { hours: 10_001 })] })).toBe(
      'Resource_Demand__c d1: Total_Hours__c 10001 is more than 10000 hours for one demand line'
    );
    expect(problem({ resources: [person('dev')], assignments: [booking({ hoursPerWeek: 169 })] })).toBe(
      'Assignment__c a1: Hours_Per_Week__c 169 is more than 168 hours a week'
    );
    expect(problem({ resources: [person('dev', 'Developer', { weeklyHours: 400 })] })).toBe(
      'Resource__c dev: Weekly_Capacity_Hours__c 400 is more than 168 hours a week'
    );
    expect(
      problem({
        resources: [person('dev')],
        timeOff: [{ id: 't1', resourceId: 'dev', start: '2026-01-05', end: '2026-01-05', hoursPerDay: 80 }]
      })
    ).toBe('Time_Off__c t1: Hours_Per_Day__c 80 is more than 24 hours a day');
  });

  it('refuses negative and missing-number values', () => {
    expect(problem({ demand: [line('d1', { hours: Number.NaN })] })).toBe(
      'Resource_Demand__c d1: Total_Hours__c must be a number (NaN)'
    );
    expect(problem({ resources: [person('dev')], assignments: [booking({ hoursPerWeek: -8 })] })).toBe(
      'Assignment__c a1: Hours_Per_Week__c must not be negative (-8)'
    );
  });

  it('refuses an end before its start', () => {
    expect(problem({ resources: [person('dev')], assignments: [booking({ end: '2026-01-01' })] })).toBe(
      'Assignment__c a1: End_Date__c 2026-01-01 is before Start_Date__c 2026-01-05'
    );
    expect(
      problem({
        resources: [person('dev')],
        timeOff: [{ id: 't1', resourceId: 'dev', start: '2026-01-09', end: '2026-01-08' }]
      })
    ).toBe('Time_Off__c t1: End_Date__c 2026-01-08 is before Start_Date__c 2026-01-09');
  });

  it('refuses a probability outside 0-100, or none', () => {
    expect(problem({ demand: [line('d1', { probability: -1 })] })).toBe(
      'Resource_Demand__c d1: Probability__c must be between 0 and 100 (-1)'
    );
    expect(problem({ demand: [line('d1', { probability: Number.NaN })] })).toBe(
      'Resource_Demand__c d1: Probability__c must be between 0 and 100 (NaN)'
    );
    expect(problem({ opportunities: [{ id: '006A', engagementId: 'a01E', probability: 101 }] })).toBe(
      'Engagement__c a01E: Win_Probability__c must be between 0 and 100 (101)'
    );
  });

  it('refuses an unknown working day and a bad forecast date', () => {
    expect(problem({ resources: [person('dev', 'Developer', { workingDays: [0, -1] })] })).toBe(
      'Resource__c dev: Working_Days__c has an unknown weekday (-1)'
    );
    expect(problem({ asOf: '2026-02-30' })).toBe(
      'Capacity_Forecast_Run__c: As_Of__c is not a date (YYYY-MM-DD): "2026-02-30"'
    );
  });
});
