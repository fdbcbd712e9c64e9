import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLocalOrg, type LocalOrg } from '@handoff/local-org';
import { targetFrom } from '../cli';
import { SalesforceClient, type ClientOptions } from '../salesforce/client';
import { connect } from '../salesforce/connection';
import { upsertRows } from '../salesforce/writer';
import { runForecast, type RunOptions } from './runner';
import { seedSmallFirm } from './testing/small-firm';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const AS_OF = '2026-11-23';

/** Forecast runs against a local org that misbehaves: dropped connections, no answer, expired sessions, bulk faults. */
describe('forecast runs survive real faults', () => {
  let org: LocalOrg;
  let dataDir: string;

  const client = async (options: ClientOptions = {}) =>
    new SalesforceClient(
      await connect({
        kind: 'local',
        instanceUrl: org.url,
        accessToken: org.accessToken,
        refreshToken: org.refreshToken
      }),
      { backoffMs: 5, ...options }
    );
  const run = async (extra: Partial<RunOptions> = {}, options: ClientOptions = {}) =>
    runForecast(await client(options), { trigger: 'Manual', asOf: AS_OF, horizonWeeks: 12, trials: 100, ...extra });
  const ingestJobs = async () => {
    const response = await fetch(`${org.url}/services/data/v66.0/jobs/ingest`, {
      headers: { Authorization: `Bearer ${org.accessToken}` }
    });
    return ((await response.json()) as { records: { id: string; state: string; object: string }[] }).records;
  };

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-faults-'));
    org = await createLocalOrg({ projectRoot: ROOT, dataDir });
  });
  afterAll(async () => {
    org.faults.clear();
    await org.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    org.faults.clear();
    org.reset();
    seedSmallFirm(org.store);
  });

  it('survives connections dropped mid-response on a read and on an upsert: retried, or failed cleanly', () => {
    // In a child process: an error escaping as an unhandled stream 'error' event would end that process.
    const child = spawnSync(
      path.join(ROOT, 'node_modules', '.bin', 'tsx'),
      [path.join(__dirname, 'testing', 'dropped-connection-run.ts')],
      { cwd: ROOT, encoding: 'utf8', timeout: 100_000, env: { ...process.env, NODE_NO_WARNINGS: '1' } }
    );
    expect(child.stderr).not.toMatch(/uncaught|unhandled/i);
    expect(child.status).toBe(0);
    const report = JSON.parse(child.stdout.trim().split('\n').pop()!) as {
      cases: Record<string, { status: string; retries: number; errorCode?: string }>;
      escaped: number;
    };
    expect(report.escaped).toBe(0);
    expect(report.cases.read).toMatchObject({ status: 'Completed', retries: 1 });
    expect(report.cases.upsert).toMatchObject({ status: 'Completed', retries: 1 });
    expect(report.cases.everyRead).toMatchObject({ status: 'Failed', errorCode: 'UND_ERR_SOCKET' });
  });

  it('fails a run against an org that stops answering within its time budget, instead of hanging', async () => {
    org.faults.set({ latencyMs: 3_000 });
    const sf = await client({ timeoutMs: 200, retryBudgetMs: 700, probeTimeoutMs: 200 });
    const started = Date.now();
    const outcome = await runForecast(sf, { trigger: 'Manual', asOf: AS_OF, horizonWeeks: 12, trials: 100 });
    const elapsed = Date.now() - started;
    org.faults.set({ latencyMs: null });
    expect(outcome).toMatchObject({ status: 'Failed', error: { errorCode: 'REQUEST_TIMEOUT' } });
    expect(outcome.error!.message).toMatch(/could not be recorded in Salesforce/);
    // The read: attempts within 700 ms; the failure record: one attempt of 200 ms (the outcome counts it in advance).
    expect(sf.apiCalls).toBe(outcome.apiCalls);
    expect(elapsed).toBeLessThan(1_500);
    await new Promise((resolve) => setTimeout(resolve, 3_200)); // the delayed requests finish server-side
  });

  it('renews a session that expires mid-run with the refresh token npm start leaves for npm run forecast', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-cli-'));
    fs.mkdirSync(path.join(root, '.handoff'));
    fs.writeFileSync(
      path.join(root, '.handoff', 'local-org.json'),
      JSON.stringify({ url: org.url, accessToken: org.accessToken, refreshToken: org.refreshToken })
    );
    const target = targetFrom({}, root);
    fs.rmSync(root, { recursive: true, force: true });
    const outcome = await runForecast(new SalesforceClient(await connect(target), { backoffMs: 5 }), {
      trigger: 'CLI',
      asOf: AS_OF,
      horizonWeeks: 12,
      trials: 100,
      onProgress: (stage) => {
        if (stage === 'compute') org.faults.set({ expireSession: true });
      }
    });
    expect(outcome.error).toBeUndefined();
    expect(outcome.status).toBe('Completed');
  });

  it('sends a bulk job creation again when its answer is lost, and aborts the job the lost answer created', async () => {
    org.faults.set({
      dropConnection: { count: 1, when: 'mid-response', match: { method: 'POST', path: '/jobs/ingest' } }
    });
    const outcome = await run({ bulk: { threshold: 5, pollIntervalMs: 10 } });
    expect(outcome.error).toBeUndefined();
    expect(outcome.status).toBe('Completed');
    const jobs = await ingestJobs();
    expect(jobs.filter((job) => job.state === 'Open')).toEqual([]);
    expect(jobs.filter((job) => job.state === 'Aborted')).toHaveLength(1);
    expect(jobs.find((job) => job.id === outcome.bulkJobId)).toMatchObject({ state: 'JobComplete' });

    org.faults.set({ failNext: { count: 2, status: 503, match: { method: 'POST', path: '/jobs/ingest' } } });
    org.store.seed('Resource__c', [{ Name: 'Finn', Primary_Role__c: 'Developer', Weekly_Capacity_Hours__c: 40 }]);
    const again = await run({ bulk: { threshold: 5, pollIntervalMs: 10 } });
    expect(again).toMatchObject({ status: 'Completed', bulkJobId: expect.stringMatching(/^750/) });
  });

  it('names the failing records of a bulk job with their key and the Salesforce fields of sf__Error', async () => {
    const sf = await client();
    const rows = Array.from({ length: 4 }, (_, index) => ({
      key: `X:Role:Developer:2026-12-0${index + 1}`,
      fields: {
        Slot__c: 'A',
        Dimension__c: 'Role',
        Name__c: 'Developer',
        Week_Start__c: `2026-12-0${index + 1}`,
        // Precision 12, scale 2: ten digits before the point at most.
        Weighted_Hours__c: index >= 2 ? 1e12 : 10
      }
    }));
    await expect(
      upsertRows(sf, 'Capacity_Forecast__c', 'Row_Key__c', rows, { bulkThreshold: 1, pollIntervalMs: 10 })
    ).rejects.toMatchObject({
      errorCode: 'BULK_ROWS_FAILED',
      details: { recordKey: 'X:Role:Developer:2026-12-03', jobId: expect.stringMatching(/^750/) },
      message: expect.stringMatching(
        /2 of 4 rows failed: Capacity_Forecast__c X:Role:Developer:2026-12-03: Weighted_Hours__c: .*valid range.* \(NUMBER_OUTSIDE_VALID_RANGE\); Capacity_Forecast__c X:Role:Developer:2026-12-04: /
      )
    });

    org.faults.set({ bulkIngest: { failAfterRow: 10, mode: 'records', errorCode: 'UNABLE_TO_LOCK_ROW' } });
    const failed = await run({ bulk: { threshold: 5, pollIntervalMs: 10 } });
    expect(failed).toMatchObject({ status: 'Failed', error: { errorCode: 'BULK_ROWS_FAILED' } });
    expect(failed.error!.recordKey).toMatch(/^A:/);
    expect(failed.error!.message).toContain(
      `Capacity_Forecast__c ${failed.error!.recordKey}: An unexpected error occurred while processing the batch (UNABLE_TO_LOCK_ROW)`
    );
  });
});
