import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { RunCoordinator } from '../run/coordinator';
import type { RunOutcome } from '../run/runner';
import { createApp } from './app';
import { sign } from './auth';

const SECRET = 'a-test-secret-of-some-length';

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

  let nonce = 0;
  const body = (extra: object = {}) =>
    JSON.stringify({ requestedAt: new Date().toISOString(), nonce: `nonce-${++nonce}-${Date.now()}`, ...extra });
  const post = (payload: string, signature = sign(SECRET, payload)) =>
    fetch(`${base}/runs`, {
      method: 'POST',
      body: payload,
      headers: { 'content-type': 'application/json', 'x-handoff-signature': signature }
    });
  const get = (path: string, signature?: string) => {
    const url = `${path}${path.includes('?') ? '&' : '?'}requestedAt=${encodeURIComponent(new Date().toISOString())}&nonce=get-${++nonce}-${Date.now()}`;
    return fetch(`${base}${url}`, { headers: { 'x-handoff-signature': signature ?? sign(SECRET, `GET ${url}`) } });
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
    expect((await post(body(), 'f'.repeat(64))).status).toBe(401);
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
    expect((await get('/runs/unknown')).status).toBe(404);
  });
});
