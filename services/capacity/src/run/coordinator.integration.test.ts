import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLocalOrg, type LocalOrg } from '@handoff/local-org';
import { SalesforceClient } from '../salesforce/client';
import { connect } from '../salesforce/connection';
import { RunCoordinator, type RunContext } from './coordinator';
import { OrgRequestLedger } from './ledger';
import { runForecast, type RunTrigger } from './runner';

jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/** Request ids against the local org: a request id accepted once never runs twice, across restarts and replicas. */
describe('run coordinator with request ids recorded in the org', () => {
  let org: LocalOrg;
  let dataDir: string;

  const client = async () =>
    new SalesforceClient(await connect({ kind: 'local', instanceUrl: org.url, accessToken: org.accessToken }), {
      backoffMs: 5
    });
  /** A service process: its own coordinator over the shared org. `hold` keeps its runs waiting until released. */
  const service = (hold = false) => {
    const executed: string[] = [];
    let release: () => void = () => undefined;
    const gate = hold ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve();
    const coordinator = new RunCoordinator(
      async (runId: string, trigger: RunTrigger, { alsoAlive, signal }: RunContext) => {
        executed.push(runId);
        await gate;
        return runForecast(await client(), {
          runKey: runId,
          trigger,
          asOf: '2026-11-23',
          horizonWeeks: 4,
          trials: 50,
          alsoAlive,
          signal
        });
      },
      { ledger: new OrgRequestLedger(client) }
    );
    return { coordinator, executed, release: () => release() };
  };
  const record = (runKey: string) =>
    org.store.query(
      `SELECT Status__c, Served_By__c, Trigger__c FROM Capacity_Forecast_Run__c WHERE Run_Key__c = '${runKey}'`
    )[0];

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-coordinator-'));
    org = await createLocalOrg({ projectRoot: ROOT, dataDir });
  });
  afterAll(async () => {
    await org.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    org.reset();
    org.store.seed('Resource__c', [{ Name: 'Ada', Primary_Role__c: 'Developer', Weekly_Capacity_Hours__c: 40 }]);
  });

  it('records the run Queued at accept time under the request id, and a replay after a restart starts no run', async () => {
    const requestId = randomUUID();
    const first = service();
    const accepted = await first.coordinator.request('Lifecycle Event', requestId);
    expect(accepted).toMatchObject({ run: { runId: requestId }, coalesced: false, replayed: false });
    await first.coordinator.settled();
    expect(first.executed).toEqual([requestId]);
    expect(record(requestId)).toMatchObject({ Status__c: 'Completed', Trigger__c: 'Lifecycle Event' });

    // The service restarted: a new coordinator, the same org. The caller retries the same request.
    const restarted = service();
    const replay = await restarted.coordinator.request('Lifecycle Event', requestId);
    expect(replay).toMatchObject({ run: { runId: requestId, status: 'Completed' }, coalesced: false, replayed: true });
    await restarted.coordinator.settled();
    expect(restarted.executed).toEqual([]);
    expect(org.store.query('SELECT Id FROM Capacity_Forecast_Run__c')).toHaveLength(1);

    // Within one process a replay joins the run in memory.
    expect(await first.coordinator.request('Lifecycle Event', requestId)).toMatchObject({
      run: { runId: requestId, status: 'Completed' },
      replayed: true
    });
  });

  it('records every coalesced request id, naming the run that served it; their replays join that run', async () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const one = service(true);
    expect(await one.coordinator.request('Lifecycle Event', a)).toMatchObject({ run: { status: 'Running' } });
    expect(await one.coordinator.request('Lifecycle Event', b)).toMatchObject({
      run: { runId: b, status: 'Queued' },
      coalesced: false
    });
    expect(await one.coordinator.request('Lifecycle Event', c)).toMatchObject({
      run: { runId: b, status: 'Queued' },
      coalesced: true,
      replayed: false
    });
    expect(record(b)).toMatchObject({ Status__c: 'Queued' });
    expect(record(c)).toMatchObject({ Status__c: 'Coalesced', Served_By__c: b });

    // Another replica gets the coalesced request again while b is still queued in the first one: it joins b.
    const replica = service();
    expect(await replica.coordinator.request('Lifecycle Event', c)).toMatchObject({
      run: { runId: b, status: 'Queued' },
      coalesced: true,
      replayed: true
    });
    expect(await replica.coordinator.request('Lifecycle Event', b)).toMatchObject({
      run: { runId: b },
      replayed: true
    });
    expect(replica.executed).toEqual([]);

    one.release();
    await one.coordinator.settled();
    expect(one.executed).toEqual([a, b]);
    expect(record(b)).toMatchObject({ Status__c: 'Completed' });
    const restarted = service();
    expect(await restarted.coordinator.request('Lifecycle Event', c)).toMatchObject({
      run: { runId: b, status: 'Completed' },
      coalesced: true,
      replayed: true
    });
    expect(restarted.executed).toEqual([]);
    expect(record(c)).toMatchObject({ Status__c: 'Coalesced' });
  });

  it('runs a request id sent twice at once only once', async () => {
    const requestId = randomUUID();
    const one = service();
    const both = await Promise.all([
      one.coordinator.request('Manual', requestId),
      one.coordinator.request('Manual', requestId)
    ]);
    expect(both.map((answer) => answer.replayed)).toEqual([false, true]);
    await one.coordinator.settled();
    expect(one.executed).toEqual([requestId]);
  });
});
