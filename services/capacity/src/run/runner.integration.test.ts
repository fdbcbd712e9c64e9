import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLocalOrg, type LocalOrg } from '@handoff/local-org';
import { SalesforceClient } from '../salesforce/client';
import { connect } from '../salesforce/connection';
import { runForecast, type RunOptions } from './runner';

jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const AS_OF = '2026-11-23';

/**
 * Full forecast runs against the local org over real HTTP, through jsforce, with its fault injection.
 * A small firm: 4 developers, 1 trainer, one won engagement and one pipeline deal.
 */
describe('forecast runs against the local org', () => {
  let org: LocalOrg;
  let dataDir: string;

  const client = async () =>
    new SalesforceClient(
      await connect({
        kind: 'local',
        instanceUrl: org.url,
        accessToken: org.accessToken,
        refreshToken: org.refreshToken
      }),
      { backoffMs: 5 }
    );
  const run = async (extra: Partial<RunOptions> = {}) =>
    runForecast(await client(), { trigger: 'Manual', asOf: AS_OF, horizonWeeks: 12, trials: 200, seed: 5, ...extra });
  const runs = () =>
    org.store.query(
      'SELECT Run_Key__c, Status__c, Slot__c, Error__c, Rows_Written__c, API_Calls_Used__c FROM Capacity_Forecast_Run__c'
    );

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-capacity-'));
    org = await createLocalOrg({ projectRoot: ROOT, dataDir });
  });
  afterAll(async () => {
    await org.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    org.reset();
    const people = org.store.seed('Resource__c', [
      ...['Ada', 'Brian', 'Chen', 'Dana'].map((Name) => ({
        Name,
        Primary_Role__c: 'Developer',
        Weekly_Capacity_Hours__c: 40
      })),
      { Name: 'Tess', Primary_Role__c: 'Trainer', Weekly_Capacity_Hours__c: 20, Location__c: 'London' }
    ]);
    org.store.seed('Holiday', [{ Name: '[London] Staff day', ActivityDate: '2026-11-25', IsAllDay: true }]);
    // An early-stage deal (no stage rule, so the automation leaves it alone) with a hand-made pipeline engagement.
    const [deal] = org.store.seed('Opportunity', [
      { Name: 'Maybe rollout', StageName: 'Prospecting', CloseDate: '2026-11-20' }
    ]);
    const [won, pipeline] = org.store.seed('Engagement__c', [
      { Name: 'Won rollout', Status__c: 'Active', Billable__c: true },
      {
        Name: 'Maybe rollout',
        Status__c: 'Pipeline',
        Opportunity_Key__c: deal,
        Win_Probability__c: 50,
        Expected_Start__c: '2026-11-30'
      }
    ]);
    org.store.seed('Resource_Demand__c', [
      {
        Engagement__c: won,
        Role__c: 'Developer',
        Total_Hours__c: 480,
        Start_Date__c: '2026-11-23',
        End_Date__c: '2027-01-01',
        Status__c: 'Open',
        Probability__c: 100
      },
      {
        Engagement__c: pipeline,
        Role__c: 'Developer',
        Total_Hours__c: 400,
        Start_Date__c: '2026-11-30',
        End_Date__c: '2026-12-11',
        Status__c: 'Open',
        Probability__c: 50
      },
      {
        Engagement__c: pipeline,
        Role__c: 'Trainer',
        Total_Hours__c: 40,
        Start_Date__c: '2026-11-30',
        End_Date__c: '2026-12-04',
        Status__c: 'Open',
        Probability__c: 50
      }
    ]);
    org.store.seed('Assignment__c', [
      {
        Engagement__c: won,
        Resource__c: people[0],
        Hours_Per_Week__c: 40,
        Start_Date__c: '2026-11-23',
        End_Date__c: '2027-01-01',
        Booking_Type__c: 'Hard'
      }
    ]);
  });

  it('publishes a complete forecast into a slot, records the run, and stays within the API budget', async () => {
    const outcome = await run();
    expect(outcome).toMatchObject({ status: 'Completed', slot: 'A' });
    const [record] = runs();
    expect(record).toMatchObject({
      Run_Key__c: outcome.runKey,
      Status__c: 'Completed',
      Slot__c: 'A',
      Rows_Written__c: outcome.rowsWritten
    });

    const rows = org.store.query(
      "SELECT Name__c, Week_Start__c, Capacity_Hours__c, Confirmed_Hours__c, Weighted_Hours__c, Exposure_Hours__c, P90_Hours__c FROM Capacity_Forecast__c WHERE Slot__c = 'A' AND Dimension__c = 'Role' AND Name__c IN ('Developer', 'Trainer') ORDER BY Week_Start__c"
    );
    const week = (role: string, monday: string) =>
      rows.find((row) => row.Name__c === role && row.Week_Start__c === monday)!;
    // 80 h/week of won demand plus a 40 h/week hard booking no demand line covers.
    expect(week('Developer', '2026-11-23')).toMatchObject({ Capacity_Hours__c: 160, Confirmed_Hours__c: 120 });
    expect(week('Developer', '2026-11-30')).toMatchObject({
      Confirmed_Hours__c: 120,
      Weighted_Hours__c: 220,
      Exposure_Hours__c: 320
    });
    expect(week('Trainer', '2026-11-23')).toMatchObject({ Capacity_Hours__c: 16 }); // the London staff day
    expect(week('Trainer', '2026-11-30')).toMatchObject({
      Weighted_Hours__c: 20,
      Exposure_Hours__c: 40,
      P90_Hours__c: 40
    });

    const [answer] = org.store.query(
      "SELECT Staffable__c, Short_Roles__c, Earliest_Feasible_Start__c FROM Staffing_Answer__c WHERE Slot__c = 'A'"
    );
    expect(answer).toMatchObject({ Staffable__c: false, Short_Roles__c: 'Developer, Trainer' });

    // Collections take 200 rows a call: the writes cost no more calls than that per object.
    expect(outcome.writeCalls).toBeLessThanOrEqual(3 + Math.floor(outcome.rowsWritten / 200));
    expect(outcome.apiCalls).toBeLessThanOrEqual(Math.ceil(outcome.rowsRead / 2000) + outcome.writeCalls + 5);
    expect(record!.API_Calls_Used__c).toBe(outcome.apiCalls);
    expect(outcome.summary!.notStaffableOnTime).toHaveLength(1);
  });

  it('reads large inputs through Bulk API 2.0 at a cost that does not grow with the rows, to the same forecast', async () => {
    const [won] = org.store.query("SELECT Id FROM Engagement__c WHERE Status__c = 'Active'");
    const [person] = org.store.query("SELECT Id FROM Resource__c WHERE Name = 'Brian'");
    org.store.seed(
      'Assignment__c',
      Array.from({ length: 16_000 }, (_, index) => ({
        Engagement__c: won!.Id,
        Resource__c: person!.Id,
        Hours_Per_Week__c: 0.01,
        Start_Date__c: '2026-11-23',
        End_Date__c: index % 2 ? '2026-12-18' : '2027-01-01',
        Booking_Type__c: index % 3 ? 'Soft' : 'Hard'
      }))
    );
    const rest = await run({ bulk: { readThreshold: Infinity } });
    const bulk = await run({ bulk: { readThreshold: 4_000, pollIntervalMs: 5 } });
    expect([rest.status, bulk.status]).toEqual(['Completed', 'Completed']);
    expect(bulk.counts).toEqual(rest.counts);
    expect(bulk.counts!.assignments).toBe(16_001);
    expect(bulk.summary).toEqual(rest.summary);

    // Calls other than writes: the Composite of first pages, the Role__c describe, the run record (save, Id, final
    // save) and the Composite of the slot as stored: 6. REST adds one call per further 2,000 rows (8 here); Bulk adds
    // a constant for the one large query: create the job, poll it, one results page, describe Assignment__c.
    // (A retry is a call too, but not one the read path chose: a pooled connection the org closed while the rows
    // were seeded can cost one.)
    const readCalls = (outcome: typeof rest) => outcome.apiCalls - outcome.retries - outcome.writeCalls;
    expect(readCalls(rest)).toBeLessThanOrEqual(Math.ceil(rest.rowsRead / 2000) + 5);
    expect(readCalls(rest)).toBeGreaterThanOrEqual(6 + 8);
    expect(readCalls(bulk)).toBeLessThanOrEqual(readCalls(rest) - 8 + 4);
    expect(readCalls(bulk)).toBeLessThan(readCalls(rest));
  });

  it('alternates slots, and writes only rows that changed', async () => {
    const first = await run();
    const second = await run();
    expect([first.slot, second.slot]).toEqual(['A', 'B']);
    const third = await run();
    expect(third.slot).toBe('A');
    expect(third.rowsWritten).toBe(0); // slot A already holds exactly this forecast

    org.store.seed('Resource__c', [{ Name: 'Eve', Primary_Role__c: 'Trainer', Weekly_Capacity_Hours__c: 40 }]);
    const fourth = await run();
    expect(fourth.slot).toBe('B');
    const fifth = await run();
    // Only the Trainer capacity rows (12 weeks) changed against slot A, plus the staffing answer.
    expect(fifth.slot).toBe('A');
    expect(fifth.rowsWritten).toBeGreaterThan(0);
    expect(fifth.rowsWritten).toBeLessThan(first.rowsWritten / 2);
  });

  it('retries 503s, request limits, locked rows and dropped connections, and renews an expired session', async () => {
    org.faults.set({
      failNext: { count: 2, status: 503 },
      requestLimit: { count: 1, status: 403, match: { path: '/describe' } },
      lockRows: { externalIds: ['A:Role:Developer:2026-11-30'], count: 2 },
      // Dropped before the answer (runner.faults.test.ts drops them mid-body): the client retries.
      dropConnection: { count: 1, when: 'before-response', match: { path: '/composite/sobjects' } }
    });
    const outcome = await run();
    expect(outcome.error).toBeUndefined();
    expect(outcome.status).toBe('Completed');
    expect(outcome.retries).toBeGreaterThanOrEqual(5);

    org.faults.set({ expireSession: true });
    const afterExpiry = await run();
    expect(afterExpiry.status).toBe('Completed');
  });

  it('records a failure with its cause and the record concerned, and keeps the previous forecast current', async () => {
    const good = await run();
    org.faults.set({ lockRows: { externalIds: [`B:Role:Trainer:2026-11-30`] } }); // locked on every attempt
    const failed = await run();
    org.faults.clear();
    expect(failed.status).toBe('Failed');
    expect(failed.error).toMatchObject({ errorCode: 'UNABLE_TO_LOCK_ROW', recordKey: 'B:Role:Trainer:2026-11-30' });
    const record = runs().find((row) => row.Run_Key__c === failed.runKey)!;
    expect(record.Status__c).toBe('Failed');
    expect(String(record.Error__c)).toMatch(/UNABLE_TO_LOCK_ROW[\s\S]*B:Role:Trainer:2026-11-30/);

    // Readers still see the last completed run's slot; the next run completes cleanly into the other slot.
    const [current] = org.store.query(
      "SELECT Slot__c FROM Capacity_Forecast_Run__c WHERE Status__c = 'Completed' ORDER BY Finished_At__c DESC LIMIT 1"
    );
    expect(current!.Slot__c).toBe(good.slot);
    const next = await run();
    expect(next).toMatchObject({ status: 'Completed', slot: 'B' });
  });

  it('marks a run killed mid-way as interrupted, and never duplicates rows', async () => {
    org.store.seed('Capacity_Forecast_Run__c', [{ Run_Key__c: 'killed-run', Status__c: 'Running', Slot__c: 'A' }]);
    await run();
    await run();
    const killed = runs().find((row) => row.Run_Key__c === 'killed-run')!;
    expect(killed).toMatchObject({ Status__c: 'Failed' });
    expect(String(killed.Error__c)).toMatch(/Interrupted/);
    const keys = org.store.query('SELECT Row_Key__c FROM Capacity_Forecast__c').map((row) => row.Row_Key__c);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('writes through Bulk API 2.0 above the threshold, and names the job when it fails part-way', async () => {
    const outcome = await run({ bulk: { threshold: 50, pollIntervalMs: 10 } });
    expect(outcome.status).toBe('Completed');
    expect(outcome.bulkJobId).toMatch(/^750/);

    org.faults.set({ bulkIngest: { failAfterRow: 10, mode: 'records' } });
    org.store.seed('Resource__c', [{ Name: 'Finn', Primary_Role__c: 'Developer', Weekly_Capacity_Hours__c: 40 }]);
    const failed = await run({ bulk: { threshold: 5, pollIntervalMs: 10 } });
    org.faults.clear();
    expect(failed.status).toBe('Failed');
    expect(failed.error).toMatchObject({ errorCode: 'BULK_ROWS_FAILED' });
    expect(failed.error!.jobId).toMatch(/^750/);
  });
});
