import type { RuleStatus, StageRule } from './rules';

/**
 * The lifecycle as tables (EngagementTransition.cls and the status rules of DemandPlanner.cls): each table is read
 * top to bottom and the first row whose conditions all hold decides. A condition left out matches anything.
 */
export type Status = RuleStatus | 'On Hold' | 'Completed';
export type EventType =
  'PipelineCreated' | 'Won' | 'Lost' | 'Reopened' | 'Reverted' | 'ValueChanged' | 'DatesChanged' | 'DemandChanged';

/** Delivery has taken over: changes are audited, demand weighs 100%. */
export const HANDED_OFF: readonly string[] = ['Active', 'On Hold', 'Completed'];
/** Statuses delivery sets by hand: no stage change, re-save or deletion of the deal undoes them. */
export const DELIVERY_OWNED: readonly string[] = ['On Hold', 'Completed'];

interface Row<Facts, Result> {
  when: { [K in keyof Facts]?: readonly Facts[K][] };
  then: Result;
}

function decide<Facts extends object, Result>(table: Row<Facts, Result>[], facts: Facts): Result {
  const row = table.find(({ when }) =>
    (Object.keys(when) as (keyof Facts)[]).every((key) => when[key]!.includes(facts[key]))
  );
  if (!row) throw new Error('lifecycle table has no default row');
  return row.then;
}

interface StatusFacts {
  deleted: boolean;
  /** The stage rule's status, or null when the deal's stage has no rule. */
  rule: RuleStatus | null;
  current: string | null;
}

/** 'keep' keeps the current status, 'rule' takes the stage rule's, null means no engagement. */
const NEXT_STATUS: Row<StatusFacts, Status | 'keep' | 'rule' | null>[] = [
  { when: { current: ['On Hold', 'Completed'] }, then: 'keep' }, // delivery owns these; the sync reports the stage
  { when: { deleted: [true], current: [null] }, then: null }, // a deleted deal never gets an engagement
  { when: { deleted: [true] }, then: 'Lost' }, // deleting a deal loses its engagement
  { when: { rule: [null], current: ['Lost'] }, then: 'Pipeline' }, // a lost deal pulled back to an early stage
  { when: { rule: [null] }, then: 'keep' }, // early stages create and change nothing
  { when: { rule: ['Lost'], current: [null] }, then: null }, // lost before the pipeline: nothing to lose
  { when: {}, then: 'rule' }
];

/** The status the engagement should have, or null when the deal should have no engagement. */
export function nextStatus(current: string | null, rule: StageRule | undefined, deleted: boolean): string | null {
  const next = decide(NEXT_STATUS, { deleted, rule: rule?.status ?? null, current });
  return next === 'keep' ? current : next === 'rule' ? rule!.status : next;
}

interface MoveFacts {
  previous: string | null;
  next: string | null;
}

/** The lifecycle event a status change publishes (none when there is no engagement after it). */
const STATUS_EVENT: Row<MoveFacts, EventType | null>[] = [
  { when: { next: [null] }, then: null },
  { when: { previous: [null], next: ['Active'] }, then: 'Won' },
  { when: { previous: [null] }, then: 'PipelineCreated' },
  { when: { next: ['Lost'] }, then: 'Lost' },
  { when: { previous: ['Lost'] }, then: 'Reopened' },
  { when: { next: ['Active'] }, then: 'Won' },
  { when: { next: ['Pipeline'] }, then: 'Reverted' },
  { when: {}, then: null }
];

export function eventFor(previous: string | null, next: string | null): EventType | null {
  if (previous === next) return null;
  return decide(STATUS_EVENT, { previous, next });
}

/** Every event a status change publishes, in order: a deal won after it was lost publishes Reopened then Won. */
export function eventsFor(previous: string | null, next: string | null): EventType[] {
  const event = eventFor(previous, next);
  if (!event) return [];
  return event === 'Reopened' && next === 'Active' ? ['Reopened', 'Won'] : [event];
}

interface DemandFacts {
  engagement: string;
  stored: string | null;
}

/** Lost deals release open and filled demand; reopened deals reopen released demand; new demand is Open. */
const DEMAND_STATUS: Row<DemandFacts, 'keep' | 'Open' | 'Released'>[] = [
  { when: { engagement: ['Lost'] }, then: 'Released' },
  { when: { stored: [null, 'Released'] }, then: 'Open' },
  { when: {}, then: 'keep' }
];

export function demandStatus(stored: string | null, engagement: string): string {
  const next = decide(DEMAND_STATUS, { engagement, stored });
  return next === 'keep' ? stored! : next;
}

/** Billable per the stage rule when the rule set the status; Lost is never billable; otherwise unchanged. */
export function billableFor(rule: StageRule | undefined, next: string, stored: boolean | undefined): boolean {
  if (next === 'Lost') return false;
  if (rule && rule.status === next) return rule.billable;
  return stored ?? false;
}

/** Weight of demand: the deal's probability while in the pipeline, 100% once handed off. */
export function probabilityFor(dealProbability: unknown, status: string): number {
  if (HANDED_OFF.includes(status)) return 100;
  return typeof dealProbability === 'number' ? dealProbability : 0;
}
