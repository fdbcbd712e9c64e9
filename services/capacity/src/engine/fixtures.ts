import type { DemandInput, EngineInput, ResourceInput } from './types';

/** A small firm for engine tests: forecasts start Monday 2026-01-05. */
export const AS_OF = '2026-01-05';
export const ROLES = ['Developer', 'Trainer', 'Data Engineer'];

export function person(id: string, role = 'Developer', extra: Partial<ResourceInput> = {}): ResourceInput {
  return { id, role, weeklyHours: 40, ...extra };
}

export function line(id: string, extra: Partial<DemandInput> = {}): DemandInput {
  return {
    id,
    opportunityId: `opp-${id}`,
    role: 'Developer',
    hours: 80,
    start: '2026-01-05',
    end: '2026-01-16',
    probability: 100,
    layer: 'confirmed',
    ...extra
  };
}

export function input(extra: Partial<EngineInput> = {}): EngineInput {
  return { asOf: AS_OF, horizonWeeks: 8, roles: ROLES, resources: [], demand: [], ...extra };
}

/** Value of a role-week grid cell. */
export function cell(grid: Float64Array, roles: string[], weeks: number, role: string, week: number): number {
  return grid[roles.indexOf(role) * weeks + week]!;
}
