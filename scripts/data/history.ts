import type { Client } from './accounts';
import { addDays, parseDate, type IsoDate } from './dates';
import type { Prng } from './prng';
import type { Ref } from './types';

/**
 * Two years of the firm's closed deals, as OpportunityHistory would show them: each deal walks the open stages and
 * closes won or lost, with the probability the rep typed at each stage and the close date moving as deals drag.
 *
 * The reps are somewhat optimistic: they type the default stage probability (75% at Proposal, 90% at Negotiation)
 * while deals at those stages win about 40% and 58% of the time, and a deal that lingers in Negotiation wins less
 * often. Close dates slip: reps first expect a close one to three months out, push the date out when it is about
 * to pass (and now and then anyway) as a deal enters a stage, and a deal closes on the day it is decided.
 */

export type HistoryStage =
  'Prospecting' | 'Qualification' | 'Proposal/Price Quote' | 'Negotiation/Review' | 'Closed Won' | 'Closed Lost';

/** One save of a historical deal: the values after it, on `day`. */
export interface HistoryEvent {
  readonly day: IsoDate;
  readonly StageName: HistoryStage;
  readonly Probability: number;
  readonly CloseDate: IsoDate;
}

export interface HistoricalDeal {
  readonly Name: string;
  readonly AccountId: Ref<'Account'>;
  readonly Amount: number;
  /** In order; the first creates the deal, the last closes it. */
  readonly events: readonly HistoryEvent[];
}

interface StageModel {
  readonly stage: HistoryStage;
  /** What reps type on entering the stage. */
  readonly typed: readonly number[];
  /** Days a deal spends in the stage. */
  readonly days: readonly [number, number];
  /** Chance a deal moves on from the stage (else it is lost there). */
  readonly advance: number;
}

const PATH: readonly StageModel[] = [
  { stage: 'Prospecting', typed: [10, 10, 20], days: [4, 25], advance: 0.75 },
  { stage: 'Qualification', typed: [10, 20, 20], days: [7, 35], advance: 0.7 },
  { stage: 'Proposal/Price Quote', typed: [75, 75, 70, 80], days: [10, 50], advance: 0.68 },
  // Won from Negotiation: 78% when decided within 30 days, 40% after longer: 26/56 x 0.78 + 30/56 x 0.4 = 58%.
  { stage: 'Negotiation/Review', typed: [90, 90, 85, 95], days: [5, 60], advance: 0.78 }
];
const LINGERING_DAYS = 30;
const LINGERING_WIN = 0.4;

const TITLES = ['Rollout', 'Migration', 'Integration', 'Discovery', 'Support Renewal', 'Training Programme'];

/**
 * `count` closed deals created over the two years before `today` (each closed at least a day before it).
 * Deterministic for the generator's state.
 */
export function generateHistory(
  prng: Prng,
  clients: readonly Client[],
  count: number,
  today: IsoDate
): HistoricalDeal[] {
  parseDate(today);
  const deals: HistoricalDeal[] = [];
  const names = new Set<string>();
  for (let index = 0; deals.length < count && index < count * 4; index++) {
    const client = prng.pick(clients);
    const created = addDays(today, -prng.int(60, 730));
    let day = created;
    // Reps expect deals to close sooner than they do.
    let closeDate = addDays(created, prng.int(30, 90));
    const events: HistoryEvent[] = [];
    // Deals enter at Prospecting or, a third of the time, straight at Qualification.
    const first = prng.chance(0.33) ? 1 : 0;
    let outcome: 'Closed Won' | 'Closed Lost' = 'Closed Lost';
    for (let step = first; step < PATH.length; step++) {
      const model = PATH[step]!;
      // A close date about to pass is pushed out; others now and then.
      if (closeDate < addDays(day, 14)) closeDate = addDays(day, 7 * prng.int(1, 4));
      else if (step > first && prng.chance(0.25)) closeDate = addDays(closeDate, 7 * prng.int(1, 4));
      events.push({ day, StageName: model.stage, Probability: prng.pick(model.typed), CloseDate: closeDate });
      const days = prng.int(...model.days);
      day = addDays(day, days);
      const advance = step === PATH.length - 1 && days > LINGERING_DAYS ? LINGERING_WIN : model.advance;
      if (!prng.chance(advance)) break;
      if (step === PATH.length - 1) outcome = 'Closed Won';
    }
    if (day >= today) continue; // not decided yet: it belongs to the open pipeline, not the history
    events.push({ day, StageName: outcome, Probability: outcome === 'Closed Won' ? 100 : 0, CloseDate: day });
    const base = `${client.name} - ${prng.pick(TITLES)} ${created.slice(0, 7)}`;
    let name = base;
    for (let n = 2; names.has(name); n++) name = `${base} ${n}`;
    names.add(name);
    deals.push({ Name: name, AccountId: client.ref, Amount: 5_000 * prng.int(4, 60), events });
  }
  return deals;
}
