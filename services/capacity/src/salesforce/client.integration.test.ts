import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLocalOrg, type LocalOrg } from '@handoff/local-org';
import { SalesforceClient, type ClientOptions } from './client';
import { connect } from './connection';

jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/** The client's transport against the local org over real HTTP, with its fault switchboard. */
describe('SalesforceClient against the local org', () => {
  let org: LocalOrg;
  let dataDir: string;
  const sleeps: number[] = [];
  const client = async (options: ClientOptions = {}, refresh = true) =>
    new SalesforceClient(
      await connect({
        kind: 'local',
        instanceUrl: org.url,
        accessToken: org.accessToken,
        refreshToken: refresh ? org.refreshToken : undefined
      }),
      { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5, ...options }
    );
  const read = { method: 'GET', url: '/query?q=SELECT+Id+FROM+Account', idempotent: true } as const;
  const upsert = {
    method: 'PATCH',
    url: '/sobjects/Account/Id',
    body: { Name: 'x' },
    idempotent: true
  } as const;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-client-'));
    org = await createLocalOrg({ projectRoot: ROOT, dataDir });
  });
  afterAll(async () => {
    org.faults.clear();
    await org.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    org.faults.clear();
    org.apiUsage.max = 100_000;
    sleeps.length = 0;
  });

  it('retries an idempotent request with jittered exponential backoff, counting every call', async () => {
    org.faults.set({ failNext: { count: 2, status: 503, match: { path: '/query' } } });
    const sf = await client();
    await expect(sf.request(read)).resolves.toMatchObject({ totalSize: 0, done: true });
    expect(sf.apiCalls).toBe(3);
    expect(sf.retries).toBe(2);
    expect(sleeps).toEqual([150, 300]);
  });

  it('never retries a request that is not idempotent, and names the errorCode Salesforce gave', async () => {
    org.faults.set({ failNext: { count: 1, status: 500 } });
    const sf = await client();
    await expect(
      sf.request({ method: 'POST', url: '/sobjects/Account', body: { Name: 'Acme' }, idempotent: false })
    ).rejects.toMatchObject({ errorCode: 'UNKNOWN_EXCEPTION', details: { status: 500 } });
    expect(sf.apiCalls).toBe(1);
  });

  it('slows down above 80% of the daily API allowance, read from Sforce-Limit-Info', async () => {
    org.apiUsage.used = 0;
    org.apiUsage.max = 10;
    const sf = await client({ slowDownMs: 1234 });
    for (let call = 0; call < 10; call++) await sf.request(read);
    expect(sf.usage()).toMatchObject({ used: 10, limit: 10, share: 1 });
    expect(sleeps).toEqual([1234]); // only the tenth call was sent above 80% (the ninth answer said 9/10)
  });

  it('turns a connection dropped mid-body into a retry of a read, or an error of a request that is not idempotent', async () => {
    org.faults.set({ dropConnection: { count: 1, when: 'mid-response', match: { path: '/query' } } });
    const sf = await client();
    await expect(sf.request(read)).resolves.toMatchObject({ done: true });
    expect(sf.retries).toBe(1);

    org.faults.set({ dropConnection: { count: 1, when: 'mid-response', match: { method: 'POST' } } });
    await expect(
      sf.request({ method: 'POST', url: '/sobjects/Account', body: { Name: 'Acme' }, idempotent: false })
    ).rejects.toMatchObject({ errorCode: 'UND_ERR_SOCKET', message: expect.stringMatching(/terminated/) });
  });

  it('abandons an attempt with no complete answer in time, and bounds a request and the next one in time', async () => {
    org.faults.set({ latencyMs: 1_000 });
    const sf = await client({
      timeoutMs: 150,
      retryBudgetMs: 500,
      probeTimeoutMs: 100,
      sleep: undefined,
      backoffMs: 20
    });
    let started = Date.now();
    await expect(sf.request(upsert)).rejects.toMatchObject({ errorCode: 'REQUEST_TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(900);
    expect(sf.apiCalls).toBeGreaterThanOrEqual(2); // retried within the budget
    const callsBefore = sf.apiCalls;
    // The org did not answer at all: the next request gets one short attempt, not a new round of retries.
    started = Date.now();
    await expect(sf.request(read)).rejects.toMatchObject({ errorCode: 'REQUEST_TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(400);
    expect(sf.apiCalls).toBe(callsBefore + 1);
    org.faults.set({ latencyMs: null });
    // An answer closes the circuit: retries are back.
    await expect(sf.request(read)).resolves.toMatchObject({ done: true });
    org.faults.set({ failNext: { count: 1, status: 503 } });
    await expect(sf.request(read)).resolves.toMatchObject({ done: true });
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // let the delayed requests finish server-side
  });

  it('renews an expired session once through the refresh token and sends the request again', async () => {
    const sf = await client();
    await sf.request(read);
    org.faults.set({ expireSession: true });
    await expect(sf.request(read)).resolves.toMatchObject({ done: true });
    expect(sf.apiCalls).toBe(3); // the 401 and the request sent again
    expect(sf.connection.accessToken).toBe(org.accessToken);

    const withoutRefresh = await client({}, false);
    org.faults.set({ expireSession: true });
    await expect(withoutRefresh.request(read)).rejects.toMatchObject({ errorCode: 'INVALID_SESSION_ID' });
    expect(withoutRefresh.apiCalls).toBe(1);
  });
});
