import { startTestOrg, type TestOrg } from '../testing/test-org';
import type { Store } from './store';

jest.setTimeout(60_000);

/**
 * OpportunityHistory as the Object Reference describes it: one row per opportunity insert and per change of Amount,
 * Probability, StageName or CloseDate (and the forecast category), holding the values after the change; read-only
 * through the API; deleted with its opportunity.
 */
describe('OpportunityHistory', () => {
  let test: TestOrg;
  let store: Store;
  let clock = new Date('2026-03-02T09:00:00.000Z');

  beforeAll(async () => {
    test = await startTestOrg({ now: () => clock });
    store = test.org.store;
  });
  afterAll(() => test.close());
  beforeEach(() => {
    test.org.reset();
    clock = new Date('2026-03-02T09:00:00.000Z');
  });

  const history = (opportunityId: string) =>
    store.query(
      `SELECT StageName, Amount, Probability, CloseDate, ExpectedRevenue, ForecastCategory, PrevAmount, PrevCloseDate, CreatedDate, CreatedById FROM OpportunityHistory WHERE OpportunityId = '${opportunityId}' ORDER BY CreatedDate`
    );
  const update = (id: string, values: Record<string, unknown>) =>
    store.write([{ kind: 'update', object: 'Opportunity', id, values }])[0]!;

  it('writes a row on insert and on each change of a tracked field, none for other changes', () => {
    const [id] = store.seed('Opportunity', [
      { Name: 'Deal', StageName: 'Prospecting', CloseDate: '2026-06-30', Amount: 1000 }
    ]);
    clock = new Date('2026-03-09T09:00:00.000Z');
    expect(update(id!, { Description: 'not tracked', NextStep: 'call' }).success).toBe(true);
    clock = new Date('2026-03-16T09:00:00.000Z');
    expect(update(id!, { StageName: 'Negotiation/Review', CloseDate: '2026-07-31' }).success).toBe(true);
    clock = new Date('2026-03-23T09:00:00.000Z');
    expect(update(id!, { Amount: 1200 }).success).toBe(true);
    clock = new Date('2026-03-30T09:00:00.000Z');
    expect(update(id!, { ForecastCategoryName: 'Commit' }).success).toBe(true);

    // Prospecting defaults to 10% and Pipeline; Negotiation/Review to 90%: ExpectedRevenue = Amount x Probability.
    expect(history(id!)).toEqual([
      expect.objectContaining({
        StageName: 'Prospecting',
        Amount: 1000,
        Probability: 10,
        CloseDate: '2026-06-30',
        ExpectedRevenue: 100,
        ForecastCategory: 'Pipeline',
        PrevAmount: null,
        PrevCloseDate: null,
        CreatedDate: '2026-03-02T09:00:00.000+0000',
        CreatedById: test.org.userId
      }),
      expect.objectContaining({
        StageName: 'Negotiation/Review',
        Amount: 1000,
        Probability: 90,
        CloseDate: '2026-07-31',
        ExpectedRevenue: 900,
        PrevAmount: 1000,
        PrevCloseDate: '2026-06-30',
        CreatedDate: '2026-03-16T09:00:00.000+0000'
      }),
      expect.objectContaining({ Amount: 1200, ExpectedRevenue: 1080, PrevAmount: 1000, Probability: 90 }),
      expect.objectContaining({ ForecastCategory: 'Forecast', Amount: 1200 })
    ]);
  });

  it('writes a row when line items change the amount', () => {
    const [product] = store.seed('Product2', [{ Name: 'Advisory' }]);
    const [book] = store.seed('Pricebook2', [{ Name: 'Standard' }]);
    const [entry] = store.seed('PricebookEntry', [{ Pricebook2Id: book, Product2Id: product, UnitPrice: 100 }]);
    const [id] = store.seed('Opportunity', [{ Name: 'Deal', StageName: 'Prospecting', CloseDate: '2026-05-01' }]);
    store.seed('OpportunityLineItem', [{ OpportunityId: id, PricebookEntryId: entry, Quantity: 3, UnitPrice: 100 }]);
    expect(history(id!).map((row) => row.Amount)).toEqual([null, 300]);
  });

  it('is read-only through the API and goes with its opportunity to the recycle bin and back', () => {
    const [id] = store.seed('Opportunity', [{ Name: 'Deal', StageName: 'Prospecting', CloseDate: '2026-05-01' }]);
    const [row] = store.query(`SELECT Id FROM OpportunityHistory WHERE OpportunityId = '${id}'`);
    const attempts = store.write([
      { kind: 'insert', object: 'OpportunityHistory', values: { OpportunityId: id, StageName: 'Closed Won' } },
      { kind: 'update', object: 'OpportunityHistory', id: String(row!.Id), values: { StageName: 'Closed Won' } },
      { kind: 'delete', object: 'OpportunityHistory', id: String(row!.Id) }
    ]);
    expect(attempts.map((attempt) => attempt.errors[0]?.statusCode)).toEqual([
      'INVALID_TYPE_FOR_OPERATION',
      'INVALID_TYPE_FOR_OPERATION',
      'INVALID_TYPE_FOR_OPERATION'
    ]);
    store.write([{ kind: 'delete', object: 'Opportunity', id: id! }]);
    expect(history(id!)).toHaveLength(0);
    store.write([{ kind: 'undelete', object: 'Opportunity', id: id! }]);
    expect(history(id!)).toHaveLength(1);
  });

  it('takes the moment of a platform write (a replayed migration) as its CreatedDate', () => {
    const at = new Date('2024-01-15T10:00:00.000Z');
    const [id] = store.seed(
      'Opportunity',
      [{ Name: 'Old deal', StageName: 'Qualification', CloseDate: '2024-03-01' }],
      {
        system: true,
        now: at
      }
    );
    expect(history(id!)).toEqual([expect.objectContaining({ CreatedDate: '2024-01-15T10:00:00.000+0000' })]);
    // The clock override is for platform writes only: an API write is stamped with the org's clock.
    store.write([{ kind: 'update', object: 'Opportunity', id: id!, values: { Amount: 5 } }], { now: at });
    expect(history(id!)[1]).toMatchObject({ CreatedDate: '2026-03-02T09:00:00.000+0000' });
  });
});
