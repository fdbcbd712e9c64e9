import { PRODUCTS, ROLES, type ProductCode, type Role } from './catalog';
import { addDays, addWeeks, daysBetween, mondayOf, type IsoDate } from './dates';
import type { HistoricalDeal, HistoryEvent } from './history';

/**
 * The forecast snapshots the capacity service would have kept had it run every Monday of the last year, rebuilt from
 * the demo firm's deal history (scripts/data/history.ts), so the forecast accuracy page has real content offline.
 *
 * Each historical deal becomes role demand the way the package's demand templates make it (scripts/data/catalog.ts):
 * the product its name says (a "Migration" is Data Migration sprints, a "Rollout" Implementation Sprints, …), as
 * many units as its amount buys at list price (capped), starting two weeks after the deal closes. On a Monday, a deal
 * already won is confirmed demand starting two weeks after the day it was won; a deal at a pipeline stage
 * (Proposal, Negotiation) is pipeline demand at the probability the rep typed, starting two weeks after the close
 * date then expected; any other deal adds nothing. So the snapshots carry the history's own errors: optimistic
 * probabilities and close dates that slip.
 */

/** A Forecast_Snapshot__c as the capacity service writes it (without its run). */
export interface SnapshotRecord {
  Snapshot_Key__c: string;
  As_Of__c: IsoDate;
  Week_Start__c: IsoDate;
  Role__c: Role;
  Weeks__c: string;
}

const PRODUCT_BY_TITLE: readonly [RegExp, ProductCode][] = [
  [/Rollout/, 'HO-IMPL'],
  [/Migration/, 'HO-DATA'],
  [/Integration/, 'HO-INTG'],
  [/Discovery/, 'HO-DISC'],
  [/Support Renewal/, 'HO-RET'],
  [/Training Programme/, 'HO-TRAIN']
];
/** At most this many units of a product per deal: days for day-priced products, sprints or months otherwise. */
const MAX_UNITS = { Days: 20, Each: 6 } as const;
const PIPELINE_STAGES = new Set(['Proposal/Price Quote', 'Negotiation/Review']);
/** Delivery starts two weeks after the (expected) close. */
const START_AFTER_CLOSE_DAYS = 14;

interface DealDemand {
  role: Role;
  hoursPerWeek: number;
  /** Weeks from the start. */
  weeks: number;
}

/** The role demand a historical deal would create, by its product and amount. */
export function dealDemand(deal: HistoricalDeal): DealDemand[] {
  const code = PRODUCT_BY_TITLE.find(([title]) => title.test(deal.Name))?.[1];
  if (!code) return [];
  const product = PRODUCTS[code];
  const units = Math.max(1, Math.min(MAX_UNITS[product.unit], Math.round(deal.Amount / product.listPrice)));
  return product.templates.map((template) => {
    const weeks = template.durationWeeks * (template.scaleDuration ? units : 1);
    return { role: template.role, hoursPerWeek: (template.hoursPerUnit * units) / weeks, weeks };
  });
}

/** The deal as it stood on `day`: its last save on or before that day. */
function stateOn(deal: HistoricalDeal, day: IsoDate): HistoryEvent | undefined {
  let state: HistoryEvent | undefined;
  for (const event of deal.events) if (event.day <= day) state = event;
  return state;
}

/**
 * One snapshot per role for every Monday from `weeks` weeks before `today`'s week to the week before it (the current
 * week is the real forecast's), each over `horizonWeeks` weeks: confirmed (won) and weighted (won plus pipeline ×
 * probability) hours, to one decimal, as the service stores them.
 */
export function historySnapshots(
  history: readonly HistoricalDeal[],
  today: IsoDate,
  options: { weeks?: number; horizonWeeks?: number } = {}
): SnapshotRecord[] {
  const weeks = options.weeks ?? 52;
  const horizon = options.horizonWeeks ?? 26;
  const demands = history.map((deal) => ({ deal, demand: dealDemand(deal) }));
  const records: SnapshotRecord[] = [];
  for (let back = weeks; back >= 1; back--) {
    const monday = addWeeks(mondayOf(today), -back);
    const confirmed = new Map<Role, number[]>(ROLES.map((role) => [role, new Array<number>(horizon).fill(0)]));
    const weighted = new Map<Role, number[]>(ROLES.map((role) => [role, new Array<number>(horizon).fill(0)]));
    for (const { deal, demand } of demands) {
      const state = stateOn(deal, monday);
      if (!state) continue;
      const won = state.StageName === 'Closed Won';
      if (!won && !PIPELINE_STAGES.has(state.StageName)) continue;
      const start = mondayOf(addDays(won ? state.day : state.CloseDate, START_AFTER_CLOSE_DAYS));
      const first = Math.floor(daysBetween(monday, start) / 7);
      const share = won ? 1 : state.Probability / 100;
      for (const line of demand) {
        const confirmedHours = confirmed.get(line.role)!;
        const weightedHours = weighted.get(line.role)!;
        for (let week = Math.max(0, first); week < Math.min(horizon, first + line.weeks); week++) {
          if (won) confirmedHours[week] = (confirmedHours[week] ?? 0) + line.hoursPerWeek;
          weightedHours[week] = (weightedHours[week] ?? 0) + line.hoursPerWeek * share;
        }
      }
    }
    for (const role of ROLES) {
      const series = (values: number[]) => values.map((value) => Math.round(value * 10) / 10);
      records.push({
        Snapshot_Key__c: `${monday}:${role}`,
        As_Of__c: monday,
        Week_Start__c: monday,
        Role__c: role,
        Weeks__c: JSON.stringify({ c: series(confirmed.get(role)!), w: series(weighted.get(role)!) })
      });
    }
  }
  return records;
}
