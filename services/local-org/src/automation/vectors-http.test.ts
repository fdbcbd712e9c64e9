import * as path from 'node:path';
import type { Connection } from 'jsforce';
import { startTestOrg, type TestOrg } from '../testing/test-org';
import { automationOf } from './install';
import { readVectors, runVectorCase, VECTORS_FILE, type VectorDriver } from './vectors';

// Starts a local org on a loopback port: a generous timeout, whatever else the machine runs.
jest.setTimeout(60_000);

const PROJECT_ROOT = path.resolve(__dirname, '../../../..');
const document = readVectors(process.env.HANDOFF_VECTORS ?? VECTORS_FILE);
// The REST API has no undelete (the SOAP API has), so cases that undelete run in-process only.
const httpCases = document.cases.filter((vector) => !vector.steps.some((step) => step.op === 'undeleteOpportunity'));

/** A REST error as the vectors read it: code, message and the fields it names. */
function withFields(error: unknown): Error {
  const failure = error as Error & { errorCode?: string; fields?: string[]; data?: unknown };
  // jsforce's HttpApiError keeps the first REST error (message, errorCode, fields) as `data`.
  const data = failure.data as { fields?: string[] } | { fields?: string[] }[] | undefined;
  const fields = failure.fields ?? (Array.isArray(data) ? data[0]?.fields : data?.fields) ?? [];
  return new Error(`${failure.errorCode ?? ''}: ${failure.message} [${fields.join(', ')}]`);
}

/** Each step is one REST call, as application code makes it through jsforce 3. */
function jsforceDriver(connection: Connection): VectorDriver {
  return {
    async insert(object, values) {
      const result = await connection.sobject(object).create(values);
      if (!result.success) throw new Error(JSON.stringify(result.errors));
      return result.id;
    },
    async update(object, id, values) {
      try {
        const result = await connection.sobject(object).update({ Id: id, ...values });
        if (!result.success) throw new Error(JSON.stringify(result.errors));
      } catch (error) {
        throw withFields(error);
      }
    },
    async delete(object, id) {
      const result = await connection.sobject(object).destroy(id);
      if (!result.success) throw new Error(JSON.stringify(result.errors));
    },
    undelete() {
      return Promise.reject(new Error('the REST API has no undelete'));
    },
    async upsert(object, externalIdField, key, values) {
      try {
        const result = await connection.sobject(object).upsert({ ...values, [externalIdField]: key }, externalIdField);
        if (!result.success) throw new Error(JSON.stringify(result.errors));
      } catch (error) {
        throw withFields(error);
      }
    },
    async query(soql) {
      return (await connection.query<Record<string, unknown>>(soql)).records;
    }
  };
}

describe('lifecycle vectors over HTTP: jsforce 3 against the local org on 127.0.0.1', () => {
  let test: TestOrg;

  beforeAll(async () => {
    test = await startTestOrg({ projectRoot: PROJECT_ROOT });
  });
  afterAll(() => test.close());
  beforeEach(() => {
    test.org.reset();
    automationOf(test.org.store)!.useRules(document.rules);
  });

  it('runs at least two cases end to end', () => {
    expect(test.org.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(httpCases.length).toBeGreaterThanOrEqual(2);
  });

  it.each(httpCases.map((vector) => [vector.name, vector] as const))('%s', async (_name, vector) => {
    const org = { driver: jsforceDriver(test.connection()), store: test.org.store, userId: test.org.userId };
    expect(await runVectorCase(org, document, vector)).toEqual([]);
  });

  it('refuses a negative quantity on the line item, with the Apex message', async () => {
    const connection = test.connection();
    const [book] = test.org.store.seed('Pricebook2', [{ Name: 'Standard', IsActive: true, IsStandard: true }], {
      system: true
    });
    const product = await connection.sobject('Product2').create({ Name: 'Sprint', ProductCode: 'HO-IMPL' });
    const entry = await connection.sobject('PricebookEntry').create({
      Pricebook2Id: book,
      Product2Id: product.id,
      UnitPrice: 100,
      IsActive: true
    });
    const deal = await connection
      .sobject('Opportunity')
      .create({ Name: 'Negative', StageName: 'Proposal/Price Quote', CloseDate: '2026-03-31' });
    const attempt = connection
      .sobject('OpportunityLineItem')
      .create({ OpportunityId: deal.id, PricebookEntryId: entry.id, Quantity: -1, UnitPrice: 100 });
    await expect(attempt).rejects.toMatchObject({
      errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      message: expect.stringMatching(
        /^Line item 00k\w{15}: Quantity must be zero or more to plan demand \(OpportunityLineItem\.Quantity\)$/
      )
    });
    const phases = await connection.query('SELECT Id FROM Engagement_Phase__c');
    expect(phases.totalSize).toBe(0);
  });
});
