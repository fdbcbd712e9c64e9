import * as path from 'node:path';
import { RecordError } from '../errors';
import { startTestOrg, type TestOrg } from '../testing/test-org';
import { adjustMilestones, checkMilestone, money, planMilestones, split } from './billing';
import type { BillingRule } from './rules';

// Starts a local org on a loopback port: a generous timeout, whatever else the machine runs.
jest.setTimeout(60_000);

const PROJECT_ROOT = path.resolve(__dirname, '../../../..');
const rule = (schedule: BillingRule['schedule'], splitPercents: number[] = []): BillingRule => ({
  developerName: 'Rule',
  billingType: 'Fixed Fee',
  schedule,
  splitPercents
});
const terms = { opportunityKey: '006000000000001AAA', engagementId: 'a00000000000001AAA', phases: [] };

describe('billing milestones (the twin of BillingPlanner.cls)', () => {
  it('splits whole cents, the remainder to the last, and writes amounts as Apex does', () => {
    expect(split(1000001n, [2000000n, 1000000n])).toEqual([666667n, 333334n]);
    expect(split(0n, [0n, 0n])).toEqual([0n, 0n]);
    expect(money(1200050n)).toBe('12000.50');
  });

  it('plans per phase, by split and monthly, adding up to the contract value', () => {
    const perPhase = planMilestones(rule('Per Phase'), {
      ...terms,
      contractValue: 10000.01,
      expectedStart: '2026-04-06',
      expectedEnd: '2026-06-30',
      phases: [
        { Name: 'Build', Line_Item_Key__c: 'line1', Total_Price__c: 20000, End_Date__c: '2026-05-03' },
        { Name: 'Train', Line_Item_Key__c: 'line2', Total_Price__c: 10000, End_Date__c: null }
      ]
    });
    expect(perPhase.map((m) => [m.Milestone_Key__c, m.Name, m.Amount__c, m.Planned_Date__c])).toEqual([
      ['006000000000001AAA:01', 'Phase: Build', 6666.67, '2026-05-03'],
      ['006000000000001AAA:02', 'Phase: Train', 3333.34, '2026-06-30']
    ]);
    expect(perPhase[0]!.Phase__r).toEqual({ Line_Item_Key__c: 'line1' });
    const parts = planMilestones(rule('Split', [30, 40, 30]), {
      ...terms,
      contractValue: 100000,
      expectedStart: '2026-04-01',
      expectedEnd: '2026-06-30'
    });
    expect(parts.map((m) => [m.Name, m.Amount__c, m.Planned_Date__c])).toEqual([
      ['Part 1 of 3 (30%)', 30000, '2026-05-01'],
      ['Part 2 of 3 (40%)', 40000, '2026-05-31'],
      ['Part 3 of 3 (30%)', 30000, '2026-06-30']
    ]);
    const months = planMilestones(rule('Monthly'), {
      ...terms,
      contractValue: 1000,
      expectedStart: '2026-11-16',
      expectedEnd: '2027-02-03'
    });
    expect(months.map((m) => [m.Name, m.Planned_Date__c, m.Amount__c])).toEqual([
      ['Month 2026-11', '2026-11-30', 250],
      ['Month 2026-12', '2026-12-31', 250],
      ['Month 2027-01', '2027-01-31', 250],
      ['Month 2027-02', '2027-02-28', 250]
    ]);
    expect(
      planMilestones(rule('Monthly'), { ...terms, contractValue: 0, expectedStart: '2026-04-01', expectedEnd: null })
    ).toEqual([]);
  });

  it('re-plans only planned milestones after a contract value change, and says when nothing is left to re-plan', () => {
    const stored = [
      { Id: 'm3', Milestone_Key__c: 'k:03', Amount__c: 5000, Status__c: 'Planned' },
      { Id: 'm1', Milestone_Key__c: 'k:01', Amount__c: 10000, Status__c: 'Invoiced' },
      { Id: 'm2', Milestone_Key__c: 'k:02', Amount__c: 10000, Status__c: 'Planned' }
    ];
    expect(adjustMilestones(stored, 40000)).toEqual({
      updates: [
        { Id: 'm2', Amount__c: 20000 },
        { Id: 'm3', Amount__c: 10000 }
      ],
      audits: [
        ['k:02 10000.00', 'k:02 20000.00'],
        ['k:03 5000.00', 'k:03 10000.00']
      ]
    });
    expect(adjustMilestones([stored[1]!], 12000).audits).toEqual([
      [null, 'Not applied: no planned milestone left; contract value 12000.00, billed 10000.00']
    ]);
  });

  it('checks the write-back contract before save, naming the milestone and the field', () => {
    const check = (operation: 'insert' | 'update', values: Record<string, unknown>, erp = false) =>
      checkMilestone({
        object: { name: 'Billing_Milestone__c' } as never,
        operation,
        values: { Milestone_Key__c: 'k:01', ...values },
        permissions: new Set(erp ? ['handoff_erp_writeback'] : [])
      });
    const unknown = check('insert', { Engagement__c: 'a00000000000001AAA' }, true);
    expect(unknown).toBeInstanceOf(RecordError);
    expect(unknown?.message).toMatch(/^Billing_Milestone__c k:01: Milestone_Key__c matches no billing milestone/);
    expect(unknown?.fields).toEqual(['Milestone_Key__c']);
    expect(check('insert', { Engagement__c: 'a00000000000001AAA' })).toBeUndefined();
    expect(check('update', { Paid_Date__c: '2026-05-01' })?.fields).toEqual(['Paid_Date__c']);
    expect(check('update', { Status__c: 'Paid', Invoice_Number__c: 'INV-1' })?.message).toBe(
      'Billing_Milestone__c k:01: Status__c Paid needs Paid_Date__c'
    );
    expect(check('update', { Status__c: 'Invoiced' })?.fields).toEqual(['Status__c']);
    expect(check('update', { Status__c: 'Invoiced', Invoice_Number__c: 'INV-1' })).toBeUndefined();
  });
});

describe('the ERP write-back contract over REST (PATCH by Milestone_Key__c) against the local org', () => {
  let test: TestOrg;
  let dealId: string;

  beforeAll(async () => {
    test = await startTestOrg({ projectRoot: PROJECT_ROOT });
    // The deployed custom metadata: Time & Materials bills monthly.
    const connection = test.connection();
    const deal = await connection.sobject('Opportunity').create({
      Name: 'ERP contract',
      StageName: 'Negotiation/Review',
      CloseDate: '2026-03-31',
      Amount: 30000,
      Expected_Start__c: '2026-04-06',
      Expected_End__c: '2026-06-19',
      Delivery_Lead__c: test.org.userId,
      Billing_Type__c: 'Time & Materials'
    });
    dealId = deal.id!;
    await connection.sobject('Opportunity').update({ Id: dealId, StageName: 'Closed Won', Probability: 100 });
  });
  afterAll(() => test.close());

  /** The ERP's PATCH, as its integration user (custom permission Handoff_ERP_Writeback). */
  const erpPatch = async (key: string, body: Record<string, unknown>) => {
    const revoke = test.org.store.grantPermissions(['Handoff_ERP_Writeback']);
    try {
      const response = await test.api(`/sobjects/Billing_Milestone__c/Milestone_Key__c/${encodeURIComponent(key)}`, {
        method: 'PATCH',
        body: JSON.stringify(body)
      });
      return { status: response.status, body: response.status === 204 ? null : ((await response.json()) as unknown) };
    } finally {
      revoke();
    }
  };

  it('plans one milestone per month at Closed Won from the deployed billing rule', async () => {
    const { records } = await test
      .connection()
      .query<Record<string, unknown>>(
        `SELECT Milestone_Key__c, Amount__c, Planned_Date__c, Status__c FROM Billing_Milestone__c ORDER BY Milestone_Key__c`
      );
    expect(records.map((row) => [row.Milestone_Key__c, row.Amount__c, row.Planned_Date__c, row.Status__c])).toEqual([
      [`${dealId}:01`, 10000, '2026-04-30', 'Planned'],
      [`${dealId}:02`, 10000, '2026-05-31', 'Planned'],
      [`${dealId}:03`, 10000, '2026-06-30', 'Planned']
    ]);
  });

  it('takes the invoice and then the payment, and the engagement shows invoiced and paid to date', async () => {
    const key = `${dealId}:01`;
    const [milestone] = (
      await test
        .connection()
        .query<{ Id: string }>(`SELECT Id FROM Billing_Milestone__c WHERE Milestone_Key__c = '${key}'`)
    ).records;
    await test.connection().sobject('Billing_Milestone__c').update({ Id: milestone!.Id, Status__c: 'Complete' });
    const invoiced = await erpPatch(key, {
      Invoice_Number__c: 'INV-1001',
      Invoice_Status__c: 'Sent',
      Invoiced_Amount__c: 10000,
      Status__c: 'Invoiced'
    });
    expect(invoiced).toEqual({ status: 200, body: { id: milestone!.Id, success: true, errors: [], created: false } });
    expect(
      (await erpPatch(key, { Status__c: 'Paid', Paid_Date__c: '2026-05-20', Invoice_Status__c: 'Paid' })).status
    ).toBe(200);
    const [engagement] = (
      await test
        .connection()
        .query<Record<string, unknown>>(
          `SELECT Invoiced_To_Date__c, Paid_To_Date__c FROM Engagement__c WHERE Opportunity_Key__c = '${dealId}'`
        )
    ).records;
    expect(engagement).toMatchObject({ Invoiced_To_Date__c: 10000, Paid_To_Date__c: 10000 });
    const { records: messages } = await test
      .connection()
      .query<Record<string, unknown>>(
        `SELECT Idempotency_Key__c, Payload__c FROM Integration_Message__c WHERE Topic__c = 'Billing Ready'`
      );
    expect(messages.map((message) => message.Idempotency_Key__c)).toEqual([`billing-ready:${key}`]);
    expect(JSON.parse(String(messages[0]!.Payload__c))).toMatchObject({ milestoneKey: key, amount: 10000 });
  });

  it('refuses an unknown key and a payment before its invoice, naming the milestone and the field', async () => {
    expect(await erpPatch(`${dealId}:99`, { Invoice_Number__c: 'INV-9' })).toEqual({
      status: 400,
      body: [
        {
          errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
          message: `Billing_Milestone__c ${dealId}:99: Milestone_Key__c matches no billing milestone; the ERP updates the milestones Handoff planned and never creates them`,
          fields: ['Milestone_Key__c']
        }
      ]
    });
    expect(await erpPatch(`${dealId}:02`, { Paid_Date__c: '2026-06-01', Status__c: 'Paid' })).toEqual({
      status: 400,
      body: [
        {
          errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
          message: `Billing_Milestone__c ${dealId}:02: Paid_Date__c needs Invoice_Number__c; write back the invoice before its payment`,
          fields: ['Paid_Date__c']
        }
      ]
    });
  });

  it('lets no one but the ERP set the invoice fields', async () => {
    const [milestone] = (
      await test
        .connection()
        .query<{ Id: string }>(`SELECT Id FROM Billing_Milestone__c WHERE Milestone_Key__c = '${dealId}:03'`)
    ).records;
    const response = await test.api(`/sobjects/Billing_Milestone__c/${milestone!.Id}`, {
      method: 'PATCH',
      body: JSON.stringify({ Invoice_Number__c: 'INV-X' })
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual([
      expect.objectContaining({ errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', fields: ['Invoice_Number__c'] })
    ]);
  });
});
