import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLocalOrg, type LocalOrg } from '@handoff/local-org';
import { SalesforceClient } from '../salesforce/client';
import { connect } from '../salesforce/connection';
import { SalesforceError } from '../salesforce/errors';
import { FORECAST_LEASE, LEASE_OBJECT, RunLease, type LeaseOptions } from './lease';

jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/** The run lease against the local org over real HTTP: its unique key, deletes by Id and error codes. */
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
    org.store.query(`SELECT Id, Lease_Key__c, Holder__c, Expires_At__c FROM ${LEASE_OBJECT}`) as {
      Id: string;
      Holder__c: string;
      Expires_At__c: string;
    }[];
  const seedLease = (holder: string, expiresAt: Date) =>
    org.store.seed(LEASE_OBJECT, [
      { Lease_Key__c: FORECAST_LEASE, Holder__c: holder, Expires_At__c: expiresAt.toISOString() }
    ])[0]!;

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
    expect(leases()).toMatchObject([{ Holder__c: 'run-1' }]);

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
    expect(leases()).toMatchObject([{ Holder__c: 'run-2' }]);
  });

  it('gives up after the bounded wait, naming the holder', async () => {
    seedLease('busy-run', new Date(Date.now() + 60_000));
    const waiting = await lease('run-2', { waitMs: 150 });
    const error = await waiting.acquire().catch((caught: unknown) => caught as SalesforceError);
    expect(error).toMatchObject({ errorCode: 'LEASE_UNAVAILABLE' });
    expect((error as Error).message).toMatch(/run busy-run/);
    expect(leases()).toMatchObject([{ Holder__c: 'busy-run' }]);
  });

  it('takes over an expired lease by deleting that record, and of two takers only one wins', async () => {
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
    expect(rows).toEqual([expect.objectContaining({ Id: winner.id, Holder__c: winner.holder })]);
    expect(rows[0]!.Id).not.toBe(expired);
  });

  it('renews by Id, and a run whose lease another run took over learns it lost, to whom', async () => {
    const holder = await lease('run-1', { ttlMs: 60_000 });
    await holder.acquire();
    const before = Date.parse(leases()[0]!.Expires_At__c);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await holder.renew();
    expect(Date.parse(leases()[0]!.Expires_At__c)).toBeGreaterThan(before);

    // Another run took it over (as after an expiry): the record run-1 created is gone, run-2 holds a new one.
    org.store.write([{ kind: 'delete', object: LEASE_OBJECT, id: holder.id! }]);
    seedLease('run-2', new Date(Date.now() + 60_000));
    const error = await holder.renew().catch((caught: unknown) => caught as SalesforceError);
    expect(error).toMatchObject({ errorCode: 'LEASE_LOST' });
    expect((error as Error).message).toMatch(/^lease lost to run run-2/);
    expect(holder.held).toBe(false);
    // Releasing a lost lease never deletes the new holder's record.
    await holder.release();
    expect(leases()).toMatchObject([{ Holder__c: 'run-2' }]);
  });

  it('gives a lease up as lost when it expired before its renewal, even if nobody took it yet', async () => {
    let clock = Date.now();
    const holder = await lease('run-1', { ttlMs: 10_000, marginMs: 2_000, now: () => clock });
    await holder.acquire();
    clock += 8_500; // within the margin of its expiry: another process may be taking it over by its own clock
    await expect(holder.renew()).rejects.toMatchObject({ errorCode: 'LEASE_LOST' });
  });

  it('settles a claim whose answer was lost by reading the lease: held when it names this run', async () => {
    const real = await client();
    let lost = 0;
    // The org saves the lease, then the answer never arrives (as after a connection dropped mid-response).
    const lossy = Object.create(real) as SalesforceClient;
    lossy.request = async <T>(spec: Parameters<SalesforceClient['request']>[0]): Promise<T> => {
      const answer = await real.request<T>(spec);
      if (spec.method === 'POST' && spec.url.endsWith(`/sobjects/${LEASE_OBJECT}`) && lost++ === 0) {
        throw new SalesforceError(`${spec.method} ${spec.url} failed after 1 attempt(s): socket hang up`, 'ECONNRESET');
      }
      return answer;
    };
    const holder = new RunLease(lossy, 'run-1', { pollMs: 20, waitMs: 1_000 });
    expect(await holder.acquire()).toEqual({ holders: [], waitedMs: 0, tookOver: [] });
    expect(lost).toBe(1);
    expect(holder.held).toBe(true);
    expect(leases()).toEqual([expect.objectContaining({ Id: holder.id, Holder__c: 'run-1' })]);

    // A lost answer of a claim that did not win (another run holds the lease) is not taken for a hold.
    await holder.release();
    seedLease('run-2', new Date(Date.now() + 60_000));
    lost = 0;
    const other = new RunLease(lossy, 'run-3', { pollMs: 20, waitMs: 100 });
    await expect(other.acquire()).rejects.toMatchObject({ errorCode: 'LEASE_UNAVAILABLE' });
    expect(leases()).toMatchObject([{ Holder__c: 'run-2' }]);
  });
});
