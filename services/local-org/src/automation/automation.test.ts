import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLocalOrg, type LocalOrg } from '../local-org';
import type { Store, WriteOperation } from '../store/store';
import { automationOf, type Automation } from './install';
import { RuleError } from './rules';
import { readVectors } from './vectors';

// Starts a local org on a loopback port: a generous timeout, whatever else the machine runs.
jest.setTimeout(60_000);

const PROJECT_ROOT = path.resolve(__dirname, '../../../..');
const vectorRules = readVectors().rules;

describe('automation: the declared triggers on the local org', () => {
  let org: LocalOrg;
  let store: Store;
  let automation: Automation;
  let dataDir: string;
  let clock = Date.parse('2026-03-02T09:00:00Z');
  let entry: string;

  const write = (operation: WriteOperation) => store.write([operation])[0]!;
  const insert = (object: string, values: Record<string, unknown>) => {
    const result = write({ kind: 'insert', object, values });
    if (!result.success) throw new Error(result.errors.map((error) => error.message).join('; '));
    return result.id!;
  };
  const update = (object: string, id: string, values: Record<string, unknown>) =>
    write({ kind: 'update', object, id, values });
  const events = () => store.publishedEvents('Handoff_Lifecycle_Event__e').map((event) => event.payload.Event_Type__c);
  const engagement = () =>
    store.query('SELECT Id, Status__c, Contract_Value__c, LastModifiedDate FROM Engagement__c')[0]!;
  const deal = (values: Record<string, unknown> = {}) =>
    insert('Opportunity', {
      Name: 'Deal',
      StageName: 'Proposal/Price Quote',
      Probability: 50,
      CloseDate: '2026-03-31',
      ...values
    });

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-automation-'));
    // A clock that moves on every read, so each write has its own timestamps.
    org = await createLocalOrg({ projectRoot: PROJECT_ROOT, dataDir, now: () => new Date((clock += 1000)) });
    store = org.store;
    automation = automationOf(store)!;
  });
  afterAll(async () => {
    await org.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    org.reset();
    automation.useRules(vectorRules);
    automation.bypassed = false;
    const [book] = store.seed('Pricebook2', [{ Name: 'Standard', IsActive: true, IsStandard: true }], { system: true });
    const product = insert('Product2', { Name: 'Implementation Sprint', ProductCode: 'HO-IMPL', IsActive: true });
    entry = insert('PricebookEntry', { Pricebook2Id: book, Product2Id: product, UnitPrice: 20000, IsActive: true });
  });

  it('hooks up the triggers force-app declares, with their events', () => {
    expect(automation.triggers).toEqual([
      {
        name: 'OpportunityLineItemTrigger',
        object: 'OpportunityLineItem',
        events: ['insert', 'update', 'delete'],
        entryPoint: 'onLineItems'
      },
      {
        name: 'OpportunityTrigger',
        object: 'Opportunity',
        events: ['insert', 'update', 'delete', 'undelete'],
        entryPoint: 'onOpportunities'
      }
    ]);
  });

  it('runs on the custom metadata records the org serves when no rules are injected', () => {
    automation.useRules(undefined);
    const dealId = deal({ Name: 'Seeded rules' });
    const item = insert('OpportunityLineItem', {
      OpportunityId: dealId,
      PricebookEntryId: entry,
      Quantity: 1,
      UnitPrice: 20000
    });
    expect(store.query('SELECT Name, Status__c, Billable__c FROM Engagement__c')).toMatchObject([
      { Name: 'Seeded rules', Status__c: 'Pipeline', Billable__c: false }
    ]);
    // force-app's HO-IMPL templates: developer, QA engineer and technical architect.
    const keys = store
      .query('SELECT Demand_Key__c FROM Resource_Demand__c ORDER BY Demand_Key__c')
      .map((row) => row.Demand_Key__c);
    expect(keys).toEqual([
      `${item}:HO_IMPL_Developer`,
      `${item}:HO_IMPL_QA_Engineer`,
      `${item}:HO_IMPL_Technical_Architect`
    ]);
  });

  it('fails the save, naming record and field, when a deployed rule record is bad', () => {
    automation.useRules(undefined);
    store.write(
      [
        {
          kind: 'insert',
          object: 'Handoff_Field_Mapping__mdt',
          values: {
            DeveloperName: 'Bad',
            MasterLabel: 'Bad',
            Source_Field__c: 'Amont',
            Target_Field__c: 'Contract_Value__c',
            Active__c: true
          }
        }
      ],
      { system: true }
    );
    const result = write({
      kind: 'insert',
      object: 'Opportunity',
      values: { Name: 'Deal', StageName: 'Proposal/Price Quote', CloseDate: '2026-03-31' }
    });
    expect(result.success).toBe(false);
    expect(result.errors[0]).toMatchObject({
      statusCode: 'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY',
      message:
        'OpportunityTrigger: execution of AfterInsert caused by: HandoffRules.RuleException: ' +
        'Handoff_Field_Mapping__mdt.Bad: Source_Field__c "Amont" is not a field of Opportunity'
    });
    expect(store.query('SELECT Id FROM Opportunity')).toEqual([]);
  });

  it('validates injected rules at once', () => {
    const bad = {
      ...vectorRules,
      Handoff_Stage_Rule__mdt: [{ DeveloperName: 'X', Engagement_Status__c: 'Won', Active__c: true }]
    };
    expect(() => automation.useRules(bad)).toThrow(RuleError);
  });

  it('writes nothing and publishes nothing when a change is repeated', () => {
    const dealId = deal();
    const item = insert('OpportunityLineItem', {
      OpportunityId: dealId,
      PricebookEntryId: entry,
      Quantity: 2,
      UnitPrice: 20000
    });
    const before = {
      events: events(),
      engagement: engagement(),
      rows: store.query('SELECT Id, LastModifiedDate FROM Resource_Demand__c ORDER BY Id')
    };
    expect(update('OpportunityLineItem', item, { Quantity: 2 }).success).toBe(true); // the trigger runs, nothing differs
    expect(update('Opportunity', dealId, { Probability: 50, Description: 'same deal' }).success).toBe(true);
    expect(events()).toEqual(before.events);
    expect(engagement()).toEqual(before.engagement);
    expect(store.query('SELECT Id, LastModifiedDate FROM Resource_Demand__c ORDER BY Id')).toEqual(before.rows);
  });

  it('keeps On Hold, set by delivery, when a won deal is saved again', () => {
    const dealId = deal({
      StageName: 'Closed Won',
      Probability: 100,
      Amount: 1000,
      Delivery_Lead__c: org.userId,
      Expected_Start__c: '2026-04-06'
    });
    update('Engagement__c', String(engagement().Id), { Status__c: 'On Hold' });
    expect(update('Opportunity', dealId, { Amount: 2000 }).success).toBe(true);
    expect(engagement()).toMatchObject({ Status__c: 'On Hold', Contract_Value__c: 2000 });
    expect(events()).toEqual(['Won', 'ValueChanged']);
  });

  it('deletes the rows of removed line items in one call grouped by type, never interleaved deal by deal', () => {
    const items = [deal(), deal()].map((dealId) =>
      insert('OpportunityLineItem', { OpportunityId: dealId, PricebookEntryId: entry, Quantity: 1, UnitPrice: 20000 })
    );
    const write = jest.spyOn(store, 'write');
    try {
      store.write(items.map((id): WriteOperation => ({ kind: 'delete', object: 'OpportunityLineItem', id })));
      const deletes = write.mock.calls
        .map(([operations]) => operations)
        .filter((operations) => operations.some((operation) => operation.object === 'Resource_Demand__c'));
      expect(deletes).toHaveLength(1);
      expect(deletes[0]!.map((operation) => `${operation.kind} ${operation.object}`)).toEqual([
        'delete Resource_Demand__c',
        'delete Resource_Demand__c',
        'delete Resource_Demand__c',
        'delete Resource_Demand__c',
        'delete Engagement_Phase__c',
        'delete Engagement_Phase__c'
      ]);
    } finally {
      write.mockRestore();
    }
    expect(store.query('SELECT Id FROM Engagement_Phase__c')).toEqual([]);
  });

  it('reports a stage that would move an engagement on hold once, not on every save', () => {
    const dealId = deal({
      StageName: 'Closed Won',
      Probability: 100,
      Amount: 1000,
      Delivery_Lead__c: org.userId,
      Expected_Start__c: '2026-04-06'
    });
    update('Engagement__c', String(engagement().Id), { Status__c: 'On Hold' });
    update('Opportunity', dealId, { StageName: 'Closed Lost', Probability: 0 });
    update('Opportunity', dealId, { Amount: 2000 });
    const audits = store.query(
      "SELECT Field__c, Old_Value__c, New_Value__c FROM Engagement_Change__c WHERE Field__c != 'Delivery lead notification' ORDER BY Name"
    );
    expect(audits).toMatchObject([
      { Field__c: 'Win_Probability__c', Old_Value__c: '100', New_Value__c: '0' },
      { Field__c: 'StageName', Old_Value__c: 'On Hold', New_Value__c: 'Closed Lost' },
      { Field__c: 'Contract_Value__c', Old_Value__c: '1000', New_Value__c: '2000' }
    ]);
    expect(engagement()).toMatchObject({ Status__c: 'On Hold', Contract_Value__c: 2000 });
  });

  it('records a notice it could not deliver beside the change it was about', () => {
    // A won deal without a delivery lead exists only as data saved before the Handoff_Won_Needs_* rules: written
    // here as the platform (system), which validation rules do not check.
    const dealId = store.write(
      [
        {
          kind: 'insert',
          object: 'Opportunity',
          values: { Name: 'Deal', StageName: 'Closed Won', Probability: 100, CloseDate: '2026-03-31', Amount: 1000 }
        }
      ],
      { system: true }
    )[0]!.id!;
    update('Opportunity', dealId, { Amount: 1500 });
    expect(
      store.query('SELECT Field__c, Old_Value__c, New_Value__c FROM Engagement_Change__c ORDER BY Name')
    ).toMatchObject([
      { Field__c: 'Contract_Value__c', Old_Value__c: '1000', New_Value__c: '1500' },
      { Field__c: 'Delivery lead notification', New_Value__c: 'Not delivered: the engagement has no delivery lead' }
    ]);
    update('Opportunity', dealId, { Delivery_Lead__c: org.userId, Amount: 1800 });
    expect(automation.notifications).toContainEqual(
      expect.objectContaining({ recipientId: org.userId, title: 'Deal changed after handoff: Deal' })
    );
  });

  it('skips everything while bypassed (Handoff_Bypass_Automation)', () => {
    automation.bypassed = true;
    deal();
    expect(store.query('SELECT Id FROM Engagement__c')).toEqual([]);
  });

  it('fails only the line items whose deal cannot be planned (partial save)', () => {
    const good = deal({ Name: 'Good' });
    const bad = deal({ Name: 'Bad' });
    const results = store.write([
      {
        kind: 'insert',
        object: 'OpportunityLineItem',
        values: { OpportunityId: good, PricebookEntryId: entry, Quantity: 1, UnitPrice: 1 }
      },
      {
        kind: 'insert',
        object: 'OpportunityLineItem',
        values: { OpportunityId: bad, PricebookEntryId: entry, Quantity: -2, UnitPrice: 1 }
      }
    ]);
    expect(results.map((result) => result.success)).toEqual([true, false]);
    expect(results[1]!.errors[0]!.message).toMatch(
      /^Line item 00k\w{15}: Quantity must be zero or more to plan demand/
    );
    expect(store.query('SELECT Engagement__r.Name FROM Engagement_Phase__c')).toMatchObject([
      { Engagement__r: { Name: 'Good' } }
    ]);
  });

  it('undelete restores the deal with the line items its delete took, not those deleted before', () => {
    const dealId = deal();
    const kept = insert('OpportunityLineItem', {
      OpportunityId: dealId,
      PricebookEntryId: entry,
      Quantity: 1,
      UnitPrice: 100
    });
    const removed = insert('OpportunityLineItem', {
      OpportunityId: dealId,
      PricebookEntryId: entry,
      Quantity: 1,
      UnitPrice: 50
    });
    write({ kind: 'delete', id: removed });
    write({ kind: 'delete', id: dealId });
    expect(write({ kind: 'undelete', object: 'Opportunity', id: dealId })).toMatchObject({ success: true });
    expect(store.query('SELECT Id FROM OpportunityLineItem').map((row) => row.Id)).toEqual([kept]);
    expect(store.get('Opportunity', dealId)).toMatchObject({ IsDeleted: false, Amount: 100 });
    expect(write({ kind: 'undelete', id: dealId }).errors[0]).toMatchObject({ statusCode: 'UNDELETE_FAILED' });
  });
});
