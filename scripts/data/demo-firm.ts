import { generateClients } from './accounts';
import { assignmentIntents, type AssignmentIntent } from './assignments';
import { PRODUCT_CODES, PRODUCTS, type ProductCode, type Stage } from './catalog';
import { parseDate, type IsoDate } from './dates';
import { DealBook, randomDeal } from './deals';
import { demandsOf } from './demand-model';
import { generateHistory, type HistoricalDeal } from './history';
import { holidaysFrom } from './holidays';
import { generateResources, generateTimeOff } from './people';
import { PLANTED_SHORTAGES, plantedDeals, type PlantedShortage } from './planted';
import { Prng } from './prng';
import {
  PLACEHOLDERS,
  RefIds,
  refTo,
  type FirmRecords,
  type HolidayRecord,
  type PricebookEntryRecord,
  type Product2Record,
  type Ref
} from './types';

export type { AssignmentIntent, BookingType } from './assignments';
export { demandsOf, engagementStatus, type Demand, type EngagementStatus } from './demand-model';
export type { PlantedShortage } from './planted';
export type { HistoricalDeal, HistoryEvent } from './history';
export * from './types';

/**
 * A deterministic demo professional-services firm: clients (with a group hierarchy) and contacts, the seven
 * Handoff products in the standard price book, a pipeline of opportunities with line items, the firm's people with
 * time off, office holidays, and the assignments to book once the package has turned won deals into engagements.
 *
 * The same options give deep-equal (and, written out, byte-identical) records. Dates are anchored to `today`: open
 * deals close after it, won ones before it, and the small firm's planted shortages sit in weeks 3-8 after it.
 *
 * - small: the sample data of scripts/data/sample (12 accounts, 60 opportunities, 40 resources, ...).
 * - large: for benchmarks, never written to git: 2,000 resources, 3,000 open and 800 won opportunities, a year of
 *   assignments.
 */

export type FirmSize = 'small' | 'large';

export interface FirmOptions {
  readonly size: FirmSize;
  readonly seed?: number;
  /** ISO date the data is anchored to; DEFAULT_TODAY when absent, so the committed sample stays stable. */
  readonly today?: IsoDate;
}

export const DEFAULT_SEED = 20261123;
export const DEFAULT_TODAY: IsoDate = '2026-11-23';

export interface DemoFirm {
  readonly size: FirmSize;
  readonly seed: number;
  readonly today: IsoDate;
  /** Records per object, each list in creation order; the object order is SOBJECTS. */
  readonly records: FirmRecords;
  /** What assign-resources.apex books once the triggers have created engagements and demand. */
  readonly assignments: AssignmentIntent[];
  readonly plantedShortages: readonly PlantedShortage[];
  /**
   * Two years of closed deals with their stage, probability and close-date changes, for OpportunityHistory (the
   * forecast calibrates win probabilities and close-date slip from it). Not part of the sample plan: the local org
   * seed loads it as a data migration would.
   */
  readonly history: readonly HistoricalDeal[];
}

interface SizeProfile {
  readonly stages: Readonly<Record<Stage, number>>;
  readonly timeOff: number;
  /** Random won deals closed up to this many days before `today`. */
  readonly wonLookbackDays: number;
  /** Closed deals of the last two years, for opportunity history. */
  readonly historicalDeals: number;
}

const PROFILES: Readonly<Record<FirmSize, SizeProfile>> = {
  small: {
    // plus the six planted Closed Won deals: 60 opportunities
    stages: {
      Prospecting: 8,
      Qualification: 8,
      'Proposal/Price Quote': 10,
      'Negotiation/Review': 8,
      'Closed Won': 12,
      'Closed Lost': 8
    },
    timeOff: 30,
    wonLookbackDays: 120,
    historicalDeals: 240
  },
  large: {
    stages: {
      Prospecting: 900,
      Qualification: 800,
      'Proposal/Price Quote': 750,
      'Negotiation/Review': 550,
      'Closed Won': 800,
      'Closed Lost': 200
    },
    timeOff: 1500,
    wonLookbackDays: 300,
    // The engine benchmark generates its own history; the full-run benchmark measures the run, not the seed.
    historicalDeals: 0
  }
};

/** Independent streams per part, so changing how one part draws leaves the others as they were. */
function stream(seed: number, part: number): Prng {
  return new Prng((seed ^ Math.imul(part, 0x9e3779b9)) >>> 0);
}

export function generateFirm(options: FirmOptions): DemoFirm {
  const size = options.size;
  const seed = options.seed ?? DEFAULT_SEED;
  const today = options.today ?? DEFAULT_TODAY;
  parseDate(today);
  const profile = PROFILES[size];

  const { accounts, contacts, clients } = generateClients(stream(seed, 1), size);

  const productRefs = new RefIds('Product2');
  const entryRefs = new RefIds('PricebookEntry');
  const products: Product2Record[] = [];
  const entries: PricebookEntryRecord[] = [];
  const entryByCode = {} as Record<ProductCode, Ref<'PricebookEntry'>>;
  for (const code of PRODUCT_CODES) {
    const product = PRODUCTS[code];
    const productRecord: Product2Record = {
      referenceId: productRefs.next(),
      Name: product.name,
      ProductCode: code,
      Family: product.family,
      QuantityUnitOfMeasure: product.unit,
      Description: product.description,
      IsActive: true
    };
    const entry: PricebookEntryRecord = {
      referenceId: entryRefs.next(),
      Pricebook2Id: PLACEHOLDERS.standardPricebookId,
      Product2Id: refTo(productRecord.referenceId),
      UnitPrice: product.listPrice,
      IsActive: true
    };
    products.push(productRecord);
    entries.push(entry);
    entryByCode[code] = refTo(entry.referenceId);
  }

  const dealPrng = stream(seed, 2);
  const book = new DealBook(entryByCode);
  // Opportunities go to subsidiaries and standalone clients three times as often as to group parents.
  const dealClients = clients.flatMap((client) => (client.isParent ? [client] : [client, client, client]));
  for (const [stage, count] of Object.entries(profile.stages) as [Stage, number][]) {
    for (let i = 0; i < count; i++) book.add(randomDeal(dealPrng, dealClients, stage, today, profile.wonLookbackDays));
  }
  if (size === 'small') plantedDeals(clients, today).forEach((deal) => book.add(deal));

  const resources = generateResources(stream(seed, 3), size, today);
  const timeOff = generateTimeOff(stream(seed, 4), resources, profile.timeOff, today);
  const holidayRefs = new RefIds('Holiday');
  const holidays = holidaysFrom(today).map((holiday): HolidayRecord => ({
    referenceId: holidayRefs.next(),
    Name: holiday.name,
    ActivityDate: holiday.date,
    IsAllDay: true
  }));

  const records: FirmRecords = {
    Account: accounts,
    Contact: contacts,
    Product2: products,
    PricebookEntry: entries,
    Opportunity: book.opportunities,
    OpportunityLineItem: book.lineItems,
    Resource__c: resources,
    Time_Off__c: timeOff,
    Holiday: holidays
  };
  return {
    size,
    seed,
    today,
    records,
    assignments: assignmentIntents(records, demandsOf(records)),
    plantedShortages: size === 'small' ? PLANTED_SHORTAGES : [],
    history: generateHistory(stream(seed, 6), clients, profile.historicalDeals, today)
  };
}
