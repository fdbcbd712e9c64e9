import type { Connection } from 'jsforce';
import { rejection as rejectionOf, startTestOrg, type TestOrg } from '../testing/test-org';

jest.setTimeout(60_000);

interface JsforceError extends Error {
  errorCode?: string;
}

const rejection = (promise: PromiseLike<unknown>) => rejectionOf<JsforceError>(promise);

describe('fault injection', () => {
  let test: TestOrg;
  let conn: Connection;
  const api = (path: string, init: RequestInit = {}) => test.api(path, init);

  beforeAll(async () => {
    test = await startTestOrg();
  });
  afterAll(() => test.close());
  beforeEach(() => {
    test.org.reset();
    conn = test.connection();
  });

  it('delays every API request by latencyMs', async () => {
    test.org.faults.set({ latencyMs: 150 });
    const started = Date.now();
    await conn.query('SELECT Id FROM Account');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    test.org.faults.set({ latencyMs: null });
    expect(test.org.faults.get()).toEqual({});
  });

  it('fails the next N requests with 503 or 500, then recovers', async () => {
    test.org.faults.set({ failNext: { count: 1, status: 503 } });
    const first = await api('/limits');
    expect(first.status).toBe(503);
    expect(await first.json()).toEqual([
      { message: 'Server temporarily unavailable', errorCode: 'SERVER_UNAVAILABLE' }
    ]);
    expect((await api('/limits')).status).toBe(200);

    // jsforce retries GET (not POST) on 5xx and 429, so a short outage is invisible to a query...
    test.org.faults.set({ failNext: { count: 2, status: 503 } });
    expect((await conn.query('SELECT Id FROM Account')).totalSize).toBe(0);
    expect(test.org.faults.get()).toEqual({});

    // ...but a create fails at once: POST is not safe to repeat.
    test.org.faults.set({ failNext: { count: 1, status: 500, match: { method: 'POST', path: '/sobjects/Account' } } });
    expect((await api('/limits')).status).toBe(200);
    const error = await rejection(conn.sobject('Account').create({ Name: 'Acme' }));
    expect(error.errorCode).toBe('UNKNOWN_EXCEPTION');
    expect(error.message).toMatch(/^An unexpected error occurred. Please include this ErrorId/);
    expect((await conn.query('SELECT Id FROM Account')).totalSize).toBe(0);
  });

  it('answers REQUEST_LIMIT_EXCEEDED with 403, or 429 with Retry-After', async () => {
    test.org.faults.set({ requestLimit: { count: 1 } });
    const limited = await api('/limits');
    expect(limited.status).toBe(403);
    expect(await limited.json()).toEqual([
      { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }
    ]);
    test.org.faults.set({ requestLimit: { count: 1, status: 429 } });
    const throttled = await api('/limits');
    expect([throttled.status, throttled.headers.get('retry-after')]).toEqual([429, '1']);
    expect((await api('/limits')).status).toBe(200);
  });

  it('enforces the daily API request limit', async () => {
    test.org.apiUsage.max = test.org.apiUsage.used + 1;
    expect((await api('/limits')).status).toBe(200);
    const over = await api('/limits');
    expect(over.status).toBe(403);
    expect(over.headers.get('sforce-limit-info')).toBe(`api-usage=${test.org.apiUsage.max}/${test.org.apiUsage.max}`);
    expect(((await rejection(conn.query('SELECT Id FROM Account'))) as JsforceError).errorCode).toBe(
      'REQUEST_LIMIT_EXCEEDED'
    );
    test.org.apiUsage.max = 100_000;
  });

  it('fails writes to locked records with UNABLE_TO_LOCK_ROW, per record in collections', async () => {
    const [locked, free] = test.org.store.seed('Project__c', [{ Name: 'locked' }, { Name: 'free' }]);
    test.org.faults.set({ lockRows: { ids: [locked!.slice(0, 15)], externalIds: ['KEY-9'] } });
    const single = await api(`/sobjects/Project__c/${locked}`, {
      method: 'PATCH',
      body: JSON.stringify({ Name: 'x' })
    });
    expect(single.status).toBe(400);
    expect(await single.json()).toEqual([
      {
        message: `unable to obtain exclusive access to this record or 1 records: ${locked}`,
        errorCode: 'UNABLE_TO_LOCK_ROW',
        fields: []
      }
    ]);
    const results = await conn.sobject('Project__c').update([
      { Id: locked!, Name: 'x' },
      { Id: free!, Name: 'y' }
    ]);
    const codes = (list: { success: boolean; errors: unknown[] }[]) =>
      list.map((result) => [result.success, (result.errors[0] as { statusCode?: string } | undefined)?.statusCode]);
    expect(codes(results)).toEqual([
      [false, 'UNABLE_TO_LOCK_ROW'],
      [true, undefined]
    ]);
    const upsert = await conn.sobject('Project__c').upsert([{ Project_Key__c: 'KEY-9', Name: 'k' }], 'Project_Key__c');
    expect(codes(upsert)).toEqual([[false, 'UNABLE_TO_LOCK_ROW']]);

    test.org.faults.set({ lockRows: { ids: [free!], count: 1 } });
    expect((await conn.sobject('Project__c').update([{ Id: free!, Name: 'retry' }]))[0]!.success).toBe(false);
    expect((await conn.sobject('Project__c').update([{ Id: free!, Name: 'retry' }]))[0]!.success).toBe(true);
  });

  it('drops the connection before the response, or mid-response after the write committed', async () => {
    test.org.faults.set({ dropConnection: { count: 1, when: 'before-response', match: { method: 'POST' } } });
    const error = await rejection(conn.sobject('Account').create({ Name: 'Never sent' }));
    expect(error.errorCode).toBeUndefined();
    expect(test.org.store.query("SELECT Name FROM Account WHERE Name = 'Never sent'")).toHaveLength(0);

    // Mid-response: the handler ran and committed, then the body was cut. (jsforce 3.10 cannot surface this case:
    // its body stream has no error listener, so it emits an unhandled error instead of rejecting; plain fetch shows it.)
    test.org.faults.set({ dropConnection: { count: 1, match: { method: 'POST' } } });
    const response = await api('/sobjects/Account', { method: 'POST', body: JSON.stringify({ Name: 'Half sent' }) });
    expect(response.status).toBe(201);
    await expect(response.text()).rejects.toThrow();
    // The write went through: a blind retry of the POST would create a duplicate.
    expect(test.org.store.query("SELECT Name FROM Account WHERE Name = 'Half sent'")).toHaveLength(1);
  });

  it('fails bulk rows after row K, or the whole job at row K', async () => {
    const csv = ['Name', ...Array.from({ length: 10 }, (_value, index) => `P${index}`)].join('\n');
    test.org.faults.set({ bulkIngest: { failAfterRow: 6 } });
    const partial = await conn.bulk2.loadAndWaitForResults({
      object: 'Project__c',
      operation: 'insert',
      input: csv,
      pollInterval: 20,
      pollTimeout: 10_000
    });
    expect([partial.successfulResults.length, partial.failedResults.length]).toEqual([6, 4]);
    expect((partial.failedResults[0] as unknown as Record<string, string>).sf__Error).toBe(
      'UNKNOWN_EXCEPTION:An unexpected error occurred while processing the batch: --'
    );

    test.org.faults.set({
      bulkIngest: { failAfterRow: 3, mode: 'job', errorCode: 'UNABLE_TO_LOCK_ROW', message: 'lock timeout' }
    });
    const job = conn.bulk2.createJob({ object: 'Project__c', operation: 'insert' });
    await job.open();
    await job.uploadData(csv);
    await job.close();
    await expect(job.poll(20, 10_000)).rejects.toThrow(
      'Ingest job failed to complete due to: UNABLE_TO_LOCK_ROW : lock timeout'
    );
    expect(await job.check()).toMatchObject({ state: 'Failed', numberRecordsProcessed: 3, numberRecordsFailed: 0 });
    expect(await job.getUnprocessedRecords()).toHaveLength(7);
  });

  it('expires the session: 401 INVALID_SESSION_ID until a refresh_token grant issues a new token', async () => {
    const plain = test.connection();
    const refreshing = test.connection({
      refreshToken: test.org.refreshToken,
      oauth2: { loginUrl: test.org.url, clientId: 'local-org-tests' }
    });
    const refreshed: string[] = [];
    refreshing.on('refresh', (token: string) => refreshed.push(token));
    const oldToken = test.org.accessToken;
    test.org.faults.set({ expireSession: true });

    expect((await rejection(plain.query('SELECT Id FROM Account'))).errorCode).toBe('INVALID_SESSION_ID');
    expect((await refreshing.query('SELECT Id FROM Account')).totalSize).toBe(0);
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]).not.toBe(oldToken);
    expect(test.org.accessToken).toBe(refreshed[0]);

    const badGrant = await fetch(`${test.org.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=refresh_token&refresh_token=nope'
    });
    expect([badGrant.status, await badGrant.json()]).toEqual([
      400,
      { error: 'invalid_grant', error_description: 'expired access/refresh token' }
    ]);
  });

  it('is switchable over HTTP through the admin endpoint, guarded by the token', async () => {
    const admin = (method: string, body?: unknown, token = test.org.accessToken) =>
      fetch(`${test.org.url}/__local-org/faults`, {
        method,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body)
      });
    expect((await admin('PUT', { failNext: { count: 1 } }, 'nope')).status).toBe(401);
    const put = await admin('PUT', { failNext: { count: 1 } });
    expect(await put.json()).toEqual({ failNext: { count: 1, status: 503 } });
    expect((await api('/limits')).status).toBe(503);
    expect((await admin('PATCH', { latencyMs: 'slow' })).status).toBe(400);
    await admin('PATCH', { requestLimit: {} });
    expect(await (await admin('GET')).json()).toEqual({ requestLimit: { status: 403 } });
    expect((await admin('DELETE')).status).toBe(204);
    expect((await api('/limits')).status).toBe(200);
  });
});
