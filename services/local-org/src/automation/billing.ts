import { RecordError } from '../errors';
import type { BeforeSaveRecord, TriggerEvent } from '../store/hooks';
import type { Store } from '../store/store';
import type { BillingRule } from './rules';
import { addDays, type SObject } from './values';

/**
 * Billing milestones (BillingPlanner.cls and BillingMilestones.cls): planned at Closed Won from the billing rule of the
 * engagement's billing type, re-planned when the contract value changes after the handoff (billed ones never change),
 * and checked against the ERP write-back contract before they are saved. Amounts are whole cents split with integer
 * arithmetic (BigInt), the remainder to the last milestone, exactly as the Apex splits them with Decimal.
 */
export const PLANNED = 'Planned';
export const COMPLETE = 'Complete';
const BILLED = ['Complete', 'Invoiced', 'Paid'];
export const BILLING_AUDIT = 'Billing_Milestone__c';
export const BILLING_CHANGE = 'Billing';
/** The Billing Ready outbox message (BillingMilestones.message). */
export const BILLING_TOPIC = 'Billing Ready';
export const BILLING_PAYLOAD_VERSION = 1;
export const BILLING_KEY_PREFIX = 'billing-ready:';
/** The ERP integration's custom permission, lower-cased as the store keeps permissions. */
const ERP_WRITEBACK = 'handoff_erp_writeback';

export interface Terms {
  opportunityKey: string;
  engagementId: string;
  contractValue: unknown;
  expectedStart: unknown;
  expectedEnd: unknown;
  /** Phases in line item order (per-phase schedules). */
  phases: SObject[];
}

/** An amount in whole cents (half-up, as a Currency field of scale 2 stores it). */
export const cents = (amount: unknown): bigint => (typeof amount === 'number' ? BigInt(Math.round(amount * 100)) : 0n);

/** Cents as Apex writes a Decimal of scale 2 (`1200.50`). */
export function money(value: bigint): string {
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

const amountOf = (value: bigint): number => Number(money(value));

/** Whole cents split by weights: each share rounded down, the remainder to the last one. */
export function split(total: bigint, weights: bigint[]): bigint[] {
  const sum = weights.reduce((a, b) => a + b, 0n);
  let given = 0n;
  return weights.map((weight, index) => {
    const share = index === weights.length - 1 ? total - given : sum > 0n ? (total * weight) / sum : 0n;
    given += share;
    return share;
  });
}

const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
const pad2 = (value: number) => String(value).padStart(2, '0');

/** The milestones a newly won engagement gets (BillingPlanner.plan); none without a positive contract value. */
export function planMilestones(rule: BillingRule | undefined, terms: Terms): SObject[] {
  const value = terms.contractValue;
  if (!rule || typeof value !== 'number' || value <= 0 || typeof terms.expectedStart !== 'string') return [];
  const start = terms.expectedStart;
  const end = typeof terms.expectedEnd === 'string' && terms.expectedEnd >= start ? terms.expectedEnd : start;
  const parts: { name: string; date: string; weight: bigint; phase?: SObject }[] = [];
  if (rule.schedule === 'Per Phase') {
    for (const phase of terms.phases) {
      parts.push({
        name: `Phase: ${String(phase.Name ?? null)}`,
        date: typeof phase.End_Date__c === 'string' ? phase.End_Date__c : end,
        weight: cents(phase.Total_Price__c),
        phase
      });
    }
    if (parts.length === 0) parts.push({ name: 'Contract value', date: end, weight: 1n });
  } else if (rule.schedule === 'Split') {
    const span = daysBetween(start, end);
    rule.splitPercents.forEach((percent, index) => {
      const i = index + 1;
      const n = rule.splitPercents.length;
      parts.push({
        name: `Part ${i} of ${n} (${String(percent)}%)`,
        date: addDays(start, Math.trunc((span * i) / n)),
        weight: BigInt(Math.round(percent * 100))
      });
    });
  } else {
    let [year, month] = start.split('-').map(Number) as [number, number];
    const last = end.slice(0, 7);
    while (`${year}-${pad2(month)}` <= last) {
      const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
      parts.push({ name: `Month ${year}-${pad2(month)}`, date: `${year}-${pad2(month)}-${pad2(days)}`, weight: 1n });
      [year, month] = month === 12 ? [year + 1, 1] : [year, month + 1];
    }
  }
  const amounts = split(
    cents(value),
    parts.map((part) => part.weight)
  );
  return parts.map((part, index) => ({
    Engagement__c: terms.engagementId,
    Milestone_Key__c: `${terms.opportunityKey}:${pad2(index + 1)}`,
    Name: part.name.slice(0, 80),
    Amount__c: amountOf(amounts[index]!),
    Planned_Date__c: part.date,
    Status__c: PLANNED,
    ...(part.phase ? { Phase__r: { Line_Item_Key__c: part.phase.Line_Item_Key__c } } : {})
  }));
}

/**
 * A contract value change applied to the planned milestones (BillingPlanner.adjust): billed ones keep their amounts,
 * planned ones share what is left in proportion to their amounts (evenly when all are zero); with nothing planned any
 * more the change is recorded as not applied. Audits are [old, new] descriptions.
 */
export function adjustMilestones(
  stored: SObject[],
  contractValue: unknown
): { updates: SObject[]; audits: [string | null, string][] } {
  const result = { updates: [] as SObject[], audits: [] as [string | null, string][] };
  if (stored.length === 0) return result;
  const sorted = [...stored].sort((a, b) => (String(a.Milestone_Key__c) < String(b.Milestone_Key__c) ? -1 : 1));
  let billed = 0n;
  const planned = sorted.filter((milestone) => milestone.Status__c === PLANNED);
  for (const milestone of sorted) {
    if (BILLED.includes(String(milestone.Status__c))) billed += cents(milestone.Amount__c);
  }
  const target = cents(contractValue);
  const remaining = target - billed > 0n ? target - billed : 0n;
  if (planned.length === 0) {
    result.audits.push([
      null,
      `Not applied: no planned milestone left; contract value ${money(target)}, billed ${money(billed)}`
    ]);
    return result;
  }
  let weights = planned.map((milestone) => cents(milestone.Amount__c));
  if (!weights.some((weight) => weight > 0n)) weights = weights.map(() => 1n);
  const amounts = split(remaining, weights);
  planned.forEach((milestone, index) => {
    const amount = amounts[index]!;
    const before = cents(milestone.Amount__c);
    if (amount === before) return;
    result.updates.push({ Id: milestone.Id, Amount__c: amountOf(amount) });
    const key = String(milestone.Milestone_Key__c);
    result.audits.push([`${key} ${money(before)}`, `${key} ${money(amount)}`]);
  });
  return result;
}

/**
 * The ERP write-back contract, checked before a milestone is saved (BillingMilestones.validate): an upsert whose key
 * matches no milestone (any insert by the ERP, or one without an engagement), a payment without an invoice, Paid without a paid date, Invoiced or Paid without an invoice
 * number; each error names the milestone and the field.
 */
export function checkMilestone(record: BeforeSaveRecord): RecordError | undefined {
  const values = record.values;
  const name = `Billing_Milestone__c ${typeof values.Milestone_Key__c === 'string' ? values.Milestone_Key__c : '(no key)'}`;
  const error = (field: string, message: string) =>
    new RecordError('FIELD_CUSTOM_VALIDATION_EXCEPTION', `${name}: ${message}`, [field]);
  if (record.operation === 'insert' && (!values.Engagement__c || record.permissions.has(ERP_WRITEBACK))) {
    return error(
      'Milestone_Key__c',
      'Milestone_Key__c matches no billing milestone; the ERP updates the milestones Handoff planned and never creates them'
    );
  }
  const invoiced = typeof values.Invoice_Number__c === 'string' && values.Invoice_Number__c.trim() !== '';
  if (values.Paid_Date__c && !invoiced) {
    return error('Paid_Date__c', 'Paid_Date__c needs Invoice_Number__c; write back the invoice before its payment');
  }
  if (values.Status__c === 'Paid' && !values.Paid_Date__c) {
    return error('Status__c', 'Status__c Paid needs Paid_Date__c');
  }
  if ((values.Status__c === 'Invoiced' || values.Status__c === 'Paid') && !invoiced) {
    return error('Status__c', `Status__c ${String(values.Status__c)} needs Invoice_Number__c`);
  }
  return undefined;
}

/** The Billing Ready payload (version 1) of a completed milestone (BillingMilestones.message). */
export function billingReadyPayload(milestone: SObject, engagement: SObject | undefined): Record<string, unknown> {
  return {
    milestoneKey: milestone.Milestone_Key__c ?? null,
    milestoneId: milestone.Id ?? null,
    name: milestone.Name ?? null,
    engagementId: milestone.Engagement__c ?? null,
    opportunityId: engagement?.Opportunity_Key__c ?? null,
    accountId: engagement?.Account__c ?? null,
    billingType: engagement?.Billing_Type__c ?? null,
    amount: milestone.Amount__c ?? null,
    plannedDate: milestone.Planned_Date__c ?? null,
    completedOn: milestone.Completed_On__c ?? null
  };
}

/**
 * After update of milestones: one Billing Ready outbox message per milestone that became Complete (BillingMilestones
 * .announce through IntegrationOutbox.enqueue), in the same transaction; a key already in the outbox is not a second
 * message. A message that cannot be written fails the milestone, as an exception in the Apex trigger would.
 */
export function billingReadyMessages(store: Store, event: TriggerEvent): void {
  const completed = event.records.filter(
    (record) => record.new?.Status__c === COMPLETE && record.old?.Status__c !== COMPLETE
  );
  if (completed.length === 0 || !store.schema.object('Integration_Message__c')) return;
  const quote = (value: unknown) => `'${String(value).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const engagementIds = [...new Set(completed.map((record) => record.new!.Engagement__c))];
  const engagements = new Map(
    store
      .query(
        `SELECT Id, Opportunity_Key__c, Account__c, Billing_Type__c FROM Engagement__c WHERE Id IN (${engagementIds.map(quote).join(', ')})`
      )
      .map((engagement) => [engagement.Id, engagement])
  );
  const messages = completed.map((record) => {
    const milestone: SObject = { ...record.new!, Id: record.id };
    return {
      record,
      values: outboxMessage(
        {
          topic: BILLING_TOPIC,
          idempotencyKey: `${BILLING_KEY_PREFIX}${String(milestone.Milestone_Key__c)}`,
          payloadVersion: BILLING_PAYLOAD_VERSION,
          payload: billingReadyPayload(milestone, engagements.get(milestone.Engagement__c)),
          engagementId: String(milestone.Engagement__c),
          sourceRecordId: record.id
        },
        store.now().toISOString()
      )
    };
  });
  const existing = new Set(
    store
      .query(
        `SELECT Idempotency_Key__c FROM Integration_Message__c WHERE Idempotency_Key__c IN (${messages.map((message) => quote(message.values.Idempotency_Key__c)).join(', ')})`
      )
      .map((row) => row.Idempotency_Key__c)
  );
  const fresh = messages.filter((message) => !existing.has(message.values.Idempotency_Key__c));
  const results = store.write(
    fresh.map((message) => ({ kind: 'insert' as const, object: 'Integration_Message__c', values: message.values })),
    { system: true }
  );
  results.forEach((result, index) => {
    if (!result.success) {
      const message = result.errors.map((error) => error.message).join('; ');
      event.addError(
        fresh[index]!.record.id,
        new RecordError(
          'FIELD_CUSTOM_VALIDATION_EXCEPTION',
          `Handoff: its Billing Ready message could not be queued: ${message}`
        )
      );
    }
  });
}

/** IntegrationOutbox.Message as the Integration_Message__c record enqueue writes. */
export interface OutboxMessage {
  topic: string;
  idempotencyKey: string;
  payloadVersion: number;
  payload: Record<string, unknown>;
  engagementId: string;
  sourceRecordId: string;
}

export function outboxMessage(message: OutboxMessage, now: string): SObject {
  return {
    Idempotency_Key__c: message.idempotencyKey,
    Topic__c: message.topic,
    Payload_Version__c: message.payloadVersion,
    Payload__c: JSON.stringify(message.payload),
    Status__c: 'Pending',
    Attempts__c: 0,
    Max_Attempts__c: 8,
    Next_Attempt_At__c: now,
    Engagement__c: message.engagementId,
    Source_Record_Id__c: message.sourceRecordId
  };
}
