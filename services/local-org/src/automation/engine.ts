import { randomUUID } from 'node:crypto';
import type { RecordError } from '../errors';
import type { Store, WriteOperation } from '../store/store';
import { adjustMilestones, BILLING_AUDIT, BILLING_CHANGE, planMilestones } from './billing';
import { changesDemand, planDemand, type LineItem } from './demand';
import type { HandoffRules, StageRule } from './rules';
import { billableFor, DELIVERY_OWNED, eventsFor, HANDED_OFF, nextStatus, type EventType } from './transition';
import { apexJson, apexText, sameValue, type SObject } from './values';

/** A custom notification to a delivery lead (Handoff_Engagement_Changed). */
export interface Notice {
  engagementId: string;
  recipientId: string;
  title: string;
  body: string;
}

export interface EngineContext {
  store: Store;
  rules: HandoffRules;
  /** Whether the project declares the custom notification type; without it notices are recorded as undelivered. */
  notificationType: boolean;
  /** Called for each delivered notice once the transaction commits. */
  deliver(notice: Notice): void;
}

/** One deal's engagement through the sync (EngagementSync.Work). */
interface Work {
  deal: SObject & { Id: string };
  stored?: SObject;
  wanted?: SObject;
  previous: string | null;
  next: string;
  engagementId?: string;
  audits: SObject[];
  /** Bookings to confirm (soft -> hard) or flag for review; soft bookings to delete. */
  bookingUpdates: SObject[];
  bookingRemovals: string[];
  /** Unbilled billing milestones re-planned after a contract value change. */
  milestoneUpdates: SObject[];
  /** Phases after this sync, in line item order (per-phase billing milestones). */
  phases: SObject[];
  eventTypes: EventType[];
  changes: Record<string, { old: unknown; new: unknown }>;
}

/** A write and the deal it is for (a failed row fails that deal). */
type Row = readonly [WriteOperation, Work];

const DEAL_FIELDS = ['Id', 'Name', 'StageName', 'Probability', 'CloseDate', 'Expected_Start__c', 'IsDeleted'];
const ENGAGEMENT_FIELDS = [
  'Id',
  'Name',
  'Opportunity_Key__c',
  'Opportunity__c',
  'Status__c',
  'Billable__c',
  'Delivery_Lead__c',
  'Entered_Pipeline__c',
  'Entered_Active__c',
  'Entered_Lost__c',
  'Contract_Value__c',
  'Billing_Type__c',
  'Expected_Start__c',
  'Expected_End__c'
];
const PHASES =
  '(SELECT Id, Line_Item_Key__c, Name, Product__c, Service__c, Quantity__c, Unit_Price__c, Total_Price__c, Hours__c,' +
  ' Start_Date__c, End_Date__c FROM Phases__r)';
const DEMANDS =
  '(SELECT Id, Demand_Key__c, Phase__c, Role__c, Skill__c, Total_Hours__c, Start_Date__c, End_Date__c, Status__c,' +
  ' Probability__c, Weighted_Hours__c FROM Demands__r)';
const BOOKINGS = '(SELECT Id, Name, Booking_Type__c, Needs_Review__c FROM Assignments__r ORDER BY Name)';
/** The audit row's Field__c for a stage change that did not move a delivery-owned engagement. */
export const STAGE_AUDIT = 'StageName';
/** Change_Type__c of an audit row for a deal change not copied to a delivery-owned field. */
export const CONFLICT = 'Conflict';
const CONTRACT_VALUE = 'Contract_Value__c';
const LAST_AUDITS =
  '(SELECT Id, Field__c, New_Value__c, Change_Type__c FROM Changes__r' +
  ` WHERE Field__c = '${STAGE_AUDIT}' OR Change_Type__c = '${CONFLICT}' ORDER BY CreatedDate DESC, Id DESC LIMIT 100)`;
const MILESTONES = '(SELECT Id, Milestone_Key__c, Amount__c, Status__c FROM Milestones__r ORDER BY Milestone_Key__c)';
const LINE_ITEMS =
  'SELECT Id, OpportunityId, Product2Id, Product2.Name, Product2.ProductCode, Product2.Family,' +
  ' PricebookEntry.Product2Id, PricebookEntry.Product2.Name, PricebookEntry.Product2.ProductCode,' +
  ' PricebookEntry.Product2.Family, Quantity, UnitPrice, TotalPrice, ServiceDate FROM OpportunityLineItem';

const unique = (names: string[]) => [...new Map(names.map((name) => [name.toLowerCase(), name])).values()];
const inList = (values: string[]) =>
  values.map((value) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(', ');
const children = (value: unknown): SObject[] => (value as { records?: SObject[] } | null)?.records ?? [];

/**
 * Brings the engagements of these deals in step with them (EngagementSync.sync): reads the deals, their engagements
 * with phases and demand, and their line items; decides each engagement's next state from the rules; writes only what
 * differs, in the Apex's statement order (engagements, phases, demand, removals, audits + checklist, events). Returns
 * why a deal could not be synced, by Opportunity Id.
 */
export function syncDeals(context: EngineContext, dealIds: string[]): Map<string, string> {
  const { store, rules } = context;
  const errors = new Map<string, string>();
  if (dealIds.length === 0) return errors;
  const ids = inList(dealIds);
  const dealFields = unique([...DEAL_FIELDS, ...rules.mappings.map((mapping) => mapping.sourceField)]);
  const deals = store.query(`SELECT ${dealFields.join(', ')} FROM Opportunity WHERE Id IN (${ids}) ORDER BY Id`, {
    scanAll: true
  });
  const engagementFields = unique([...ENGAGEMENT_FIELDS, ...rules.mappings.map((mapping) => mapping.targetField)]);
  const stored = new Map(
    store
      .query(
        `SELECT ${engagementFields.join(', ')}, ${PHASES}, ${DEMANDS}, ${BOOKINGS}, ${LAST_AUDITS}, ${MILESTONES}` +
          ` FROM Engagement__c WHERE Opportunity_Key__c IN (${ids})`
      )
      .map((engagement) => [String(engagement.Opportunity_Key__c), engagement])
  );
  const itemsByDeal = new Map<string, LineItem[]>();
  for (const row of store.query(
    `${LINE_ITEMS} WHERE OpportunityId IN (${ids}) ORDER BY OpportunityId, SortOrder, Id`
  )) {
    const item = lineItem(row);
    itemsByDeal.set(item.OpportunityId, [...(itemsByDeal.get(item.OpportunityId) ?? []), item]);
  }

  const now = store.now().toISOString();
  const userId = store.userId();
  const fail = (work: Work, what: string, failures: RecordError[]) => {
    const messages = failures.map(
      (error) => error.message + (error.fields.length ? ` (${error.fields.join(', ')})` : '')
    );
    const message = `Handoff: ${what}: ${messages.join('; ')}`;
    const previous = errors.get(work.deal.Id);
    errors.set(work.deal.Id, previous ? `${previous}; ${message}` : message);
  };
  /** One DML statement (allOrNone false, system mode); a failed row fails the deal that owns it. */
  const dml = (rows: Row[], what: string) => {
    if (rows.length === 0) return [];
    const results = store.write(
      rows.map(([operation]) => operation),
      { system: true }
    );
    results.forEach((result, index) => {
      if (!result.success) fail(rows[index]![1], what, result.errors);
    });
    return results;
  };
  const synced = (work: Work) => work.engagementId !== undefined && !errors.has(work.deal.Id);
  const upsert = (object: string, externalIdField: string, values: SObject): WriteOperation => ({
    kind: 'upsert',
    object,
    externalIdField,
    values
  });
  const insert = (object: string, values: SObject): WriteOperation => ({ kind: 'insert', object, values });

  // Decide each engagement's next state, then upsert the engagements on the deal's key.
  const works = deals.flatMap((deal) => plan(context, deal as Work['deal'], stored, now, userId) ?? []);
  const writes = works.filter((work) => work.wanted);
  dml(
    writes.map((work) => [upsert('Engagement__c', 'Opportunity_Key__c', work.wanted!), work]),
    'its engagement could not be saved'
  ).forEach((result, index) => {
    if (result.success) writes[index]!.engagementId = result.id;
  });

  // Phases and demand from the line items; rows of removed line items and released soft bookings go, in one delete
  // grouped by type (demand, phases, bookings), as the Apex keeps every DML call to a few type chunks.
  const phases: Row[] = [];
  const demands: Row[] = [];
  const bookings: Row[] = [];
  const demandRemovals: Row[] = [];
  const phaseRemovals: Row[] = [];
  const bookingRemovals: Row[] = [];
  const milestones: Row[] = [];
  for (const work of works.filter(synced)) {
    const demandPlan = planDemand(store.schema, rules, {
      deal: work.deal,
      items: itemsByDeal.get(work.deal.Id) ?? [],
      engagementId: work.engagementId!,
      storedPhases: children(work.stored?.Phases__r),
      storedDemands: children(work.stored?.Demands__r),
      status: work.next
    });
    if (demandPlan.errors.length) {
      errors.set(work.deal.Id, demandPlan.errors.join('; '));
      continue;
    }
    if (changesDemand(demandPlan)) addEvent(work, 'DemandChanged');
    work.phases = phasesAfter(children(work.stored?.Phases__r), demandPlan.phases, itemsByDeal.get(work.deal.Id) ?? []);
    phases.push(
      ...demandPlan.phases.map((values) => [upsert('Engagement_Phase__c', 'Line_Item_Key__c', values), work] as const)
    );
    demands.push(
      ...demandPlan.demands.map((values) => [upsert('Resource_Demand__c', 'Demand_Key__c', values), work] as const)
    );
    for (const removal of demandPlan.removals) {
      (removal.object === 'Resource_Demand__c' ? demandRemovals : phaseRemovals).push([
        { kind: 'delete', ...removal },
        work
      ]);
    }
    bookings.push(
      ...work.bookingUpdates.map(({ Id, ...values }): Row => [
        { kind: 'update', object: 'Assignment__c', id: String(Id), values },
        work
      ])
    );
    bookingRemovals.push(
      ...work.bookingRemovals.map((id): Row => [{ kind: 'delete', object: 'Assignment__c', id }, work])
    );
    milestones.push(
      ...work.milestoneUpdates.map(({ Id, ...values }): Row => [
        { kind: 'update', object: 'Billing_Milestone__c', id: String(Id), values },
        work
      ])
    );
  }
  dml(phases, 'its phases could not be saved');
  dml(demands, 'its demand could not be saved');
  // Bookings, then milestones: one update call of at most 2 type chunks.
  dml([...bookings, ...milestones], 'its bookings or billing milestones could not be updated');
  dml(
    [...demandRemovals, ...phaseRemovals, ...bookingRemovals],
    'removed line items or released bookings could not be cleared'
  );

  // Audits (with a row for each notice the delivery lead could not get) and the checklist of a first activation.
  for (const work of works.filter((work) => synced(work) && work.audits.length)) {
    const undelivered = notify(context, work);
    if (undelivered) {
      const reason = `Not delivered: ${undelivered}`.slice(0, 255);
      work.audits.push({
        Field__c: 'Delivery lead notification',
        New_Value__c: reason,
        Changed_By__c: userId,
        Changed_At__c: now
      });
    }
  }
  const audits = works
    .filter(synced)
    .flatMap((work) =>
      work.audits.map(
        (audit) => [insert('Engagement_Change__c', { ...audit, Engagement__c: work.engagementId }), work] as const
      )
    );
  const activations = works.filter((work) => synced(work) && work.next === 'Active' && !work.stored?.Entered_Active__c);
  // The rep's answers given on the deal before the close come with the checklist (one query, only on a handoff).
  const answers = new Map<string, Map<string, unknown>>();
  if (activations.length && rules.questions.length && store.schema.object('Deal_Handoff_Answer__c')) {
    for (const row of store.query(
      `SELECT Opportunity__c, Question_Key__c, Answer__c FROM Deal_Handoff_Answer__c WHERE Opportunity__c IN (${inList(activations.map((work) => work.deal.Id))})`
    )) {
      const dealId = String(row.Opportunity__c);
      answers.set(dealId, (answers.get(dealId) ?? new Map()).set(String(row.Question_Key__c), row.Answer__c));
    }
  }
  const checklist = activations.flatMap((work) =>
    rules.questions.map((question) => {
      const values = {
        Engagement__c: work.engagementId,
        Item_Key__c: `${work.engagementId}:${question.developerName}`,
        Name: question.question.slice(0, 80),
        Question__c: question.question,
        Sort_Order__c: question.sortOrder,
        Answer__c: answers.get(work.deal.Id)?.get(question.developerName) ?? null,
        Done__c: false
      };
      return [insert('Handoff_Checklist_Item__c', values), work] as const;
    })
  );
  // Billing milestones of a first activation, after the checklist: one insert call of at most 3 type chunks.
  const plannedMilestones = activations.flatMap((work) =>
    milestonesFor(context, work).map((values) => [insert('Billing_Milestone__c', values), work] as const)
  );
  dml([...audits, ...checklist, ...plannedMilestones], 'its audit, checklist or billing milestones could not be saved');

  // Lifecycle events: status first, then value and date changes, then demand; each type once per deal change.
  const events = works.filter(synced).flatMap((work) => {
    const changes = Object.entries(work.changes).map(([field, change]) => [
      field,
      { old: apexJson(change.old), new: apexJson(change.new) }
    ]);
    return work.eventTypes.map((eventType) => {
      const values: SObject = {
        Event_Type__c: eventType,
        Opportunity_Id__c: work.deal.Id,
        Engagement_Id__c: work.engagementId,
        Status__c: work.next,
        Changes__c: JSON.stringify(Object.fromEntries(changes)),
        Occurred_At__c: now
      };
      return [insert('Handoff_Lifecycle_Event__e', values), work] as const;
    });
  });
  if (events.length > 0 && !recordInOutbox(store, events, now, fail)) return errors;
  dml(events, 'its lifecycle event could not be published');
  return errors;
}

/** Version of the Engagement Lifecycle outbox payload (EngagementSync.LIFECYCLE_PAYLOAD_VERSION). */
export const LIFECYCLE_PAYLOAD_VERSION = 1;
/** Attempts an outbox message gets (IntegrationOutbox.DEFAULT_MAX_ATTEMPTS). */
export const OUTBOX_MAX_ATTEMPTS = 8;

/**
 * Records each event in the integration outbox under the key it carries (EngagementSync.recordInOutbox through
 * IntegrationOutbox.enqueue: one insert, allOrNone false, system mode). When the outbox refuses a message, every deal
 * with an event fails and nothing is published. A project without the outbox object publishes as before.
 */
function recordInOutbox(
  store: Store,
  events: Row[],
  now: string,
  fail: (work: Work, what: string, failures: RecordError[]) => void
): boolean {
  if (!store.schema.object('Integration_Message__c')) return true;
  const keyed = Boolean(store.schema.field('Handoff_Lifecycle_Event__e', 'Idempotency_Key__c'));
  const messages = events.map(([operation]) => {
    const event = (operation as { values: SObject }).values;
    const key = `lifecycle:${String(event.Engagement_Id__c)}:${String(event.Event_Type__c)}:${randomUUID()}`;
    if (keyed) event.Idempotency_Key__c = key;
    const payload = {
      eventType: event.Event_Type__c,
      opportunityId: event.Opportunity_Id__c,
      engagementId: event.Engagement_Id__c,
      status: event.Status__c,
      changes: JSON.parse(String(event.Changes__c)) as unknown,
      occurredAt: event.Occurred_At__c
    };
    const values: SObject = {
      Idempotency_Key__c: key,
      Topic__c: 'Engagement Lifecycle',
      Payload_Version__c: LIFECYCLE_PAYLOAD_VERSION,
      Payload__c: JSON.stringify(payload),
      Status__c: 'Pending',
      Attempts__c: 0,
      Max_Attempts__c: OUTBOX_MAX_ATTEMPTS,
      Next_Attempt_At__c: now,
      Engagement__c: event.Engagement_Id__c,
      Source_Record_Id__c: event.Opportunity_Id__c
    };
    return { kind: 'insert', object: 'Integration_Message__c', values } as WriteOperation;
  });
  const results = store.write(messages, { system: true });
  const failures = results.flatMap((result, index) =>
    result.success
      ? []
      : result.errors.map(
          (error) =>
            `Integration_Message__c "${String((messages[index] as { values: SObject }).values.Idempotency_Key__c)}": ${error.message}`
        )
  );
  if (failures.length === 0) return true;
  const failure = { message: failures.join('; '), fields: [] as string[] } as unknown as RecordError;
  for (const work of new Set(events.map(([, work]) => work))) {
    fail(work, 'its lifecycle event could not be recorded in the outbox', [failure]);
  }
  return false;
}

/** The engagement's next state; undefined when the deal should have no engagement (EngagementSync.plan). */
function plan(
  context: EngineContext,
  deal: Work['deal'],
  engagements: Map<string, SObject>,
  now: string,
  userId: string
): Work | undefined {
  const stored = engagements.get(deal.Id);
  const deleted = deal.IsDeleted === true;
  const previous = (stored?.Status__c as string | null | undefined) ?? null;
  const rule = typeof deal.StageName === 'string' ? context.rules.stageRules.get(deal.StageName) : undefined;
  const next = nextStatus(previous, rule, deleted);
  if (next === null) return undefined;
  const work: Work = {
    deal,
    stored,
    previous,
    next,
    engagementId: stored?.Id as string | undefined,
    audits: [],
    bookingUpdates: [],
    bookingRemovals: [],
    milestoneUpdates: [],
    phases: [],
    eventTypes: [],
    changes: {}
  };
  const wanted: SObject = { Opportunity_Key__c: deal.Id, Status__c: next };
  let changed = !stored || next !== previous;
  if (!deleted && stored?.Opportunity__c !== deal.Id) {
    wanted.Opportunity__c = deal.Id;
    changed = true;
  }
  const billable = billableFor(rule, next, stored?.Billable__c as boolean | undefined);
  if (!stored || stored.Billable__c !== billable) {
    wanted.Billable__c = billable;
    changed = true;
  }
  // Status events first, then value and date changes (applyMappings), then demand (after the plan).
  for (const statusEvent of eventsFor(previous, next)) {
    addEvent(work, statusEvent);
    work.changes.Status__c = { old: previous, new: next };
  }
  if (!deleted) changed = applyMappings(context, work, wanted, now, userId) || changed;
  if (next !== previous) {
    // When the engagement entered Pipeline, Active and Lost.
    if (next === 'Pipeline' && !stored?.Entered_Pipeline__c) wanted.Entered_Pipeline__c = now;
    else if (next === 'Active' && !stored?.Entered_Active__c) wanted.Entered_Active__c = now;
    else if (next === 'Lost') wanted.Entered_Lost__c = now;
    changed = true;
  }
  auditKeptStatus(work, rule, now, userId);
  planBookings(work, rule, now, userId);
  work.wanted = changed ? wanted : undefined;
  return work;
}

const auditRow = (field: string, old: unknown, value: unknown, now: string, userId: string): SObject => ({
  Field__c: field,
  Old_Value__c: apexText(old)?.slice(0, 255) ?? null,
  New_Value__c: apexText(value)?.slice(0, 255) ?? null,
  Changed_By__c: userId,
  Changed_At__c: now
});

/**
 * A stage that would have moved a delivery-owned engagement (or the deal's deletion) is audited and announced
 * instead, once per stage: the last such audit row says which stage was already reported (EngagementSync).
 */
function auditKeptStatus(work: Work, rule: StageRule | undefined, now: string, userId: string): void {
  if (!work.stored || !DELIVERY_OWNED.includes(work.previous ?? '')) return;
  const deleted = work.deal.IsDeleted === true;
  const stage = deleted ? 'Deleted' : (work.deal.StageName as string | null);
  const lastReported = (lastAudit(work.stored, STAGE_AUDIT)?.New_Value__c as string | null | undefined) ?? null;
  const wouldMove = deleted || (rule !== undefined && rule.status !== 'Active');
  if ((lastReported === null && !wouldMove) || lastReported === stage) return;
  work.audits.push(auditRow(STAGE_AUDIT, work.previous, stage, now, userId));
}

/** The newest audit row queried with the engagement (stage audits and conflicts, newest first) for a field. */
function lastAudit(stored: SObject, field: string, changeType?: string): SObject | undefined {
  return children(stored.Changes__r).find(
    (change) => change.Field__c === field && (changeType === undefined || change.Change_Type__c === changeType)
  );
}

/** The engagement's phases after the plan is saved, in line item order. */
function phasesAfter(stored: SObject[], planned: SObject[], items: LineItem[]): SObject[] {
  const byKey = new Map<unknown, SObject>(stored.map((phase) => [phase.Line_Item_Key__c, phase]));
  for (const phase of planned) byKey.set(phase.Line_Item_Key__c, phase);
  return items.flatMap((item): SObject[] => {
    const phase = byKey.get(item.Id);
    return phase ? [phase] : [];
  });
}

/** The engagement's value of a field after this sync: what the sync writes, else what is stored. */
function valueAfter(work: Work, field: string): unknown {
  return work.wanted && field in work.wanted ? work.wanted[field] : (work.stored?.[field] ?? null);
}

/** Billing milestones of a billable engagement that has none yet, from the rule of its billing type. */
function milestonesFor(context: EngineContext, work: Work): SObject[] {
  if (valueAfter(work, 'Billable__c') !== true || children(work.stored?.Milestones__r).length > 0) return [];
  const billingType = valueAfter(work, 'Billing_Type__c');
  return planMilestones(typeof billingType === 'string' ? context.rules.billingRules.get(billingType) : undefined, {
    opportunityKey: work.deal.Id,
    engagementId: work.engagementId!,
    contractValue: valueAfter(work, CONTRACT_VALUE),
    expectedStart: valueAfter(work, 'Expected_Start__c'),
    expectedEnd: valueAfter(work, 'Expected_End__c'),
    phases: work.phases
  });
}

/** Bookings follow the deal: released or flagged when it is lost, confirmed when the stage rule says so. */
function planBookings(work: Work, rule: StageRule | undefined, now: string, userId: string): void {
  const bookings = children(work.stored?.Assignments__r);
  if (bookings.length === 0 || work.next === work.previous) return;
  if (work.next === 'Lost') {
    for (const booking of bookings) {
      if (booking.Booking_Type__c === 'Hard') {
        if (booking.Needs_Review__c === true) continue;
        work.bookingUpdates.push({ Id: booking.Id, Needs_Review__c: true });
        work.audits.push(
          auditRow('Assignment__c', `${String(booking.Name)} (Hard)`, 'Needs review: the deal was lost', now, userId)
        );
      } else {
        work.bookingRemovals.push(String(booking.Id));
        work.audits.push(
          auditRow('Assignment__c', `${String(booking.Name)} (Soft)`, 'Released: the deal was lost', now, userId)
        );
      }
    }
  } else if (work.next === 'Active' && rule?.status === 'Active' && rule.confirmSoftBookings) {
    for (const booking of bookings.filter((candidate) => candidate.Booking_Type__c === 'Soft')) {
      work.bookingUpdates.push({ Id: booking.Id, Booking_Type__c: 'Hard' });
    }
  }
}

/**
 * Copies mapped deal fields; after the handoff each change is audited and announced. After the handoff a
 * delivery-owned field is never overwritten: a deal value that differs from it is recorded once as a Conflict row
 * instead. A contract value change after the handoff re-plans the unbilled billing milestones.
 */
function applyMappings(context: EngineContext, work: Work, wanted: SObject, now: string, userId: string): boolean {
  let changed = false;
  const audited = work.stored !== undefined && HANDED_OFF.includes(work.previous ?? '');
  for (const mapping of context.rules.mappings) {
    const raw = work.deal[mapping.sourceField] ?? null;
    const value = typeof raw === 'string' && mapping.targetLength ? raw.slice(0, mapping.targetLength) : raw;
    const old = work.stored?.[mapping.targetField] ?? null;
    if (work.stored && sameValue(context.store.schema, 'Engagement__c', mapping.targetField, old, value)) continue;
    if (audited && mapping.owner === 'Delivery') {
      const reported = lastAudit(work.stored!, mapping.targetField, CONFLICT);
      const dealValue = apexText(value)?.slice(0, 255) ?? null;
      if (!reported || (reported.New_Value__c ?? null) !== dealValue) {
        work.audits.push({ ...auditRow(mapping.targetField, old, value, now, userId), Change_Type__c: CONFLICT });
      }
      continue;
    }
    wanted[mapping.targetField] = value;
    changed = true;
    if (!audited) continue;
    work.audits.push(auditRow(mapping.targetField, old, value, now, userId));
    work.changes[mapping.targetField] = { old, new: value };
    if (mapping.targetField === CONTRACT_VALUE) {
      const adjustment = adjustMilestones(children(work.stored?.Milestones__r), value);
      work.milestoneUpdates.push(...adjustment.updates);
      for (const [before, after] of adjustment.audits) {
        work.audits.push({ ...auditRow(BILLING_AUDIT, before, after, now, userId), Change_Type__c: BILLING_CHANGE });
      }
    }
    addEvent(work, mapping.isDate ? 'DatesChanged' : 'ValueChanged');
  }
  return changed;
}

function addEvent(work: Work, eventType: EventType): void {
  if (!work.eventTypes.includes(eventType)) work.eventTypes.push(eventType);
}

/** Sends the delivery lead a notice of the audited changes; returns why it could not be delivered (EngagementNotifier). */
function notify(context: EngineContext, work: Work): string | undefined {
  if (!context.notificationType) return 'custom notification type Handoff_Engagement_Changed is not deployed';
  const recipient = work.wanted?.Delivery_Lead__c ?? work.stored?.Delivery_Lead__c;
  if (typeof recipient !== 'string' || !recipient) return 'the engagement has no delivery lead';
  const notice: Notice = {
    engagementId: work.engagementId!,
    recipientId: recipient,
    title: `Deal changed after handoff: ${String(work.deal.Name)}`.slice(0, 250),
    body: work.audits
      .map((audit) => `${String(audit.Field__c)}: ${String(audit.Old_Value__c)} -> ${String(audit.New_Value__c)}`)
      .join('\n')
      .slice(0, 750)
  };
  context.store.db.afterCommit(() => context.deliver(notice));
  return undefined;
}

function lineItem(row: SObject): LineItem {
  const entry = row.PricebookEntry as SObject | null;
  const product = (row.Product2 ?? entry?.Product2 ?? null) as SObject | null;
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  const number = (value: unknown) => (typeof value === 'number' ? value : null);
  return {
    Id: String(row.Id),
    OpportunityId: String(row.OpportunityId),
    Product2Id: text(row.Product2Id) ?? text(entry?.Product2Id),
    ProductName: text(product?.Name),
    ProductCode: text(product?.ProductCode),
    Family: text(product?.Family),
    Quantity: number(row.Quantity),
    UnitPrice: number(row.UnitPrice),
    TotalPrice: number(row.TotalPrice),
    ServiceDate: text(row.ServiceDate)
  };
}
