import type * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProbeServer, Readiness, type ReadyState } from './probes';

jest.setTimeout(30_000);

describe('the probe listener', () => {
  let server: http.Server;
  let base: string;
  let clock: number;
  let calls: number;
  let outcome: () => Promise<void>;
  let changes: ReadyState[];
  let readiness: Readiness;

  const get = async (path: string, method = 'GET') => {
    const response = await fetch(`${base}${path}`, { method });
    return { status: response.status, body: (await response.json()) as Record<string, string> };
  };

  beforeEach(async () => {
    clock = 1_000_000;
    calls = 0;
    changes = [];
    outcome = () => Promise.resolve();
    readiness = new Readiness(
      () => {
        calls++;
        return outcome();
      },
      { ttlMs: 5_000, timeoutMs: 200, now: () => clock, onChange: (state) => changes.push(state) }
    );
    server = createProbeServer(readiness);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers /livez without asking the org', async () => {
    expect(await get('/livez')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(calls).toBe(0);
  });

  it('is ready when the org answered, and asks the org once per few seconds however often it is probed', async () => {
    const answers = await Promise.all([get('/readyz'), get('/readyz'), get('/readyz')]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(await get('/readyz?probe=kubelet')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(calls).toBe(1);
    clock += 5_000;
    await get('/readyz');
    expect(calls).toBe(2);
    expect(changes).toEqual([{ ready: true }]);
  });

  it('answers 503 with the error code only, and becomes ready again once the org answers', async () => {
    outcome = () =>
      Promise.reject(
        Object.assign(new Error('GET https://acme.my.salesforce.com/limits: Session expired for user x'), {
          errorCode: 'INVALID_SESSION_ID'
        })
      );
    const refused = await get('/readyz');
    expect(refused).toEqual({
      status: 503,
      body: { status: 'unavailable', reason: 'the org did not answer GET /limits (INVALID_SESSION_ID)' }
    });
    expect(JSON.stringify(refused.body)).not.toContain('acme');
    outcome = () => Promise.resolve();
    expect((await get('/readyz')).status).toBe(503);
    clock += 5_000;
    expect((await get('/readyz')).status).toBe(200);
    expect(changes.map((state) => state.ready)).toEqual([false, true]);
  });

  it('is not ready when the org does not answer in time', async () => {
    outcome = () => new Promise(() => undefined);
    expect(await get('/readyz')).toEqual({
      status: 503,
      body: { status: 'unavailable', reason: 'the org did not answer GET /limits (REQUEST_TIMEOUT)' }
    });
  });

  it('is not ready once shutting down, whatever the org says', async () => {
    expect((await get('/readyz')).status).toBe(200);
    readiness.shutDown();
    expect(await get('/readyz')).toEqual({ status: 503, body: { status: 'unavailable', reason: 'shutting down' } });
    expect(calls).toBe(1);
  });

  it('serves nothing else', async () => {
    expect(await get('/runs')).toEqual({ status: 404, body: { status: 'not_found' } });
    expect(await get('/healthz')).toEqual({ status: 404, body: { status: 'not_found' } });
    expect(await get('/readyz', 'POST')).toEqual({ status: 405, body: { status: 'method_not_allowed' } });
    expect(calls).toBe(0);
  });
});
