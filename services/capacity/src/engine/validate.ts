import { dayNumber } from './calendar';
import type { EngineInput } from './types';

/** Bad engine input, naming the record and field so the operator can find and fix it. */
export class EngineInputError extends Error {
  constructor(
    readonly record: string,
    readonly field: string,
    readonly problem: string
  ) {
    super(`${record}: ${field} ${problem}`);
    this.name = 'EngineInputError';
  }
}

export const MAX_HORIZON_WEEKS = 104;
/** Plausibility limits: beyond them a value cannot mean what it says (a typo, a unit mix-up, a bad import). */
export const MAX_LINE_HOURS = 10_000;
export const MAX_HOURS_PER_WEEK = 168;
export const MAX_HOURS_PER_DAY = 24;
export const MAX_YEARS_FROM_AS_OF = 10;

/**
 * Checks every record; throws the first problem found (records are checked in input order). Problems name the
 * Salesforce record and field the value came from (`Resource_Demand__c a0X…: Total_Hours__c …`), so the operator can
 * open it and fix it; the forecast run fails before writing anything and the previous forecast stays current.
 */
export function validateInput(input: EngineInput): void {
  const RUN = 'Capacity_Forecast_Run__c';
  if (input.asOf === undefined || input.asOf === null || Number.isNaN(dayNumber(input.asOf))) {
    throw new EngineInputError(RUN, 'As_Of__c', `is not a date (YYYY-MM-DD): "${input.asOf}"`);
  }
  const horizon = input.horizonWeeks ?? 26;
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > MAX_HORIZON_WEEKS) {
    throw new EngineInputError(RUN, 'Horizon_Weeks__c', `must be a whole number from 1 to ${MAX_HORIZON_WEEKS}`);
  }
  const [year, month, day] = input.asOf.split('-').map(Number) as [number, number, number];
  const earliest = Date.UTC(year - MAX_YEARS_FROM_AS_OF, month - 1, day) / 86_400_000;
  const latest = Date.UTC(year + MAX_YEARS_FROM_AS_OF, month - 1, day) / 86_400_000;

  // Checks take the record as (object, id) and build its name only to report a problem: the happy path over a
  // hundred thousand rows allocates nothing.
  type Source = [object: string, id: string | undefined];
  const fail = ([object, id]: Source, field: string, problem: string): never => {
    throw new EngineInputError(id === undefined ? object : `${object} ${id}`, field, problem);
  };
  /** `longAgo`: a date far in the past is plausible (someone who joined the firm twenty years ago). */
  const date = (record: Source, field: string, value: string | undefined, required: boolean, longAgo: boolean) => {
    if (value === undefined || value === null || value === '') {
      if (required) fail(record, field, 'is required');
      return Number.NaN;
    }
    const parsed = dayNumber(value);
    if (Number.isNaN(parsed)) fail(record, field, `is not a date (YYYY-MM-DD): "${value}"`);
    if ((parsed < earliest && !longAgo) || parsed > latest) {
      fail(record, field, `${value} is more than ${MAX_YEARS_FROM_AS_OF} years from the forecast date ${input.asOf}`);
    }
    return parsed;
  };
  const hours = (record: Source, field: string, value: number, max: number, unit: string) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) fail(record, field, `must be a number (${value})`);
    if (value < 0) fail(record, field, `must not be negative (${value})`);
    if (value > max) fail(record, field, `${value} is more than ${max} hours ${unit}`);
  };
  const probability = (record: Source, field: string, value: number) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100) {
      fail(record, field, `must be between 0 and 100 (${value})`);
    }
  };
  const range = (record: Source, start: string, end: string) => {
    if (date(record, 'End_Date__c', end, true, false) < date(record, 'Start_Date__c', start, true, false)) {
      fail(record, 'End_Date__c', `${end} is before Start_Date__c ${start}`);
    }
  };

  const roles = new Set(input.roles);
  const role = (record: Source, field: string, value: string) => {
    if (!roles.has(value)) fail(record, field, `"${value}" is not a known role`);
  };
  const resources = new Set<string>();
  for (const resource of input.resources) {
    const record: Source = ['Resource__c', resource.id];
    role(record, 'Primary_Role__c', resource.role);
    hours(record, 'Weekly_Capacity_Hours__c', resource.weeklyHours, MAX_HOURS_PER_WEEK, 'a week');
    const from = date(record, 'Active_From__c', resource.activeFrom, false, true);
    const to = date(record, 'Active_To__c', resource.activeTo, false, false);
    if (to < from) fail(record, 'Active_To__c', `${resource.activeTo} is before Active_From__c ${resource.activeFrom}`);
    for (const weekday of resource.workingDays ?? []) {
      if (!Number.isInteger(weekday) || weekday < 0 || weekday > 6) {
        fail(record, 'Working_Days__c', `has an unknown weekday (${weekday})`);
      }
    }
    resources.add(resource.id);
  }
  for (const holiday of input.holidays ?? []) {
    date(['Holiday', holiday.id ?? holiday.date], 'ActivityDate', holiday.date, true, false);
  }
  for (const entry of input.timeOff ?? []) {
    const record: Source = ['Time_Off__c', entry.id ?? entry.resourceId];
    if (!resources.has(entry.resourceId)) fail(record, 'Resource__c', `"${entry.resourceId}" is not a resource`);
    range(record, entry.start, entry.end);
    if (entry.hoursPerDay !== undefined) {
      hours(record, 'Hours_Per_Day__c', entry.hoursPerDay, MAX_HOURS_PER_DAY, 'a day');
    }
  }
  for (const line of input.demand) {
    const record: Source = ['Resource_Demand__c', line.id];
    role(record, 'Role__c', line.role);
    hours(record, 'Total_Hours__c', line.hours, MAX_LINE_HOURS, 'for one demand line');
    range(record, line.start, line.end);
    probability(record, 'Probability__c', line.probability);
  }
  for (const assignment of input.assignments ?? []) {
    const record: Source = ['Assignment__c', assignment.id];
    if (!resources.has(assignment.resourceId)) {
      fail(record, 'Resource__c', `"${assignment.resourceId}" is not a resource`);
    }
    hours(record, 'Hours_Per_Week__c', assignment.hoursPerWeek, MAX_HOURS_PER_WEEK, 'a week');
    range(record, assignment.start, assignment.end);
  }
  for (const deal of input.opportunities ?? []) {
    const record: Source = deal.engagementId ? ['Engagement__c', deal.engagementId] : ['Opportunity', deal.id];
    probability(record, 'Win_Probability__c', deal.probability);
    date(record, 'Expected_Start__c', deal.expectedStart, false, false);
  }
}
