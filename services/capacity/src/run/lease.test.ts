import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLocalOrg, type LocalOrg } from '@handoff/local-org';
import { SalesforceClient } from '../salesforce/client';
import { connect } from '../salesforce/connection';
import { SalesforceError } from '../salesforce/errors';
import { FORECAST_LEASE, generationKey, LEASE_OBJECT, RunLease, type LeaseOptions } from './lease';

jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/** The run lease against the local org over real HTTP: its generations' unique keys, renewals by Id and error codes. */
describe('run lease', () => {
  let org: LocalOrg;
  let dataDir: string;

  const client = async () =>
    new SalesforceClient(await connect({ kind: 'local', instanceUrl: org.url, accessToken: org.accessToken }), {
      backoffMs: 5
    });
  const lease = async (holder: string, options: LeaseOptions = {}) =>
    new RunLease(await client(), holder, { pollMs: 20, waitMs: 2_000, ...options });
  const leases = () =>
    org.store.query(
      `SELECT Id, Lease_Key__c, Holder__c, Expires_At__c, Released__c FROM ${LEASE_OBJECT} ORDER BY Lease_Key__c`
    ) as {
      Id: string;
      Lease_Key__c: string;
      Holder__c: string;
      Expires_At__c: string;
      Released__c: boolean;
    }[];
  const seedLease = (holder: string, expiresAt: Date, generation = 1) =>
    org.store.seed(LEASE_OBJECT, [
      {
        Lease_Key__c: generationKey(FORECAST_LEASE, generation),
        Holder__c: holder,
        Expires_At__c: expiresAt.toISOString()
      }
    ])[0]!;
  /** A client that records every request the lease sends. */
  const recording = async () => {
    const real = await client();
    const sent: Parameters<SalesforceClient['request']>[0][] = [];
    const spy = Object.create(real) as SalesforceClient;
    spy.request = <T>(spec: Parameters<SalesforceClient['request']>[0]): Promise<T> => {
      sent.push(spec);
      return real.request<T>(spec);
    };
    return { spy, sent };
  };

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-lease-'));
    org = await createLocalOrg({ projectRoot: ROOT, dataDir });
  });
  afterAll(async () => {
    await org.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(() => org.reset());

  it('is held by one run at a time: a second claimer waits for the holder, then gets it', async () => {
    const first = await lease('run-1');
    const second = await lease('run-2');
    expect(await first.acquire()).toEqual({ holders: [], waitedMs: 0, tookOver: [] });
    expect(leases()).toMatchObject([{ Lease_Key__c: 'capacity-forecast#0000000001', Holder__c: 'run-1' }]);

    const waitedFor: string[] = [];
    let told: () => void = () => undefined;
    const toldToWait = new Promise<void>((resolve) => (told = resolve));
    const waiting = second.acquire((holder) => {
      waitedFor.push(holder);
      told();
    });
    await toldToWait;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(second.held).toBe(false);
    await first.release();
    const wait = await waiting;
    expect(second.held).toBe(true);
    expect(waitedFor).toEqual(['run-1']);
    expect(wait.holders).toEqual(['run-1']);
    expect(wait.waitedMs).toBeGreaterThanOrEqual(100);
    expect(wait.tookOver).toEqual([]); // released, not expired
    // The next generation, under a key never used before; the released one it replaced is gone.
    expect(leases()).toMatchObject([
      { Lease_Key__c: 'capacity-forecast#0000000002', Holder__c: 'run-2', Released__c: false }
    ]);
  });

  it('gives up after the bounded wait, naming the holder', async () => {
    seedLease('busy-run', new Date(Date.now() + 60_000));
    const waiting = await lease('run-2', { waitMs: 150 });
    const error = await waiting.acquire().catch((caught: unknown) => caught as SalesforceError);
    expect(error).toMatchObject({ errorCode: 'LEASE_UNAVAILABLE' });
    expect((error as Error).message).toMatch(/run busy-run/);
    expect(leases()).toMatchObject([{ Holder__c: 'busy-run' }]);
  });

  it('takes over an expired lease by claiming the next generation, and of two takers only one wins', async () => {
    const expired = seedLease('dead-run', new Date(Date.now() - 1_000));
    const [a, b] = [await lease('taker-a', { waitMs: 300 }), await lease('taker-b', { waitMs: 300 })];
    const results = await Promise.allSettled([a.acquire(), b.acquire()]);
    const won = results.filter((result) => result.status === 'fulfilled');
    expect(won).toHaveLength(1);
    expect((won[0] as PromiseFulfilledResult<{ tookOver: string[] }>).value.tookOver).toEqual(['dead-run']);
    const loser = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
    expect(loser.reason).toMatchObject({ errorCode: 'LEASE_UNAVAILABLE' });
    const winner = a.held ? a : b;
    expect([a.held, b.held].filter(Boolean)).toHaveLength(1);
    const rows = leases();
    expect(rows).toEqual([
      expect.objectContaining({ Id: winner.id, Holder__c: winner.holder, Lease_Key__c: 'capacity-forecast#0000000002' })
    ]);
    expect(rows[0]!.Id).not.toBe(expired);
  });

  it('renews by Id, and a run whose lease another run took over learns it lost, to whom', async () => {
    let clock = Date.now();
    const holder = await lease('run-1', { ttlMs: 60_000, now: () => clock });
    await holder.acquire();
    const before = Date.parse(leases()[0]!.Expires_At__c);
    clock += 5_000; // DateTime fields keep whole seconds: renew far enough on to see the expiry move
    await holder.renew();
    expect(Date.parse(leases()[0]!.Expires_At__c)).toBeGreaterThan(before);

    // Another run took it over (as after an expiry): it created the next generation.
    seedLease('run-2', new Date(Date.now() + 60_000), holder.generation! + 1);
    const error = await holder.renew().catch((caught: unknown) => caught as SalesforceError);
    expect(error).toMatchObject({ errorCode: 'LEASE_LOST' });
    expect((error as Error).message).toMatch(/^lease lost to run run-2/);
    expect(holder.held).toBe(false);
    // Releasing a lost lease never touches the new holder's record.
    await holder.release();
    expect(leases()).toMatchObject([
      { Holder__c: 'run-1', Released__c: false },
      { Holder__c: 'run-2', Released__c: false }
    ]);
  });

  it('learns it lost the lease when the record of its generation was deleted (by the run that replaced it)', async () => {
    const holder = await lease('run-1');
    await holder.acquire();
    org.store.write([{ kind: 'delete', object: LEASE_OBJECT, id: holder.id! }]);
    const error = await holder.renew().catch((caught: unknown) => caught as SalesforceError);
    expect(error).toMatchObject({ errorCode: 'LEASE_LOST' });
    expect((error as Error).message).toMatch(/^lease lost: the lease record this run created was deleted/);
  });

  it('never creates a lease key twice and never deletes the lease it releases: it releases by marking it', async () => {
    const { spy, sent } = await recording();
    for (const run of ['run-1', 'run-2', 'run-3']) {
      const holder = new RunLease(spy, run, { pollMs: 20, waitMs: 1_000 });
      await holder.acquire();
      const held = holder.id!;
      await holder.release();
      expect(leases()).toEqual([expect.objectContaining({ Id: held, Holder__c: run, Released__c: true })]);
      expect(Date.parse(leases()[0]!.Expires_At__c)).toBeLessThanOrEqual(Date.now());
    }
    const created = sent
      .filter((spec) => spec.method === 'POST')
      .map((spec) => (spec.body as { Lease_Key__c: string }).Lease_Key__c);
    expect(created).toEqual([1, 2, 3].map((generation) => generationKey(FORECAST_LEASE, generation)));
    expect(new Set(created).size).toBe(created.length);
    // Only the generation a claim replaced is deleted, after its successor exists.
    expect(sent.filter((spec) => spec.method === 'DELETE')).toHaveLength(2);
  });

  it('waits for a live holder at a few reads a minute: it sleeps until the expiry, at most pollMs', async () => {
    let clock = Math.ceil(Date.now() / 1_000) * 1_000; // whole seconds, as the org keeps DateTime fields
    seedLease('busy-run', new Date(clock + 45_000));
    const slept: number[] = [];
    const { spy, sent } = await recording();
    const waiting = new RunLease(spy, 'run-2', {
      pollMs: 20_000,
      waitMs: 15 * 60_000,
      now: () => clock,
      sleep: async (ms) => {
        slept.push(ms);
        clock += ms;
      }
    });
    const wait = await waiting.acquire();
    expect(slept).toEqual([20_000, 20_000, 5_001]);
    expect(wait).toMatchObject({ holders: ['busy-run'], tookOver: ['busy-run'] });
    // Four reads (one per sleep, one that finds it expired), the claim, and the delete of the replaced generation.
    expect(sent.map((spec) => spec.method)).toEqual(['GET', 'GET', 'GET', 'GET', 'POST', 'DELETE']);
    expect(waiting.calls).toBe(6);
  });

  it('gives a lease up as lost when it expired before its renewal, even if nobody took it yet', async () => {
    let clock = Date.now();
    const holder = await lease('run-1', { ttlMs: 10_000, marginMs: 2_000, now: () => clock });
    await holder.acquire();
    clock += 8_500; // within the margin of its expiry: another process may be taking it over by its own clock
    await expect(holder.renew()).rejects.toMatchObject({ errorCode: 'LEASE_LOST' });
  });

  it('settles a claim whose answer was lost by reading its generation: held when it names this run', async () => {
    const real = await client();
    let lost = 0;
    const rivals: string[] = [];
    // The org answers the create, then the answer never arrives (as after a connection dropped mid-response).
    const lossy = Object.create(real) as SalesforceClient;
    lossy.request = async <T>(spec: Parameters<SalesforceClient['request']>[0]): Promise<T> => {
      const claim = spec.method === 'POST' && spec.url.endsWith(`/sobjects/${LEASE_OBJECT}`) && lost++ === 0;
      // A rival's create of the same generation lands first: this claim then fails, and its answer is lost too.
      if (claim && rivals[0]) seedLease(rivals[0], new Date(Date.now() + 60_000), 2);
      const answer = await real.request<T>(spec).catch((error: unknown) => error);
      if (claim) {
        throw new SalesforceError(`${spec.method} ${spec.url} failed after 1 attempt(s): socket hang up`, 'ECONNRESET');
      }
      if (answer instanceof Error) throw answer;
      return answer as T;
    };
    const holder = new RunLease(lossy, 'run-1', { pollMs: 20, waitMs: 1_000 });
    expect(await holder.acquire()).toEqual({ holders: [], waitedMs: 0, tookOver: [] });
    expect(lost).toBe(1);
    expect(holder.held).toBe(true);
    expect(leases()).toEqual([expect.objectContaining({ Id: holder.id, Holder__c: 'run-1' })]);

    // A lost answer of a claim that did not win (another run created that generation) is not taken for a hold.
    await holder.release();
    lost = 0;
    rivals.push('run-2');
    const other = new RunLease(lossy, 'run-3', { pollMs: 20, waitMs: 100 });
    await expect(other.acquire()).rejects.toMatchObject({ errorCode: 'LEASE_UNAVAILABLE' });
    expect(lost).toBeGreaterThanOrEqual(1);
    expect(leases()).toMatchObject([{ Holder__c: 'run-1', Released__c: true }, { Holder__c: 'run-2' }]);
  });
});
