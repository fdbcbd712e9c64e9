import { automationOf, type Store } from '@handoff/local-org';
import { generateFirm, type DemoFirm, type HistoricalDeal } from './demo-firm';
import { historySnapshots } from './snapshots';
import { PLACEHOLDERS, SOBJECTS } from './types';

/** Options of a platform write: `now` replays a past save (the local org's WriteOptions). */
interface PlatformWrite {
  system?: boolean;
  now?: Date;
  allOrNone?: boolean;
}

/** The part of the local org's store the seeder uses (services/local-org Store). */
export interface SeedStore {
  seed(objectName: string, records: Record<string, unknown>[], options?: PlatformWrite): string[];
  query(soql: string): Record<string, unknown>[];
  /** Updates, for replaying deal history; a store without it gets no history. */
  write?(
    operations: { kind: 'update'; object: string; id: string; values: Record<string, unknown> }[],
    options?: PlatformWrite
  ): { success: boolean; errors: { message: string }[] }[];
}

export interface SeedResult {
  created: Record<string, number>;
  engagements: number;
  demandLines: number;
  assignments: number;
  /** Closed deals replayed into the opportunity history, and the history rows the org wrote for them. */
  historicalDeals: number;
  historyRows: number;
  /** Forecast snapshots of past Mondays, rebuilt from that history for the forecast accuracy page. */
  snapshots: number;
}

/**
 * Loads the demo firm into a local org the way `npm run org:data` loads it into a scratch org: records in
 * dependency order with references resolved, the org's standard price book and admin user in place of the
 * placeholders; the org's automation turns deals into engagements, phases and demand; then resources are booked
 * onto that demand like scripts/data/sample/assign-resources.apex does.
 */
export function seedDemoFirm(store: SeedStore, firm: DemoFirm, adminUserId: string): SeedResult {
  const ids = new Map<string, string>();
  const existingBook = store.query('SELECT Id FROM Pricebook2 WHERE IsStandard = true LIMIT 1')[0];
  const pricebookId = existingBook
    ? String(existingBook.Id)
    : store.seed('Pricebook2', [{ Name: 'Standard Price Book', IsActive: true, IsStandard: true }], {
        system: true
      })[0]!;
  const resolve = (value: unknown): unknown => {
    if (value === PLACEHOLDERS.standardPricebookId) return pricebookId;
    if (value === PLACEHOLDERS.deliveryLeadId) return adminUserId;
    if (typeof value === 'string' && value.startsWith('@')) {
      const id = ids.get(value.slice(1));
      if (!id) throw new Error(`demo firm: ${value} is referenced before it is created`);
      return id;
    }
    return value;
  };
  const created: Record<string, number> = {};
  for (const object of SOBJECTS) {
    const records = firm.records[object] as unknown as Record<string, unknown>[];
    // Accounts reference their parents: create parents first, then children, as the import plan does.
    const batches =
      object === 'Account' ? [records.filter((r) => !r.ParentId), records.filter((r) => r.ParentId)] : [records];
    for (const batch of batches) {
      if (batch.length === 0) continue;
      const values = batch.map(({ referenceId: _referenceId, ...fields }) =>
        Object.fromEntries(Object.entries(fields).map(([field, value]) => [field, resolve(value)]))
      );
      const newIds = store.seed(object, values);
      batch.forEach((record, index) => ids.set(String(record.referenceId), newIds[index]!));
      created[object] = (created[object] ?? 0) + batch.length;
    }
  }

  // Book resources on the demand the automation created, as assign-resources.apex does in an org.
  const demand = store.query('SELECT Id, Demand_Key__c, Role__c, Engagement__c FROM Resource_Demand__c');
  const byLineAndRole = new Map(
    demand.map((row) => [`${String(row.Demand_Key__c).split(':')[0]}|${String(row.Role__c)}`, row])
  );
  const assignments = firm.assignments.flatMap((intent) => {
    const lineItemId = ids.get(intent.lineItemRef.slice(1));
    const line = lineItemId ? byLineAndRole.get(`${lineItemId}|${intent.role}`) : undefined;
    if (!line) return [];
    return [
      {
        Resource__c: ids.get(intent.resourceRef.slice(1)),
        Engagement__c: line.Engagement__c,
        Demand__c: line.Id,
        Hours_Per_Week__c: intent.hoursPerWeek,
        Start_Date__c: intent.startDate,
        End_Date__c: intent.endDate,
        Booking_Type__c: intent.bookingType
      }
    ];
  });
  if (assignments.length) store.seed('Assignment__c', assignments);
  const historicalDeals = seedDealHistory(store, firm.history, (ref) => String(resolve(ref)));
  const snapshots = historySnapshots(firm.history, firm.today);
  if (snapshots.length && store.query('SELECT Id FROM Forecast_Snapshot__c LIMIT 1').length === 0) {
    store.seed('Forecast_Snapshot__c', snapshots as unknown as Record<string, unknown>[], { system: true });
  }
  return {
    created,
    engagements: store.query('SELECT Id FROM Engagement__c').length,
    demandLines: demand.length,
    assignments: assignments.length,
    historicalDeals,
    historyRows: historicalDeals ? store.query('SELECT Id FROM OpportunityHistory').length : 0,
    snapshots: snapshots.length
  };
}

/**
 * Loads the closed deals of the last two years as a data migration would: with the automation off (the
 * Handoff_Data_Loader bypass: they were handed off long ago) and each save replayed at its past date, so the org's
 * OpportunityHistory holds their stage, probability and close-date changes with past CreatedDates. (A real migration
 * keeps Opportunity CreatedDate with "Set Audit Fields upon Record Creation", but cannot write OpportunityHistory;
 * replaying the saves is what makes the local org write it.) Saves are grouped by day: one call per day with new
 * deals, one per day with changes. Returns the number of deals.
 */
export function seedDealHistory(
  store: SeedStore,
  history: readonly HistoricalDeal[],
  resolve: (ref: string) => string
): number {
  if (history.length === 0 || !store.write) return 0;
  const automation = automationOf(store as unknown as Store);
  const wasBypassed = automation?.bypassed ?? false;
  if (automation) automation.bypassed = true;
  try {
    const byDay = new Map<string, { inserts: number[]; updates: [number, number][] }>();
    history.forEach((deal, index) =>
      deal.events.forEach((event, step) => {
        let saves = byDay.get(event.day);
        if (!saves) byDay.set(event.day, (saves = { inserts: [], updates: [] }));
        if (step === 0) saves.inserts.push(index);
        else saves.updates.push([index, step]);
      })
    );
    const ids: string[] = [];
    for (const day of [...byDay.keys()].sort()) {
      const { inserts, updates } = byDay.get(day)!;
      const now = new Date(`${day}T09:00:00.000Z`);
      if (inserts.length) {
        const created = store.seed(
          'Opportunity',
          inserts.map((index) => {
            const { Name, AccountId, Amount, events } = history[index]!;
            const { StageName, Probability, CloseDate } = events[0]!;
            return { Name, AccountId: resolve(AccountId), Amount, StageName, Probability, CloseDate };
          }),
          { system: true, now }
        );
        inserts.forEach((index, position) => (ids[index] = created[position]!));
      }
      if (updates.length) {
        const results = store.write(
          updates.map(([index, step]) => {
            const { StageName, Probability, CloseDate } = history[index]!.events[step]!;
            return {
              kind: 'update',
              object: 'Opportunity',
              id: ids[index]!,
              values: { StageName, Probability, CloseDate }
            };
          }),
          { system: true, now, allOrNone: true }
        );
        const failed = results.find((result) => !result.success);
        if (failed) throw new Error(`demo firm history, ${day}: ${failed.errors[0]?.message ?? 'update failed'}`);
      }
    }
  } finally {
    if (automation) automation.bypassed = wasBypassed;
  }
  return history.length;
}

export { generateFirm };
