import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { RunCoordinator } from '../run/coordinator';
import type { RunOutcome } from '../run/runner';
import { createApp } from './app';
import { randomUUID } from 'node:crypto';
import { checkSecret, hmacAuth, sign, signedBody, signedUrl } from './auth';

// Starts the service on a loopback port: a generous timeout, whatever else the machine runs.
jest.setTimeout(60_000);

const SECRET = 'a-test-secret-that-is-long-enough-for-the-service';

describe('capacity service HTTP API', () => {
  let server: Server;
  let base: string;
  let release: () => void = () => undefined;
  let holding = true;
  const started: string[] = [];
  const coordinator = new RunCoordinator(async (runId) => {
    started.push(runId);
    if (holding) await new Promise<void>((resolve) => (release = resolve));
    return {
      runKey: runId,
      status: 'Completed',
      rowsRead: 0,
      rowsWritten: 0,
      rowsDeleted: 0,
      apiCalls: 3,
      writeCalls: 0,
      retries: 0,
      durationMs: 1
    } satisfies RunOutcome;
  });

  beforeAll(async () => {
    server = createApp(coordinator, { secret: SECRET, org: 'http://127.0.0.1:1' }).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    holding = false;
    release();
    await coordinator.settled();
    await new Promise((resolve) => server.close(resolve));
  });

  const body = (extra: object = {}) => signedBody(SECRET, 'POST', '/runs', { requestId: randomUUID(), ...extra }).body;
  const post = (payload: string, signature = sign(SECRET, payload), path = '/runs') =>
    fetch(`${base}${path}`, {
      method: 'POST',
      body: payload,
      headers: { 'content-type': 'application/json', 'x-handoff-signature': signature }
    });
  const get = (path: string, signature?: string) => {
    const signed = signedUrl(SECRET, 'GET', path);
    return fetch(`${base}${signed.url}`, {
      headers: { 'x-handoff-signature': signature ?? signed.headers['x-handoff-signature']! }
    });
  };
  /** An error answer is JSON with a code and a message, and says nothing about the code that produced it. */
  const expectCleanError = async (response: Response, status: number) => {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: expect.any(String), message: expect.any(String) });
    expect(text).not.toMatch(/\bat \S+ \(|node_modules|\/work\/|\.ts:\d+/);
  };

  it('answers 202 with a run id, and coalesces a burst of requests into one queued run', async () => {
    const first = await post(body({ reason: 'Lifecycle Event', eventCount: 200 }));
    expect(first.status).toBe(202);
    const running = (await first.json()) as { runId: string; status: string; coalesced: boolean };
    expect(running).toMatchObject({ status: 'Running', coalesced: false, replayed: false });
    expect(first.headers.get('location')).toBe(`/runs/${running.runId}`);

    const queued = (await (await post(body({ reason: 'Lifecycle Event' }))).json()) as {
      runId: string;
      status: string;
      coalesced: boolean;
    };
    const joined = (await (await post(body({ reason: 'Lifecycle Event' }))).json()) as {
      runId: string;
      status: string;
      coalesced: boolean;
    };
    expect(queued).toMatchObject({ status: 'Queued', coalesced: false, replayed: false });
    expect(joined).toEqual({ runId: queued.runId, status: 'Queued', coalesced: true, replayed: false });
    expect(started).toEqual([running.runId]);

    holding = false;
    release();
    await coordinator.settled();
    expect(started).toEqual([running.runId, queued.runId]);
    const status = (await (await get(`/runs/${running.runId}`)).json()) as {
      status: string;
      outcome: { apiCalls: number };
    };
    expect(status).toMatchObject({ status: 'Completed', outcome: { apiCalls: 3 } });
  });

  it('refuses a wrong signature, a replayed nonce, a stale request and an unsigned GET', async () => {
    await expectCleanError(await post(body(), 'f'.repeat(64)), 401);
    const once = body();
    expect((await post(once)).status).toBe(202);
    expect((await post(once)).status).toBe(401);
    expect((await post(body({ requestedAt: '2020-01-01T00:00:00Z' }))).status).toBe(401);
    expect((await get('/healthz', 'nope')).status).toBe(401);
    expect((await fetch(`${base}/healthz`)).status).toBe(401);
    const health = await get('/healthz');
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
  });

  it('answers a request id it has seen with the run it got, replayed, and starts nothing', async () => {
    const requestId = '7b0c6f4e-5a53-4d3e-9a38-0f4f3c1d2e10';
    const first = (await (await post(body({ reason: 'Manual', requestId }))).json()) as { runId: string };
    await coordinator.settled();
    const count = started.length;
    const again = await post(body({ reason: 'Manual', requestId }));
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual({ runId: first.runId, status: 'Completed', coalesced: false, replayed: true });
    expect(started).toHaveLength(count);
  });

  it('validates the request body at the edge', async () => {
    const response = await post(body({ reason: 'Because' }));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(/reason/);
    const badId = await post(body({ requestId: 'not-a-uuid' }));
    expect(badId.status).toBe(400);
    expect(((await badId.json()) as { message: string }).message).toMatch(/requestId/);
    const missingId = signedBody(SECRET, 'POST', '/runs').body;
    expect(((await (await post(missingId)).json()) as { message: string }).message).toMatch(/requestId/);
    await expectCleanError(await get('/runs/unknown'), 404);
    await expectCleanError(await get('/no-such-endpoint'), 404);
  });

  it('answers malformed requests with JSON errors, never a stack trace', async () => {
    // A signature that is not 64 hex characters: same length in characters, more in bytes, and not hex at all.
    await expectCleanError(await post(body(), 'é'.repeat(64)), 401);
    await expectCleanError(await post(body(), 'z'.repeat(64)), 401);
    await expectCleanError(await post(body(), 'abc'), 401);
    await expectCleanError(await post(body(), ''), 401);
    // Signed bodies that are JSON but not an object.
    await expectCleanError(await post('null'), 400);
    await expectCleanError(await post('[1,2]'), 400);
    await expectCleanError(await post('7'), 400);
    await expectCleanError(await post('{"method":'), 400);
    // Larger than the limit, signed or not.
    const large = JSON.stringify({ padding: 'x'.repeat(70_000) });
    await expectCleanError(await post(large), 413);
    // A path with an escape that does not decode.
    await expectCleanError(await get('/runs/%E0%A4%A'), 400);
  });

  it('signs the method and the path with the body: a body signed for one endpoint is refused at another', async () => {
    const forElsewhere = signedBody(SECRET, 'POST', '/elsewhere', { requestId: randomUUID() }).body;
    await expectCleanError(await post(forElsewhere), 401);
    const forRuns = body();
    await expectCleanError(await post(forRuns, sign(SECRET, forRuns), '/runs/x'), 401);
    // A GET signed for one path does not open another.
    const signed = signedUrl(SECRET, 'GET', '/healthz');
    const moved = signed.url.replace('/healthz', '/runs/abc');
    await expectCleanError(
      await fetch(`${base}${moved}`, { headers: { 'x-handoff-signature': signed.headers['x-handoff-signature']! } }),
      401
    );
  });

  it('refuses a secret that is short or blank at start', () => {
    expect(() => checkSecret(undefined)).toThrow('HANDOFF_SERVICE_SECRET is not set');
    expect(() => checkSecret(' '.repeat(40))).toThrow('HANDOFF_SERVICE_SECRET is not set (or is blank)');
    expect(() => checkSecret('x'.repeat(31))).toThrow('at least 32 characters (it has 31)');
    expect(() => checkSecret(`${'x'.repeat(20)}${' '.repeat(20)}`)).toThrow('at least 32 characters (it has 20)');
    expect(() => hmacAuth('short')).toThrow(/at least 32/);
    expect(checkSecret('k'.repeat(32))).toBe('k'.repeat(32));
  });
});
