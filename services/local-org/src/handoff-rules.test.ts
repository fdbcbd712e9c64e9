import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loginArgs, runSf } from './testing/sf-cli';
import { rejection, startTestOrg, type TestOrg } from './testing/test-org';

jest.setTimeout(180_000);

/**
 * The package's own validation rules, formula and roll-up fields on the local org serving the real force-app, as a
 * new user meets them over the REST API (jsforce 3) and the sf CLI.
 */
const PROJECT_ROOT = path.resolve(__dirname, '../../..');

const NEEDS_LEAD = 'Closed Won needs a Delivery Lead for the delivery handoff.';
const NEEDS_START = 'Closed Won needs an Expected Start date for the delivery handoff.';
const NEEDS_AMOUNT = 'Closed Won needs a contract value (Amount) for the delivery handoff.';

describe('the Handoff validation rules, formulas and roll-ups on the local org (force-app)', () => {
  let test: TestOrg;
  let entryId: string;

  beforeAll(async () => {
    test = await startTestOrg({ projectRoot: PROJECT_ROOT });
  });
  afterAll(() => test.close());
  beforeEach(async () => {
    test.org.reset();
    const connection = test.connection();
    const book = await connection.query<{ Id: string }>('SELECT Id FROM Pricebook2 WHERE IsStandard = true');
    const product = await connection
      .sobject('Product2')
      .create({ Name: 'Sprint', ProductCode: 'HO-IMPL', IsActive: true });
    const entry = await connection.sobject('PricebookEntry').create({
      Pricebook2Id: book.records[0]!.Id,
      Product2Id: product.id,
      UnitPrice: 20000,
      IsActive: true
    });
    entryId = entry.id!;
  });

  /** A deal before any handoff stage (no engagement yet), with one line item the automation would plan. */
  async function qualifiedDeal(values: Record<string, unknown> = {}): Promise<string> {
    const connection = test.connection();
    const deal = await connection
      .sobject('Opportunity')
      .create({ Name: 'Deal', StageName: 'Qualification', CloseDate: '2026-06-30', ...values });
    await connection
      .sobject('OpportunityLineItem')
      .create({ OpportunityId: deal.id, PricebookEntryId: entryId, Quantity: 2, UnitPrice: 20000 });
    return deal.id!;
  }

  const count = (soql: string) => test.org.store.query(soql).length;
  const handoffRecords = (dealId: string) => ({
    engagements: count(`SELECT Id FROM Engagement__c WHERE Opportunity_Key__c = '${dealId}'`),
    phases: count(`SELECT Id FROM Engagement_Phase__c WHERE Engagement__r.Opportunity_Key__c = '${dealId}'`),
    demand: count(`SELECT Id FROM Resource_Demand__c WHERE Engagement__r.Opportunity_Key__c = '${dealId}'`)
  });

  it('refuses Closed Won without the handoff fields through jsforce, naming each field, and hands off nothing', async () => {
    const dealId = await qualifiedDeal();
    const connection = test.connection();
    const error = await rejection(
      connection
        .sobject('Opportunity')
        .update({ Id: dealId, StageName: 'Closed Won', Amount: 40000, Expected_Start__c: '2026-07-06' })
    );
    expect(error).toMatchObject({ errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: NEEDS_LEAD });
    // Several failing rules answer one error each (jsforce then reports MULTIPLE_API_ERRORS).
    expect(
      await rejection(connection.sobject('Opportunity').update({ Id: dealId, StageName: 'Closed Won', Amount: 40000 }))
    ).toMatchObject({ errorCode: 'MULTIPLE_API_ERRORS' });
    const raw = await test.api(`/sobjects/Opportunity/${dealId}`, {
      method: 'PATCH',
      body: JSON.stringify({ StageName: 'Closed Won', Amount: 40000 })
    });
    expect(raw.status).toBe(400);
    expect(await raw.json()).toEqual([
      { errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: NEEDS_LEAD, fields: ['Delivery_Lead__c'] },
      { errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: NEEDS_START, fields: ['Expected_Start__c'] }
    ]);
    expect(test.org.store.get('Opportunity', dealId)).toMatchObject({
      StageName: 'Qualification',
      Amount: 40000, // rolled up from the line item
      Expected_Start__c: null
    });
    expect(handoffRecords(dealId)).toEqual({ engagements: 0, phases: 0, demand: 0 });

    // With the fields given, the same move hands the deal off.
    await connection.sobject('Opportunity').update({
      Id: dealId,
      StageName: 'Closed Won',
      Delivery_Lead__c: test.org.userId,
      Expected_Start__c: '2026-07-06'
    });
    const handedOff = handoffRecords(dealId);
    expect(handedOff.engagements).toBe(1);
    expect(handedOff.phases).toBe(1);
    expect(handedOff.demand).toBeGreaterThan(0);

    // Clearing Amount on a won deal is refused too.
    expect(await rejection(connection.sobject('Opportunity').update({ Id: dealId, Amount: null }))).toMatchObject({
      errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      message: NEEDS_AMOUNT
    });
  });

  it('refuses Closed Won through sf data update record, with the rule message', async () => {
    const dealId = await qualifiedDeal({ Amount: 40000, Expected_Start__c: '2026-07-06' });
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'local-org-sf-home-'));
    const sf = (args: string[]) => runSf(home, test.org.accessToken, args);
    try {
      const login = await sf(loginArgs(test.org.url));
      expect(login.status).toBe(0);
      const update = await sf([
        'data',
        'update',
        'record',
        '--sobject',
        'Opportunity',
        '--record-id',
        dealId,
        '--values',
        "StageName='Closed Won'",
        '-o',
        'local'
      ]);
      expect(update.status).toBe(1);
      expect(update.message).toContain(NEEDS_LEAD);
      expect(handoffRecords(dealId)).toEqual({ engagements: 0, phases: 0, demand: 0 });
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it('in a 200-deal collection fails only the incomplete deals, and only the complete ones get engagements', async () => {
    const connection = test.connection();
    const deals = Array.from({ length: 200 }, (_value, index) => ({
      Name: `Deal ${index}`,
      StageName: 'Closed Won',
      CloseDate: '2026-06-30',
      Amount: 1000 + index,
      Expected_Start__c: '2026-07-06',
      // Every seventh deal has no delivery lead.
      ...(index % 7 === 0 ? {} : { Delivery_Lead__c: test.org.userId })
    }));
    const results = await connection.sobject('Opportunity').create(deals, { allOrNone: false });
    const failed = results.flatMap((result, index) => (result.success ? [] : [index]));
    expect(failed).toEqual(deals.flatMap((_deal, index) => (index % 7 === 0 ? [index] : [])));
    for (const index of failed) {
      expect(results[index]).toMatchObject({
        errors: [{ statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: NEEDS_LEAD, fields: ['Delivery_Lead__c'] }]
      });
    }
    const keys = test.org.store
      .query('SELECT Opportunity_Key__c FROM Engagement__c')
      .map((row) => row.Opportunity_Key__c)
      .sort();
    expect(keys).toEqual(
      results
        .filter((result) => result.success)
        .map((result) => result.id)
        .sort()
    );

    // allOrNone: one incomplete deal rolls the whole collection back.
    test.org.reset();
    const allOrNone = await connection.sobject('Opportunity').create(deals.slice(0, 3), { allOrNone: true });
    expect(
      allOrNone.map((result) => (result.success ? 'ok' : (result.errors[0] as { statusCode?: string }).statusCode))
    ).toEqual([
      'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      'ALL_OR_NONE_OPERATION_ROLLED_BACK',
      'ALL_OR_NONE_OPERATION_ROLLED_BACK'
    ]);
    expect(count('SELECT Id FROM Engagement__c')).toBe(0);
  });

  it('refuses negative or out-of-range hours on demand, bookings and resources, naming the field', async () => {
    const role = test.org.store.schema.field('Resource__c', 'Primary_Role__c')!.picklistValues![0]!;
    const dealId = await qualifiedDeal({
      StageName: 'Closed Won',
      Amount: 40000,
      Delivery_Lead__c: test.org.userId,
      Expected_Start__c: '2026-07-06'
    });
    const engagement = String(
      test.org.store.query(`SELECT Id FROM Engagement__c WHERE Opportunity_Key__c = '${dealId}'`)[0]!.Id
    );
    const connection = test.connection();
    const outcomes = await Promise.all([
      rejection(
        connection.sobject('Resource_Demand__c').create({
          Engagement__c: engagement,
          Role__c: role,
          Total_Hours__c: -10,
          Start_Date__c: '2026-07-06',
          End_Date__c: '2026-08-28',
          Status__c: 'Open'
        })
      ),
      rejection(
        connection.sobject('Resource__c').create({ Name: 'R', Primary_Role__c: role, Weekly_Capacity_Hours__c: 90 })
      )
    ]);
    const resource = await connection
      .sobject('Resource__c')
      .create({ Name: 'Ana', Primary_Role__c: role, Weekly_Capacity_Hours__c: 40 });
    outcomes.push(
      await rejection(
        connection.sobject('Assignment__c').create({
          Engagement__c: engagement,
          Resource__c: resource.id,
          Hours_Per_Week__c: 90,
          Start_Date__c: '2026-07-06',
          End_Date__c: '2026-08-28',
          Booking_Type__c: 'Soft'
        })
      )
    );
    expect(outcomes.map((error) => [(error as { errorCode?: string }).errorCode, error.message])).toEqual([
      ['FIELD_CUSTOM_VALIDATION_EXCEPTION', 'Total Hours cannot be negative.'],
      ['FIELD_CUSTOM_VALIDATION_EXCEPTION', 'Weekly Capacity Hours must be between 0 and 80.'],
      ['FIELD_CUSTOM_VALIDATION_EXCEPTION', 'Hours Per Week must be between 0 and 80.']
    ]);
    const fields = await test.api('/sobjects/Resource__c', {
      method: 'POST',
      body: JSON.stringify({ Name: 'R', Primary_Role__c: role, Weekly_Capacity_Hours__c: -1 })
    });
    expect(await fields.json()).toEqual([expect.objectContaining({ fields: ['Weekly_Capacity_Hours__c'] })]);
  });

  it('reads checklist progress and completeness as their roll-up and formula definitions give them', async () => {
    const dealId = await qualifiedDeal({
      StageName: 'Closed Won',
      Amount: 40000,
      Delivery_Lead__c: test.org.userId,
      Expected_Start__c: '2026-07-06'
    });
    const connection = test.connection();
    const engagementId = String(
      test.org.store.query(`SELECT Id FROM Engagement__c WHERE Opportunity_Key__c = '${dealId}'`)[0]!.Id
    );
    const items = (
      await connection.query<{ Id: string }>(
        `SELECT Id FROM Handoff_Checklist_Item__c WHERE Engagement__c = '${engagementId}' ORDER BY Id`
      )
    ).records;
    expect(items.length).toBeGreaterThan(3);

    /** What Checklist_Total__c, Checklist_Done__c and Handoff_Completeness__c should read, from the items. */
    const expected = async () => {
      const total = (
        await connection.query(`SELECT Id FROM Handoff_Checklist_Item__c WHERE Engagement__c = '${engagementId}'`)
      ).totalSize;
      const done = (
        await connection.query(
          `SELECT Id FROM Handoff_Checklist_Item__c WHERE Engagement__c = '${engagementId}' AND Done__c = true`
        )
      ).totalSize;
      // IF(Checklist_Total__c > 0, Checklist_Done__c / Checklist_Total__c, 0) as a Percent with scale 0.
      return {
        Checklist_Total__c: total,
        Checklist_Done__c: done,
        Handoff_Completeness__c: total > 0 ? Math.round((done / total) * 100) : 0
      };
    };
    const read = async () => {
      const record = await connection.sobject('Engagement__c').retrieve(engagementId, {
        fields: ['Checklist_Total__c', 'Checklist_Done__c', 'Handoff_Completeness__c']
      } as never);
      const { Checklist_Total__c, Checklist_Done__c, Handoff_Completeness__c } = record as unknown as Record<
        string,
        number
      >;
      return { Checklist_Total__c, Checklist_Done__c, Handoff_Completeness__c };
    };

    expect(await read()).toEqual({ ...(await expected()), Checklist_Done__c: 0, Handoff_Completeness__c: 0 });
    await connection.sobject('Handoff_Checklist_Item__c').update(
      items.slice(0, 3).map((item) => ({ Id: item.Id, Done__c: true })),
      { allOrNone: true }
    );
    expect(await read()).toEqual(await expected());
    expect((await read()).Checklist_Done__c).toBe(3);
    await connection.sobject('Handoff_Checklist_Item__c').destroy(items[items.length - 1]!.Id);
    await connection.sobject('Handoff_Checklist_Item__c').update({ Id: items[0]!.Id, Done__c: false });
    const now = await expected();
    expect(await read()).toEqual(now);
    expect(now.Handoff_Completeness__c).toBe(Math.round((2 / (items.length - 1)) * 100));

    // SOQL filters and sorts on the calculated values.
    const filtered = await connection.query(
      `SELECT Id, Handoff_Completeness__c FROM Engagement__c WHERE Handoff_Completeness__c = ${now.Handoff_Completeness__c} AND Checklist_Done__c = 2 ORDER BY Handoff_Completeness__c DESC`
    );
    expect(filtered.records.map((record) => record.Id)).toEqual([engagementId]);
  });

  it('describes the roll-ups and the completeness formula as calculated, and refuses writes to them', async () => {
    const describe = await test.connection().sobject('Engagement__c').describe();
    for (const name of ['Checklist_Total__c', 'Checklist_Done__c', 'Handoff_Completeness__c']) {
      expect(describe.fields.find((field) => field.name === name)).toMatchObject({
        calculated: true,
        createable: false,
        updateable: false
      });
    }
    expect(test.org.problems).toEqual([]);
  });

  it('lets users with Handoff_Bypass_Automation (data loads) through, without running the automation', async () => {
    const loader = await startTestOrg({ projectRoot: PROJECT_ROOT, customPermissions: ['Handoff_Bypass_Automation'] });
    try {
      const result = await loader
        .connection()
        .sobject('Opportunity')
        .create({ Name: 'Loaded', StageName: 'Closed Won', CloseDate: '2026-06-30' });
      expect(result.success).toBe(true);
      expect(loader.org.store.query('SELECT Id FROM Engagement__c')).toEqual([]);
    } finally {
      await loader.close();
    }
  });
});
