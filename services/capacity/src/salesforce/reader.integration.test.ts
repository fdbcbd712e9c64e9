import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLocalOrg, type LocalOrg } from '@handoff/local-org';
import { inputQueries, toEngineInput } from '../run/inputs';
import { SalesforceClient } from './client';
import { connect } from './connection';
import { picklistValues, queryAll } from './reader';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const AS_OF = '2026-11-23';

/** Strips the `attributes` the REST API adds to every record (and nested record); the Bulk path does not rebuild them. */
const withoutAttributes = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withoutAttributes);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== 'attributes')
        .map(([key, inner]) => [key, withoutAttributes(inner)])
    );
  }
  return value;
};

/**
 * The inputs of a forecast read through REST pages and through Bulk API 2.0 query jobs, against the local org:
 * the same rows, typed the same way, nested the same way, so the engine gets the same input on both paths.
 */
describe('reading inputs through REST pages or Bulk API 2.0', () => {
  let org: LocalOrg;
  let dataDir: string;
  const client = async () =>
    new SalesforceClient(await connect({ kind: 'local', instanceUrl: org.url, accessToken: org.accessToken }), {
      backoffMs: 5
    });

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-reader-'));
    org = await createLocalOrg({ projectRoot: ROOT, dataDir });
    const people = org.store.seed(
      'Resource__c',
      Array.from({ length: 30 }, (_, index) => ({
        Name: `Person ${index}`,
        Primary_Role__c: index % 3 === 0 ? 'Trainer' : 'Developer',
        Weekly_Capacity_Hours__c: index % 4 === 0 ? 22.5 : 40,
        Skills__c: index % 2 ? 'Apex;MuleSoft' : null,
        Practice__c: index % 3 ? 'CRM' : null,
        Location__c: index % 5 === 0 ? 'London' : null,
        Active_From__c: index % 7 === 0 ? '2026-12-01' : null
      }))
    );
    const [won, pipeline] = org.store.seed('Engagement__c', [
      { Name: 'Won, "quoted", rollout', Status__c: 'Active', Billable__c: true, Practice__c: null },
      {
        Name: 'Maybe, rollout',
        Status__c: 'Pipeline',
        Opportunity_Key__c: '006000000000001AAA',
        Win_Probability__c: 35
      }
    ]);
    const demand = org.store.seed(
      'Resource_Demand__c',
      Array.from({ length: 2_300 }, (_, index) => ({
        Engagement__c: index % 2 ? won : pipeline,
        Role__c: index % 3 ? 'Developer' : 'Trainer',
        Skill__c: index % 5 ? null : 'Apex',
        Total_Hours__c: 10 + (index % 50) + 0.25,
        Start_Date__c: '2026-11-30',
        End_Date__c: '2027-01-29',
        Status__c: index % 4 ? 'Open' : 'Filled',
        Probability__c: index % 2 ? 100 : 35
      }))
    );
    org.store.seed(
      'Assignment__c',
      Array.from({ length: 2_100 }, (_, index) => ({
        Engagement__c: index % 2 ? won : pipeline,
        Resource__c: people[index % people.length],
        Demand__c: index % 3 ? demand[index] : null, // an empty lookup
        Hours_Per_Week__c: 4 + (index % 8),
        Start_Date__c: '2026-11-23',
        End_Date__c: '2027-02-26',
        Booking_Type__c: index % 2 ? 'Hard' : 'Soft',
        Needs_Review__c: index % 11 === 0
      }))
    );
    org.store.seed('Holiday', [{ Name: '[London] Staff day', ActivityDate: '2026-11-25', IsAllDay: true }]);
  });
  afterAll(async () => {
    await org.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('gives the engine the same input on both paths, at a fraction of the calls for large queries', async () => {
    const queries = inputQueries('2026-11-16', '2027-03-01');
    const rest = await client();
    const restRows = await queryAll(rest, queries);
    const bulk = await client();
    // 1,000-row result pages: the Sforce-Locator paging is exercised too.
    const bulkRows = await queryAll(bulk, queries, { bulkAbove: 2_000, maxRecordsPerPage: 1_000, pollIntervalMs: 5 });

    expect(restRows.demand).toHaveLength(2_300);
    expect(bulkRows.demand).toHaveLength(2_300);
    expect(bulkRows.assignments).toHaveLength(2_100);
    expect(withoutAttributes(bulkRows)).toEqual(withoutAttributes(restRows));

    // REST: a composite per five queries + 1 more page for each of the two 2,000+ row queries. Bulk, per large query:
    // create, poll, 3 result pages; and the describes that type the CSV (Resource_Demand__c, Engagement__c,
    // Assignment__c).
    const composites = Math.ceil(Object.keys(queries).length / 5);
    expect(composites).toBe(2);
    expect(rest.apiCalls).toBe(composites + 2);
    expect(bulk.apiCalls).toBe(composites + 2 * 5 + 3);

    const roles = await picklistValues(rest, 'Resource_Demand__c', 'Role__c');
    expect(toEngineInput(bulkRows, roles, AS_OF, 12)).toEqual(toEngineInput(restRows, roles, AS_OF, 12));
  });

  it('types every kind of field and nests parents as the REST API does, empty lookups as null', async () => {
    const queries = {
      assignments:
        'SELECT Id, Name, Hours_Per_Week__c, Needs_Review__c, CreatedDate, Start_Date__c, Demand__c, Demand__r.Role__c, ' +
        'Demand__r.Total_Hours__c, Demand__r.Engagement__r.Name, Demand__r.Engagement__r.Billable__c, Engagement__r.Win_Probability__c ' +
        'FROM Assignment__c'
    };
    const rest = await queryAll(await client(), queries);
    const bulk = await queryAll(await client(), queries, { bulkAbove: 2_000, pollIntervalMs: 5 });
    expect(withoutAttributes(bulk)).toEqual(withoutAttributes(rest));
    const unassigned = bulk.assignments.find((row) => row.Demand__c === null)!;
    expect(unassigned.Demand__r).toBeNull();
    const assigned = bulk.assignments.find((row) => row.Demand__c !== null)!;
    expect(assigned).toMatchObject({
      Hours_Per_Week__c: expect.any(Number),
      Needs_Review__c: expect.any(Boolean),
      CreatedDate: expect.stringMatching(/\+0000$/),
      Demand__r: { Role__c: expect.any(String), Engagement__r: { Billable__c: expect.any(Boolean) } }
    });
  });

  it('retries a query job creation that fails, then fails the read naming the request', async () => {
    const queries = { broken: 'SELECT Id, Name FROM Assignment__c' };
    const sf = await client();
    // The job creation is answered 500 every time: an idempotent request, retried, then the read fails by name.
    org.faults.set({ failNext: { count: 10, status: 500, match: { method: 'POST', path: '/jobs/query' } } });
    await expect(queryAll(sf, queries, { bulkAbove: 2_000 })).rejects.toMatchObject({
      errorCode: 'UNKNOWN_EXCEPTION',
      message: expect.stringMatching(/jobs\/query failed after 5 attempt/)
    });
    org.faults.clear();
  });
});
