import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { RunCoordinator } from '../run/coordinator';
import type { RunOutcome } from '../run/runner';
import type { ScenarioOutcome } from '../run/scenario';
import { ScenarioCoordinator } from '../run/scenario-coordinator';
import { createApp } from './app';
import { sign, signedBody, signedUrl } from './auth';

// Starts the service on a loopback port: a generous timeout, whatever else the machine runs.
jest.setTimeout(60_000);

const SECRET = 'a-test-secret-that-is-long-enough-for-the-service';
const SCENARIO = 'a0X5g000001AbCdEAK';

describe('POST /scenarios', () => {
  let server: Server;
  let base: string;
  const computed: string[] = [];
  let release: () => void = () => undefined;
  let gate = new Promise<void>((resolve) => (release = resolve));
  const scenarios = new ScenarioCoordinator(async (scenarioId, requestId) => {
    computed.push(`${scenarioId}:${requestId}`);
    await gate;
    return {
      scenarioId,
      status: 'Completed',
      rowsWritten: 4,
      rowsDeleted: 0,
      apiCalls: 6,
      durationMs: 1
    } satisfies ScenarioOutcome;
  });
  const runs = new RunCoordinator(async (runId) => ({ runKey: runId, status: 'Completed' }) as RunOutcome);

  beforeAll(async () => {
    server = createApp(runs, { secret: SECRET, org: 'http://127.0.0.1:1', scenarios }).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    release();
    await scenarios.settled();
    await new Promise((resolve) => server.close(resolve));
  });

  const post = (fields: Record<string, unknown>, signature?: string) => {
    const payload = signedBody(SECRET, 'POST', '/scenarios', fields).body;
    return fetch(`${base}/scenarios`, {
      method: 'POST',
      body: payload,
      headers: { 'content-type': 'application/json', 'x-handoff-signature': signature ?? sign(SECRET, payload) }
    });
  };
  const get = (path: string) => {
    const signed = signedUrl(SECRET, 'GET', path);
    return fetch(`${base}${signed.url}`, {
      headers: { 'x-handoff-signature': signed.headers['x-handoff-signature']! }
    });
  };

  it('answers 202 with the request id, computes once per request id, and joins a waiting request', async () => {
    const first = randomUUID();
    const answer = await post({ scenarioId: SCENARIO, requestId: first });
    expect(answer.status).toBe(202);
    expect(answer.headers.get('location')).toBe(`/scenarios/${first}`);
    expect(await answer.json()).toMatchObject({
      requestId: first,
      scenarioId: SCENARIO,
      replayed: false,
      joined: false
    });

    const replay = await (await post({ scenarioId: SCENARIO, requestId: first })).json();
    expect(replay).toMatchObject({ replayed: true });

    // A second scenario waits behind the first; a request for it meanwhile joins it.
    const other = 'a0X5g000001AbCdXXX';
    const second = randomUUID();
    await post({ scenarioId: other, requestId: second });
    expect(await (await post({ scenarioId: other, requestId: randomUUID() })).json()).toMatchObject({ joined: true });

    release();
    await scenarios.settled();
    expect(computed).toEqual([`${SCENARIO}:${first}`, `${other}:${second}`]);
    expect(await (await get(`/scenarios/${first}`)).json()).toMatchObject({
      status: 'Completed',
      outcome: { rowsWritten: 4 }
    });
    gate = new Promise<void>((resolve) => (release = resolve));
  });

  it.each([
    [{ scenarioId: "a0X' OR Id != '", requestId: randomUUID() }, /scenarioId/],
    [{ scenarioId: SCENARIO, requestId: 'not-a-uuid' }, /requestId/],
    [{ scenarioId: SCENARIO, requestId: randomUUID(), extra: 1 }, /extra|Unrecognized/]
  ])('refuses %j with 400', async (fields, message) => {
    const answer = await post(fields);
    expect(answer.status).toBe(400);
    expect((await answer.json()).message).toMatch(message);
  });

  it('refuses an unsigned request', async () => {
    const answer = await post({ scenarioId: SCENARIO, requestId: randomUUID() }, 'v1=deadbeef');
    expect(answer.status).toBe(401);
  });

  it('answers 404 for an unknown request id', async () => {
    expect((await get(`/scenarios/${randomUUID()}`)).status).toBe(404);
  });
});
