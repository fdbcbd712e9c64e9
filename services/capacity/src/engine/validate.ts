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

/** Checks every record; throws the first problem found (records are checked in input order). */
export function validateInput(input: EngineInput): void {
  const date = (record: string, field: string, value: string | undefined, required: boolean) => {
    if (value === undefined || value === null || value === '') {
      if (required) throw new EngineInputError(record, field, 'is required');
      return Number.NaN;
    }
    const day = dayNumber(value);
    if (Number.isNaN(day)) throw new EngineInputError(record, field, `is not a date (YYYY-MM-DD): "${value}"`);
    return day;
  };
  const nonNegative = (record: string, field: string, value: number) => {
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw new EngineInputError(record, field, 'must be a number');
    if (value < 0) throw new EngineInputError(record, field, `must not be negative (${value})`);
  };

  date('forecast', 'asOf', input.asOf, true);
  const horizon = input.horizonWeeks ?? 26;
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > MAX_HORIZON_WEEKS) {
    throw new EngineInputError('forecast', 'horizonWeeks', `must be a whole number from 1 to ${MAX_HORIZON_WEEKS}`);
  }
  const roles = new Set(input.roles);
  const role = (record: string, value: string) => {
    if (!roles.has(value)) throw new EngineInputError(record, 'role', `"${value}" is not a known role`);
  };
  const resources = new Set<string>();
  for (const resource of input.resources) {
    const record = `Resource ${resource.id}`;
    role(record, resource.role);
    nonNegative(record, 'weeklyHours', resource.weeklyHours);
    const from = date(record, 'activeFrom', resource.activeFrom, false);
    const to = date(record, 'activeTo', resource.activeTo, false);
    if (to < from) throw new EngineInputError(record, 'activeTo', 'is before activeFrom');
    resources.add(resource.id);
  }
  for (const holiday of input.holidays ?? []) date(`Holiday ${holiday.date}`, 'date', holiday.date, true);
  for (const entry of input.timeOff ?? []) {
    const record = `Time off ${entry.id ?? entry.resourceId}`;
    if (!resources.has(entry.resourceId))
      throw new EngineInputError(record, 'resourceId', `"${entry.resourceId}" is not a resource`);
    if (date(record, 'end', entry.end, true) < date(record, 'start', entry.start, true)) {
      throw new EngineInputError(record, 'end', 'is before start');
    }
    if (entry.hoursPerDay !== undefined) nonNegative(record, 'hoursPerDay', entry.hoursPerDay);
  }
  for (const line of input.demand) {
    const record = `Demand ${line.id}`;
    role(record, line.role);
    nonNegative(record, 'hours', line.hours);
    if (date(record, 'end', line.end, true) < date(record, 'start', line.start, true)) {
      throw new EngineInputError(record, 'end', 'is before start');
    }
    if (typeof line.probability !== 'number' || line.probability < 0 || line.probability > 100) {
      throw new EngineInputError(record, 'probability', `must be between 0 and 100 (${line.probability})`);
    }
  }
  for (const assignment of input.assignments ?? []) {
    const record = `Assignment ${assignment.id}`;
    if (!resources.has(assignment.resourceId)) {
      throw new EngineInputError(record, 'resourceId', `"${assignment.resourceId}" is not a resource`);
    }
    nonNegative(record, 'hoursPerWeek', assignment.hoursPerWeek);
    if (date(record, 'end', assignment.end, true) < date(record, 'start', assignment.start, true)) {
      throw new EngineInputError(record, 'end', 'is before start');
    }
  }
  for (const deal of input.opportunities ?? []) {
    const record = `Opportunity ${deal.id}`;
    if (typeof deal.probability !== 'number' || deal.probability < 0 || deal.probability > 100) {
      throw new EngineInputError(record, 'probability', `must be between 0 and 100 (${deal.probability})`);
    }
    date(record, 'expectedStart', deal.expectedStart, false);
  }
}
