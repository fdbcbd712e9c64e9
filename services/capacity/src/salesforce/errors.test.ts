import { isTransient } from './errors';
import { SalesforceClient } from './client';
import type { Connection } from 'jsforce';

describe('transient failures', () => {
  it('retries 5xx, 429, request limits, locked rows and dropped connections, not the rest', () => {
    for (const code of [
      'REQUEST_LIMIT_EXCEEDED',
      'UNABLE_TO_LOCK_ROW',
      'ERROR_HTTP_503',
      'ERROR_HTTP_500',
      'ERROR_HTTP_429',
      'ECONNRESET'
    ]) {
      expect(isTransient({ errorCode: code })).toBe(true);
    }
    expect(isTransient(new Error('socket hang up'))).toBe(true);
    for (const code of [
      'INVALID_FIELD',
      'MALFORMED_QUERY',
      'DUPLICATE_VALUE',
      'ERROR_HTTP_400',
      'INVALID_SESSION_ID'
    ]) {
      expect(isTransient({ errorCode: code })).toBe(false);
    }
  });
});

describe('SalesforceClient', () => {
  const fakeConnection = (failures: unknown[]) => {
    const calls: string[] = [];
    const connection = {
      version: '66.0',
      limitInfo: {},
      request: async (request: { method: string; url: string }) => {
        calls.push(`${request.method} ${request.url}`);
        const failure = failures.shift();
        if (failure) throw failure;
        return { ok: true };
      }
    } as unknown as Connection;
    return { connection, calls };
  };
  const sleeps: number[] = [];
  const options = { sleep: async (ms: number) => void sleeps.push(ms), random: () => 0.5 };

  it('retries an idempotent request with jittered exponential backoff, counting every call', async () => {
    const { connection, calls } = fakeConnection([
      { errorCode: 'ERROR_HTTP_503' },
      { errorCode: 'UNABLE_TO_LOCK_ROW' }
    ]);
    const client = new SalesforceClient(connection, options);
    sleeps.length = 0;
    await expect(client.request({ method: 'PATCH', url: '/x', idempotent: true })).resolves.toEqual({ ok: true });
    expect(calls).toHaveLength(3);
    expect(client.apiCalls).toBe(3);
    expect(client.retries).toBe(2);
    expect(sleeps).toEqual([150, 300]);
  });

  it('never retries a request that is not idempotent, and names the errorCode', async () => {
    const { connection, calls } = fakeConnection([{ errorCode: 'ERROR_HTTP_503', message: 'down' }]);
    const client = new SalesforceClient(connection, options);
    await expect(client.request({ method: 'POST', url: '/jobs/ingest', idempotent: false })).rejects.toMatchObject({
      errorCode: 'ERROR_HTTP_503'
    });
    expect(calls).toHaveLength(1);
  });

  it('slows down above 80% of the daily API allowance', async () => {
    const { connection } = fakeConnection([]);
    (connection as unknown as { limitInfo: object }).limitInfo = { apiUsage: { used: 85, limit: 100 } };
    const client = new SalesforceClient(connection, { ...options, slowDownMs: 1234 });
    sleeps.length = 0;
    await client.request({ method: 'GET', url: '/x', idempotent: true });
    expect(sleeps).toEqual([1234]);
    expect(client.usage()).toMatchObject({ used: 85, limit: 100, share: 0.85 });
  });
});
