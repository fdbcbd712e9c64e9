import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLocalOrg, type LocalOrg } from '@handoff/local-org';
import { SalesforceClient } from '../salesforce/client';
import { connect } from '../salesforce/connection';
import { inputQueries } from './inputs';
import { FORECAST_LEASE, generationKey } from './lease';
import { runForecast, type RunOptions } from './runner';
import { seedSmallFirm } from './testing/small-firm';

jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const AS_OF = '2026-11-23';

/**
 * Full forecast runs against the local org over real HTTP, through jsforce, with its fault injection.
 * A small firm: 4 developers, 1 trainer, one won engagement and one pipeline deal.
 */
/** The inputs and the Opportunity history are read five queries to a Composite request. */
const INPUT_COMPOSITES = Math.ceil((Object.keys(inputQueries('2026-01-05', '2026-02-02')).length + 1) / 5);

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
      'SELECT Name, Run_Key__c, Status__c, Slot__c, Error__c, Rows_Written__c, API_Calls_Used__c FROM Capacity_Forecast_Run__c'
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
    seedSmallFirm(org.store);
  });

  it('publishes a complete forecast into a slot, records the run, and stays within the API budget', async () => {
    const outcome = await run({ lease: { heartbeatMs: 600_000 } }); // no heartbeat beats in the count below
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
      'SELECT Staffable__c, Short_Roles__c, Earliest_Feasible_Start__c, Answer_State__c, Planned_Start__c, Start_Basis__c, ' +
        "Start_Shift_Days__c, Shortfall_Hours__c, Over_Committed_Hours__c, Horizon_End__c FROM Staffing_Answer__c WHERE Slot__c = 'A'"
    );
    // Developer: 200 h/week of the deal where 160 - 120 = 40 h are free, two weeks: 320 h. Trainer: 40 h where 20 h
    // are free: 20 h. Nothing was over capacity before the deal.
    expect(answer).toMatchObject({
      Staffable__c: false,
      Short_Roles__c: 'Developer, Trainer',
      Answer_State__c: 'Short',
      Planned_Start__c: '2026-11-30',
      Start_Basis__c: 'Expected_Start',
      Start_Shift_Days__c: 0,
      Shortfall_Hours__c: 340,
      Over_Committed_Hours__c: 0,
      Horizon_End__c: '2027-02-14'
    });

    // Collections take 200 rows a call: the writes cost no more calls than that per object.
    expect(outcome.writeCalls).toBeLessThanOrEqual(3 + Math.floor(outcome.rowsWritten / 200));
    // The lease: the read and the claim, the run saying it is alive, a check (read, then renew) before each of the
    // three write phases and before publishing, the release.
    expect(outcome.leaseCalls).toBe(12);
    // Reads: the input queries, five to a Composite (Salesforce allows no more queries in one), the Role__c describe,
    // the run record (save, Id, final save), the slot as stored; then a call per further 2,000 rows.
    expect(outcome.apiCalls).toBeLessThanOrEqual(
      Math.ceil(outcome.rowsRead / 2000) + outcome.writeCalls + outcome.leaseCalls! + INPUT_COMPOSITES + 4
    );
    expect(record!.API_Calls_Used__c).toBe(outcome.apiCalls);
    expect(outcome.summary!.notStaffableOnTime).toHaveLength(1);
    // The run is named as Salesforce names it: the record's auto-number, read with its Id.
    expect(outcome.runName).toMatch(/^RUN-\d{6}$/);
    expect(outcome.runName).toBe(record!.Name);
    // The lease went back to the org once the run published.
    // Given back: no live lease is left (released generations stay until the next claim deletes them).
    expect(org.store.query('SELECT Id FROM Capacity_Run_Lease__c WHERE Released__c = false')).toEqual([]);
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

    // Calls other than writes and the lease: the Composites of first pages (five queries each at most), the Role__c
    // describe, the run record (save, Id, final save) and the Composite of the slot as stored. REST adds one call per further 2,000 rows (8 here);
    // Bulk adds a constant for the one large query: create the job, poll it, one results page, describe Assignment__c.
    // (A retry is a call too, but not one the read path chose: a pooled connection the org closed while the rows
    // were seeded can cost one.)
    const readCalls = (outcome: typeof rest) =>
      outcome.apiCalls - outcome.retries - outcome.writeCalls - outcome.leaseCalls!;
    // The lease's own calls (read and claim, alive, four checks of two calls, release, and the delete of the
    // generation a claim replaced), plus a heartbeat (three calls) per 15 s a slow machine takes.
    for (const outcome of [rest, bulk]) {
      expect(outcome.leaseCalls).toBeGreaterThanOrEqual(12);
      expect(outcome.leaseCalls).toBeLessThanOrEqual(13 + 3 * Math.floor(outcome.durationMs / 15_000));
    }
    expect(readCalls(rest)).toBeLessThanOrEqual(Math.ceil(rest.rowsRead / 2000) + INPUT_COMPOSITES + 4);
    expect(readCalls(rest)).toBeGreaterThanOrEqual(INPUT_COMPOSITES + 5 + 8);
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

  it('stops without publishing when another run took its lease over, and says to whom it lost it', async () => {
    const good = await run();
    const written = org.store.query('SELECT Id FROM Capacity_Forecast__c').length;
    const lost = await run({
      onProgress: (stage) => {
        if (stage !== 'compute') return;
        // Another process took the lease over (as after an expiry): other-run holds the next generation.
        const [held] = org.store.query(
          'SELECT Lease_Key__c FROM Capacity_Run_Lease__c ORDER BY Lease_Key__c DESC LIMIT 1'
        );
        const generation = Number(String(held!.Lease_Key__c).split('#')[1]);
        org.store.seed('Capacity_Run_Lease__c', [
          {
            Lease_Key__c: generationKey(FORECAST_LEASE, generation + 1),
            Holder__c: 'other-run',
            Expires_At__c: new Date(Date.now() + 60_000).toISOString()
          }
        ]);
      }
    });
    expect(lost).toMatchObject({ status: 'Failed', rowsWritten: 0, error: { errorCode: 'LEASE_LOST' } });
    expect(lost.error!.message).toMatch(/^lease lost to run other-run/);
    const record = runs().find((row) => row.Run_Key__c === lost.runKey)!;
    expect(record.Status__c).toBe('Failed');
    expect(String(record.Error__c)).toMatch(/LEASE_LOST: lease lost to run other-run[\s\S]*published nothing/);
    expect(org.store.query('SELECT Id FROM Capacity_Forecast__c')).toHaveLength(written);
    const [current] = org.store.query(
      "SELECT Run_Key__c, Slot__c FROM Capacity_Forecast_Run__c WHERE Status__c = 'Completed' ORDER BY Finished_At__c DESC LIMIT 1"
    );
    expect(current).toMatchObject({ Run_Key__c: good.runKey, Slot__c: good.slot });
    // The new holder's lease is left alone: it is still the highest generation, live.
    expect(
      org.store.query('SELECT Holder__c, Released__c FROM Capacity_Run_Lease__c ORDER BY Lease_Key__c DESC LIMIT 1')
    ).toEqual([expect.objectContaining({ Holder__c: 'other-run', Released__c: false })]);
  });

  it('reads working days: a part-timer works their own days, and a firm holiday on a day off costs them nothing', async () => {
    org.store.seed('Resource__c', [
      {
        Name: 'Pat',
        Primary_Role__c: 'Trainer',
        Weekly_Capacity_Hours__c: 24,
        Working_Days__c: 'Monday;Tuesday;Wednesday'
      }
    ]);
    org.store.seed('Holiday', [{ Name: 'Firm day', ActivityDate: '2026-12-03', IsAllDay: true }]); // a Thursday
    expect(await run()).toMatchObject({ status: 'Completed' });
    const [week] = org.store.query(
      "SELECT Capacity_Hours__c FROM Capacity_Forecast__c WHERE Slot__c = 'A' AND Dimension__c = 'Role' AND Name__c = 'Trainer' AND Week_Start__c = 2026-11-30"
    );
    // Tess 20 h less the firm day (4 h) plus Pat's 24 h (Monday to Wednesday, 8 h a day).
    expect(week!.Capacity_Hours__c).toBe(40);
  });

  it('refuses an implausible row before writing anything, and keeps the previous forecast current', async () => {
    const good = await run();
    expect(good.status).toBe('Completed');
    const published = () => ({
      forecast: org.store.query(
        'SELECT Id, Row_Key__c, Capacity_Hours__c, Confirmed_Hours__c, Weighted_Hours__c, P90_Hours__c, LastModifiedDate FROM Capacity_Forecast__c ORDER BY Row_Key__c'
      ),
      answers: org.store.query(
        'SELECT Id, Answer_Key__c, Shortfall_Hours__c, LastModifiedDate FROM Staffing_Answer__c ORDER BY Answer_Key__c'
      )
    });
    const before = published();
    const [engagement] = org.store.query("SELECT Id FROM Engagement__c WHERE Status__c = 'Pipeline'");
    // 50,000 hours on one line: a typo, not demand.
    const [bad] = org.store.seed('Resource_Demand__c', [
      {
        Engagement__c: engagement!.Id,
        Role__c: 'Developer',
        Total_Hours__c: 50_000,
        Start_Date__c: '2026-11-30',
        End_Date__c: '2026-12-11',
        Status__c: 'Open',
        Probability__c: 50
      }
    ]);

    const failed = await run();
    expect(failed.status).toBe('Failed');
    expect(failed.rowsWritten).toBe(0);
    expect(failed.error!.message).toBe(
      `Resource_Demand__c ${bad}: Total_Hours__c 50000 is more than 10000 hours for one demand line`
    );
    const record = runs().find((row) => row.Run_Key__c === failed.runKey)!;
    expect(record.Status__c).toBe('Failed');
    expect(String(record.Error__c)).toContain(`Resource_Demand__c ${bad}: Total_Hours__c`);
    const [current] = org.store.query(
      "SELECT Run_Key__c, Slot__c FROM Capacity_Forecast_Run__c WHERE Status__c = 'Completed' ORDER BY Finished_At__c DESC LIMIT 1"
    );
    expect(current).toMatchObject({ Run_Key__c: good.runKey, Slot__c: good.slot });
    expect(published()).toEqual(before);
  });

  it('keeps its lease and its queued follow-up alive with a heartbeat while a phase outlasts the lease', async () => {
    const longAgo = new Date(Date.now() - 3_600_000).toISOString();
    org.store.seed('Capacity_Forecast_Run__c', [
      { Run_Key__c: 'queued-here', Status__c: 'Queued', Heartbeat_At__c: longAgo }
    ]);
    // Every call takes 400 ms: reading the inputs (five calls or more) outlasts the 1.5 s a 2 s lease may go without
    // a renewal; a heartbeat renews it every 50 ms, or as soon as its previous beat (two calls) is done.
    org.faults.set({ latencyMs: 400 });
    const started = Date.now();
    const outcome = await run({
      lease: { ttlMs: 2_000, marginMs: 500, heartbeatMs: 50 },
      alsoAlive: () => ['queued-here']
    });
    org.faults.clear();
    expect(outcome.error).toBeUndefined();
    expect(outcome.status).toBe('Completed');
    const queued = org.store.query(
      "SELECT Status__c, Heartbeat_At__c FROM Capacity_Forecast_Run__c WHERE Run_Key__c = 'queued-here'"
    )[0]!;
    expect(queued.Status__c).toBe('Queued');
    expect(Date.parse(String(queued.Heartbeat_At__c))).toBeGreaterThanOrEqual(started);
  });

  it('marks a run killed mid-way as interrupted, never a live one, and never duplicates rows', async () => {
    const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    org.store.seed('Capacity_Forecast_Run__c', [
      { Run_Key__c: 'killed-run', Status__c: 'Running', Slot__c: 'A' },
      { Run_Key__c: 'stopped-beating', Status__c: 'Queued', Heartbeat_At__c: minutesAgo(5) },
      // Alive in another process: its heartbeat is younger than the lease's TTL (60 s).
      { Run_Key__c: 'alive-elsewhere', Status__c: 'Queued', Heartbeat_At__c: minutesAgo(0.2) }
    ]);
    await run();
    await run();
    const killed = runs().find((row) => row.Run_Key__c === 'killed-run')!;
    expect(killed).toMatchObject({ Status__c: 'Failed' });
    expect(String(killed.Error__c)).toMatch(/Interrupted/);
    expect(runs().find((row) => row.Run_Key__c === 'stopped-beating')).toMatchObject({ Status__c: 'Failed' });
    expect(runs().find((row) => row.Run_Key__c === 'alive-elsewhere')).toMatchObject({
      Status__c: 'Queued',
      Error__c: null
    });
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
