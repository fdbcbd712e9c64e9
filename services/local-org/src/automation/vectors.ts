import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Store } from '../store/store';
import type { RuleRecords } from './rules';
import type { SObject } from './values';

/**
 * Runs the shared lifecycle vectors (force-app/main/lifecycle/staticresources/HandoffLifecycleVectors.json) against a
 * local org and compares what is stored the way HandoffLifecycleVectorsTest.cls does: engagements, phases, demand and
 * (when pinned) bookings must match in number; pinned fields compare by value (numbers numerically, dates as
 * YYYY-MM-DD, '$currentUser' as the org's admin user, '$ref:name' as the Id of the record a step made); events in
 * order; audits without 'Delivery lead notification' rows; the checklist count.
 * Steps besides deal and line item writes: insertAccount and insertResource (ref, fields); insertAssignment (ref,
 * opportunity: the deal whose engagement it books, resource, fields); updateEngagement (opportunity, fields: what
 * delivery sets by hand, e.g. Status__c On Hold); updateDemand (lineItem, template, fields); insertHandoffAnswer
 * (ref, opportunity, fields: Question_Key__c and Answer__c, a rep's answer given on the deal); updateMilestone
 * (opportunity, milestone: the number after the deal's Id in Milestone_Key__c, fields: what delivery sets);
 * erpWriteback (opportunity, milestone or key, fields: an upsert on Milestone_Key__c as the ERP integration, holding
 * Handoff_ERP_Writeback). A step with `error` must fail with a message containing it (and `errorField` among its
 * fields). Strings may hold `{ref:name}`, replaced by the Id of the record a step made. 'milestones' lists every
 * billing milestone of the case's engagements; 'billingMessages' every Billing Ready outbox message.
 */
export const VECTORS_FILE = path.resolve(
  __dirname,
  '../../../../force-app/main/lifecycle/staticresources/HandoffLifecycleVectors.json'
);

export interface VectorStep {
  op: string;
  ref?: string;
  opportunity?: string;
  product?: string;
  resource?: string;
  lineItem?: string;
  template?: string;
  fields?: SObject;
  expect?: Expectation;
  milestone?: string;
  key?: string;
  /** The step must be refused with an error containing this text (and change nothing). */
  error?: string;
  errorField?: string;
}

export interface Expectation {
  engagements: SObject[];
  phases?: SObject[];
  demands: SObject[];
  events?: string[];
  audits?: SObject[];
  checklistItems?: number;
  /** Answers on the deals' engagement checklists, by question DeveloperName (null: asked, not answered). */
  checklistAnswers?: Record<string, string | null>;
  /** Every booking of the deals' engagements, by 'assignment' ref (deleted ones are absent). */
  assignments?: SObject[];
  /** Every billing milestone of the deals' engagements, by 'opportunity' and 'milestone' (the key's number). */
  milestones?: SObject[];
  /** Every Billing Ready outbox message of the case, by 'opportunity' and 'milestone'; 'payload' pins payload fields. */
  billingMessages?: SObject[];
}

export interface VectorCase {
  name: string;
  steps: VectorStep[];
  expect: Expectation;
}

export interface VectorDocument {
  rules: RuleRecords;
  products: SObject[];
  cases: VectorCase[];
}

export const readVectors = (file = VECTORS_FILE): VectorDocument =>
  JSON.parse(fs.readFileSync(file, 'utf8')) as VectorDocument;

/** How the runner writes and reads: in-process through the store, or over HTTP through jsforce. */
export interface VectorDriver {
  insert(object: string, values: SObject): Promise<string>;
  update(object: string, id: string, values: SObject): Promise<void>;
  delete(object: string, id: string): Promise<void>;
  undelete(object: string, id: string): Promise<void>;
  query(soql: string): Promise<SObject[]>;
  /** Upsert on an external id field (PATCH /sobjects/X/Field/value). */
  upsert(object: string, externalIdField: string, key: string, values: SObject): Promise<void>;
}

export interface VectorOrg {
  driver: VectorDriver;
  /** The org's store: the standard price book (a platform record) and the published events are read from it. */
  store: Store;
  userId: string;
}

/** A driver over the store API (each call is one DML statement, its failures thrown). */
export function storeDriver(store: Store): VectorDriver {
  const write = async (operation: Parameters<Store['write']>[0][number]) => {
    const [result] = store.write([operation]);
    if (!result?.success)
      throw new Error(
        result?.errors.map((error) => `${error.statusCode}: ${error.message} [${error.fields.join(', ')}]`).join('; ')
      );
    return result.id!;
  };
  return {
    insert: (object, values) => write({ kind: 'insert', object, values }),
    update: async (object, id, values) => void (await write({ kind: 'update', object, id, values })),
    delete: async (object, id) => void (await write({ kind: 'delete', object, id })),
    undelete: async (object, id) => void (await write({ kind: 'undelete', object, id })),
    query: async (soql) => store.query(soql),
    upsert: async (object, externalIdField, key, values) =>
      void (await write({ kind: 'upsert', object, externalIdField, values: { ...values, [externalIdField]: key } }))
  };
}

const NOTIFICATION_AUDIT = 'Delivery lead notification';
const REFERENCE_KEYS = new Set(['opportunity', 'lineItem', 'template', 'assignment', 'milestone', 'payload']);
/** The custom permission of the ERP integration (permission set Handoff_ERP_Integration). */
export const ERP_PERMISSION = 'Handoff_ERP_Writeback';
const INLINE_REF = /\{ref:([^}]+)\}/g;
/** `{ref:name}` in a string: the Id of the record a step made. */
const inlineRefs = (value: string, ids: Map<string, string>) =>
  value.replace(INLINE_REF, (_match, ref: string) => ids.get(ref) ?? `{ref:${ref}}`);
const REF_PREFIX = '$ref:';

/** Runs one case in a fresh org (rules already injected); returns the mismatches, empty when the case passes. */
export async function runVectorCase(org: VectorOrg, document: VectorDocument, vector: VectorCase): Promise<string[]> {
  const ids = new Map<string, string>();
  const mismatches: string[] = [];
  const { driver } = org;
  const [standardBook] = org.store.seed(
    'Pricebook2',
    [{ Name: 'Standard Price Book', IsActive: true, IsStandard: true }],
    {
      system: true
    }
  );
  for (const spec of document.products) {
    const product = await driver.insert('Product2', {
      Name: spec.Name,
      ProductCode: spec.ProductCode,
      Family: spec.Family,
      IsActive: true
    });
    const entry = await driver.insert('PricebookEntry', {
      Pricebook2Id: standardBook,
      Product2Id: product,
      UnitPrice: spec.UnitPrice,
      IsActive: true
    });
    ids.set(`product:${String(spec.ref)}`, entry);
  }
  const fill = (fields: SObject = {}) =>
    Object.fromEntries(
      Object.entries(fields).map(([key, value]) => [
        key,
        value === '$currentUser'
          ? org.userId
          : typeof value === 'string' && value.startsWith(REF_PREFIX)
            ? ids.get(value.slice(REF_PREFIX.length))
            : typeof value === 'string'
              ? inlineRefs(value, ids)
              : value
      ])
    );
  const milestoneKey = (step: VectorStep) =>
    step.key !== undefined ? inlineRefs(step.key, ids) : `${ids.get(step.opportunity!) ?? ''}:${step.milestone!}`;
  /** A step that must fail does, with the message and field it names; one that must not fail does not. */
  const attempt = async (step: VectorStep, write: () => Promise<void>) => {
    if (step.error === undefined) return write();
    try {
      await write();
      mismatches.push(`${vector.name}: ${step.op} expected to fail with "${step.error}" but it succeeded`);
    } catch (error) {
      const text = String((error as Error).message);
      if (!text.includes(step.error) || (step.errorField && !text.includes(step.errorField))) {
        mismatches.push(
          `${vector.name}: ${step.op} expected "${step.error}" (${step.errorField ?? ''}) but got ${text}`
        );
      }
    }
  };
  const engagementOf = async (dealRef: string) => {
    const [engagement] = await driver.query(
      `SELECT Id FROM Engagement__c WHERE Opportunity_Key__c = '${ids.get(dealRef) ?? ''}'`
    );
    if (!engagement) throw new Error(`${vector.name}: ${dealRef} has no engagement`);
    return String(engagement.Id);
  };

  // Steps that check their own error as they write (the milestone edits and ERP write-backs).
  const checksOwnError = new Set(['updateMilestone', 'erpWriteback']);
  for (const step of vector.steps) {
    if (step.error === undefined || checksOwnError.has(step.op)) {
      await applyStep(step);
      continue;
    }
    const refused = await applyStep(step).then(
      () => undefined,
      (error: unknown) => (error instanceof Error ? error.message : String(error))
    );
    if (refused === undefined) mismatches.push(`${vector.name}: step ${step.op} ${step.ref ?? ''} was not refused`);
    else if (!refused.includes(step.error)) {
      mismatches.push(`${vector.name}: step ${step.op} refused with "${refused}", expected "${step.error}"`);
    }
  }
  await verify(org, ids, vector.name, vector.expect, true, mismatches);
  return mismatches;

  async function applyStep(step: VectorStep): Promise<void> {
    const id = ids.get(step.ref ?? '') ?? '';
    switch (step.op) {
      case 'insertOpportunity':
        ids.set(step.ref!, await driver.insert('Opportunity', fill(step.fields)));
        break;
      case 'updateOpportunity':
        await driver.update('Opportunity', id, fill(step.fields));
        break;
      case 'deleteOpportunity':
        await driver.delete('Opportunity', id);
        break;
      case 'undeleteOpportunity':
        await driver.undelete('Opportunity', id);
        break;
      case 'insertLineItem': {
        const values = {
          OpportunityId: ids.get(step.opportunity!),
          PricebookEntryId: ids.get(`product:${step.product!}`),
          ...fill(step.fields)
        };
        ids.set(step.ref!, await driver.insert('OpportunityLineItem', values));
        break;
      }
      case 'updateLineItem':
        await driver.update('OpportunityLineItem', id, fill(step.fields));
        break;
      case 'deleteLineItem':
        await driver.delete('OpportunityLineItem', id);
        break;
      case 'insertAccount':
        ids.set(step.ref!, await driver.insert('Account', fill(step.fields)));
        break;
      case 'insertResource':
        ids.set(step.ref!, await driver.insert('Resource__c', fill(step.fields)));
        break;
      case 'insertAssignment': {
        const values = {
          Engagement__c: await engagementOf(step.opportunity!),
          Resource__c: ids.get(step.resource!),
          ...fill(step.fields)
        };
        ids.set(step.ref!, await driver.insert('Assignment__c', values));
        break;
      }
      case 'updateEngagement':
        await driver.update('Engagement__c', await engagementOf(step.opportunity!), fill(step.fields));
        break;
      case 'updateDemand': {
        const key = `${ids.get(step.lineItem!) ?? ''}:${step.template!}`;
        const [demand] = await driver.query(`SELECT Id FROM Resource_Demand__c WHERE Demand_Key__c = '${key}'`);
        await driver.update('Resource_Demand__c', String(demand?.Id), fill(step.fields));
        break;
      }
      case 'insertHandoffAnswer': {
        const dealId = ids.get(step.opportunity!) ?? '';
        const fields = fill(step.fields);
        const values = {
          Opportunity__c: dealId,
          Name: fields.Question_Key__c,
          Answer_Key__c: `${dealId}:${String(fields.Question_Key__c)}`,
          ...fields
        };
        ids.set(step.ref!, await driver.insert('Deal_Handoff_Answer__c', values));
        break;
      }
      case 'updateMilestone': {
        const [milestone] = await driver.query(
          `SELECT Id FROM Billing_Milestone__c WHERE Milestone_Key__c = '${milestoneKey(step)}'`
        );
        await attempt(step, () => driver.update('Billing_Milestone__c', String(milestone?.Id), fill(step.fields)));
        break;
      }
      case 'erpWriteback': {
        const revoke = org.store.grantPermissions([ERP_PERMISSION]);
        try {
          await attempt(step, () =>
            driver.upsert('Billing_Milestone__c', 'Milestone_Key__c', milestoneKey(step), fill(step.fields))
          );
        } finally {
          revoke();
        }
        break;
      }
      case 'assert':
        await verify(org, ids, `${vector.name} (mid-case)`, step.expect!, false, mismatches);
        break;
      default:
        mismatches.push(`unknown vector step "${step.op}"`);
    }
  }
}

async function verify(
  org: VectorOrg,
  ids: Map<string, string>,
  name: string,
  expect: Expectation,
  complete: boolean,
  mismatches: string[]
): Promise<void> {
  const opportunityPrefix = org.store.schema.object('Opportunity')!.keyPrefix;
  const keys = [...ids.values()].filter((id) => id.startsWith(opportunityPrefix));
  const inKeys = keys.length ? keys.map((key) => `'${key}'`).join(', ') : `''`;
  const check = (label: string, condition: boolean) => {
    if (!condition) mismatches.push(`${name}: ${label}`);
  };
  const compareFields = (label: string, actual: SObject | undefined, expected: SObject) => {
    for (const [field, want] of Object.entries(expected)) {
      if (REFERENCE_KEYS.has(field)) continue;
      const got = actual?.[field];
      const same =
        want === '$currentUser'
          ? got === org.userId
          : typeof want === 'string' && want.includes('{ref:')
            ? got === inlineRefs(want, ids)
            : typeof want === 'string' && want.startsWith(REF_PREFIX)
              ? got === ids.get(want.slice(REF_PREFIX.length))
              : typeof want === 'number'
                ? got !== null && got !== undefined && Number(got) === want
                : got === want;
      check(`${label}: ${field} expected ${JSON.stringify(want)} but was ${JSON.stringify(got)}`, same);
    }
  };
  const compareRows = (label: string, rows: SObject[], keyField: string, expectedRows: SObject[], demand: boolean) => {
    check(
      `${label}: number of rows expected ${expectedRows.length} but was ${rows.length}`,
      rows.length === expectedRows.length
    );
    const byKey = new Map(rows.map((row) => [row[keyField], row]));
    for (const expected of expectedRows) {
      const key = `${ids.get(String(expected.lineItem))}${demand ? `:${String(expected.template)}` : ''}`;
      check(`${label}: row ${key} exists`, byKey.has(key));
      compareFields(`${label} ${key}`, byKey.get(key), expected);
    }
  };

  const engagements = await org.driver.query(
    'SELECT Id, Name, Opportunity_Key__c, Opportunity__c, Status__c, Billable__c, Contract_Value__c, Win_Probability__c,' +
      ' Expected_Start__c, Expected_End__c, Delivery_Lead__c, Sales_Rep__c, Account__c, Billing_Type__c, Practice__c,' +
      ' Entered_Pipeline__c, Entered_Active__c, Entered_Lost__c, Invoiced_To_Date__c, Paid_To_Date__c' +
      ` FROM Engagement__c WHERE Opportunity_Key__c IN (${inKeys})`
  );
  check(
    `number of engagements expected ${expect.engagements.length} but was ${engagements.length}`,
    engagements.length === expect.engagements.length
  );
  for (const expected of expect.engagements) {
    const key = ids.get(String(expected.opportunity));
    const engagement = engagements.find((row) => row.Opportunity_Key__c === key);
    check(`engagement for ${String(expected.opportunity)}`, engagement !== undefined);
    compareFields('engagement', engagement, expected);
  }
  if (expect.phases) {
    const phases = await org.driver.query(
      'SELECT Line_Item_Key__c, Name, Quantity__c, Unit_Price__c, Total_Price__c, Hours__c, Start_Date__c, End_Date__c' +
        ` FROM Engagement_Phase__c WHERE Engagement__r.Opportunity_Key__c IN (${inKeys})`
    );
    compareRows('phases', phases, 'Line_Item_Key__c', expect.phases, false);
  }
  const demands = await org.driver.query(
    'SELECT Demand_Key__c, Role__c, Skill__c, Total_Hours__c, Start_Date__c, End_Date__c, Probability__c,' +
      ` Weighted_Hours__c, Status__c FROM Resource_Demand__c WHERE Engagement__r.Opportunity_Key__c IN (${inKeys})`
  );
  compareRows('demands', demands, 'Demand_Key__c', expect.demands, true);
  if (expect.assignments) {
    const bookings = await org.driver.query(
      'SELECT Id, Booking_Type__c, Needs_Review__c, Hours_Per_Week__c, Start_Date__c, End_Date__c FROM Assignment__c' +
        ` WHERE Engagement__r.Opportunity_Key__c IN (${inKeys})`
    );
    check(
      `bookings: number of rows expected ${expect.assignments.length} but was ${bookings.length}`,
      bookings.length === expect.assignments.length
    );
    for (const expected of expect.assignments) {
      const id = ids.get(String(expected.assignment));
      const booking = bookings.find((row) => row.Id === id);
      check(`bookings: ${String(expected.assignment)} exists`, booking !== undefined);
      compareFields(`bookings ${String(expected.assignment)}`, booking, expected);
    }
  }
  if (expect.milestones) {
    const milestones = await org.driver.query(
      'SELECT Milestone_Key__c, Name, Amount__c, Planned_Date__c, Status__c, Completed_On__c, Invoice_Number__c,' +
        ' Invoice_Status__c, Invoiced_Amount__c, Paid_Date__c FROM Billing_Milestone__c' +
        ` WHERE Engagement__r.Opportunity_Key__c IN (${inKeys})`
    );
    check(
      `milestones: number of rows expected ${expect.milestones.length} but was ${milestones.length}`,
      milestones.length === expect.milestones.length
    );
    for (const expected of expect.milestones) {
      const key = `${ids.get(String(expected.opportunity))}:${String(expected.milestone)}`;
      const milestone = milestones.find((row) => row.Milestone_Key__c === key);
      check(`milestones: ${key} exists`, milestone !== undefined);
      compareFields(`milestone ${key}`, milestone, expected);
    }
  }
  if (!complete) return;
  if (expect.billingMessages) {
    const messages = await org.driver.query(
      'SELECT Idempotency_Key__c, Topic__c, Payload_Version__c, Payload__c, Status__c, Engagement__c,' +
        ` Source_Record_Id__c FROM Integration_Message__c WHERE Topic__c = 'Billing Ready'`
    );
    check(
      `billing messages: expected ${expect.billingMessages.length} but were ${messages.length}`,
      messages.length === expect.billingMessages.length
    );
    for (const expected of expect.billingMessages) {
      const key = `billing-ready:${ids.get(String(expected.opportunity))}:${String(expected.milestone)}`;
      const message = messages.find((row) => row.Idempotency_Key__c === key);
      check(`billing messages: ${key} exists`, message !== undefined);
      compareFields(`billing message ${key}`, message, expected);
      const payload = JSON.parse(String(message?.Payload__c ?? '{}')) as SObject;
      compareFields(`billing message ${key} payload`, payload, (expected.payload ?? {}) as SObject);
    }
  }

  const events = org.store.publishedEvents('Handoff_Lifecycle_Event__e').map((event) => event.payload.Event_Type__c);
  check(
    `lifecycle events in order: expected ${JSON.stringify(expect.events)} but were ${JSON.stringify(events)}`,
    JSON.stringify(events) === JSON.stringify(expect.events ?? [])
  );
  // Every event is in the integration outbox under the key it carries, with the event in its payload.
  if (org.store.schema.object('Integration_Message__c')) {
    const outbox = new Map(
      (
        await org.driver.query(
          'SELECT Idempotency_Key__c, Topic__c, Payload__c, Engagement__c FROM Integration_Message__c' +
            ` WHERE Source_Record_Id__c IN (${inKeys})`
        )
      ).map((message) => [String(message.Idempotency_Key__c), message])
    );
    check(
      `one outbox message per lifecycle event: ${events.length} events, ${outbox.size} messages`,
      outbox.size === events.length
    );
    for (const event of org.store.publishedEvents('Handoff_Lifecycle_Event__e')) {
      const message = outbox.get(String(event.payload.Idempotency_Key__c));
      check(`the ${String(event.payload.Event_Type__c)} event is in the outbox under its key`, message !== undefined);
      const payload = JSON.parse(String(message?.Payload__c ?? '{}')) as SObject;
      check(
        `outbox message of the ${String(event.payload.Event_Type__c)} event: topic, payload and engagement`,
        message?.Topic__c === 'Engagement Lifecycle' &&
          payload.eventType === event.payload.Event_Type__c &&
          payload.status === event.payload.Status__c &&
          message.Engagement__c === event.payload.Engagement_Id__c
      );
    }
  }
  const audits = await org.driver.query(
    'SELECT Field__c, Old_Value__c, New_Value__c, Change_Type__c FROM Engagement_Change__c' +
      ` WHERE Engagement__r.Opportunity_Key__c IN (${inKeys}) AND Field__c != '${NOTIFICATION_AUDIT}' ORDER BY Name`
  );
  const expectedAudits = expect.audits ?? [];
  check(
    `number of audit rows expected ${expectedAudits.length} but was ${audits.length}`,
    audits.length === expectedAudits.length
  );
  expectedAudits.forEach((expected, index) => compareFields(`audit ${index}`, audits[index], expected));
  const checklist = await org.driver.query(
    `SELECT Id FROM Handoff_Checklist_Item__c WHERE Engagement__r.Opportunity_Key__c IN (${inKeys})`
  );
  check(
    `checklist items expected ${String(expect.checklistItems)} but were ${checklist.length}`,
    checklist.length === expect.checklistItems
  );
  if (expect.checklistAnswers) {
    const items = await org.driver.query(
      `SELECT Item_Key__c, Answer__c FROM Handoff_Checklist_Item__c WHERE Engagement__r.Opportunity_Key__c IN (${inKeys})`
    );
    const answers = new Map(items.map((item) => [String(item.Item_Key__c).split(':').pop(), item.Answer__c ?? null]));
    for (const [question, answer] of Object.entries(expect.checklistAnswers)) {
      check(
        `checklist answer to ${question} expected ${JSON.stringify(answer)} but was ${JSON.stringify(answers.get(question))}`,
        answers.has(question) && answers.get(question) === answer
      );
    }
  }
}

/** A Handoff_Field_Mapping__mdt record: Opportunity field -> Engagement__c field. */
export interface MappingRecord {
  developerName: string;
  sourceField: string;
  targetField: string;
}

/**
 * Why each mapping is not exercised by the vectors, empty when every one is: the vectors' rules must hold the same
 * source -> target mapping (active), a deal step must set the source field, and an expectation must pin the target
 * field on an engagement. Field names compare case-insensitively, as the schema resolves them.
 */
export function unexercisedMappings(document: VectorDocument, mappings: MappingRecord[]): string[] {
  const lower = (value: unknown) => String(value ?? '').toLowerCase();
  const ruleMappings = (document.rules.Handoff_Field_Mapping__mdt ?? []).filter((record) => record.Active__c === true);
  const dealSteps = document.cases.flatMap((vector) =>
    vector.steps.filter((step) => step.op === 'insertOpportunity' || step.op === 'updateOpportunity')
  );
  const expectations = document.cases.flatMap((vector) => [
    vector.expect,
    ...vector.steps.flatMap((step) => (step.expect ? [step.expect] : []))
  ]);
  const problems: string[] = [];
  for (const mapping of mappings) {
    const name = `Handoff_Field_Mapping.${mapping.developerName} (${mapping.sourceField} -> ${mapping.targetField})`;
    const inRules = ruleMappings.some(
      (record) =>
        lower(record.Source_Field__c) === lower(mapping.sourceField) &&
        lower(record.Target_Field__c) === lower(mapping.targetField)
    );
    if (!inRules) problems.push(`${name}: not in the vectors' rules`);
    const set = dealSteps.some((step) =>
      Object.entries(step.fields ?? {}).some(
        ([field, value]) => lower(field) === lower(mapping.sourceField) && value !== null
      )
    );
    if (!set) problems.push(`${name}: no deal step sets Opportunity.${mapping.sourceField}`);
    const pinned = expectations.some((expect) =>
      expect.engagements.some((engagement) =>
        Object.keys(engagement).some((field) => lower(field) === lower(mapping.targetField))
      )
    );
    if (!pinned) problems.push(`${name}: no expectation pins Engagement__c.${mapping.targetField}`);
  }
  return problems;
}
