import type { Connection } from 'jsforce';
import { startTestOrg, type TestOrg } from '../testing/test-org';

jest.setTimeout(60_000);

type Row = Record<string, string>;
const rows = (value: unknown): Row[] => value as Row[];

describe('Bulk API 2.0', () => {
  let test: TestOrg;
  let conn: Connection;
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${test.org.url}/services/data/v66.0${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${test.org.accessToken}`, 'Content-Type': 'application/json', ...init.headers }
    });
  const load = (options: {
    object: string;
    operation: 'insert' | 'update' | 'upsert' | 'delete';
    externalIdFieldName?: string;
    input: string;
  }) => conn.bulk2.loadAndWaitForResults({ ...options, pollInterval: 20, pollTimeout: 20_000 });

  beforeAll(async () => {
    test = await startTestOrg();
    conn = test.connection();
  });
  afterAll(() => test.close());
  beforeEach(() => test.org.reset());

  it('upserts from CSV with per-record results', async () => {
    test.org.store.seed('Account', [{ Name: 'Acme', External_Key__c: 'ACME' }]);
    const csv = [
      'Project_Key__c,Name,Budget__c,Account__r.External_Key__c',
      'P-1,One,10,ACME',
      'P-2,Two,20,',
      ',No key,30,',
      'P-3,Three,lots,'
    ].join('\n');
    const results = await load({
      object: 'Project__c',
      operation: 'upsert',
      externalIdFieldName: 'Project_Key__c',
      input: csv
    });
    const successful = rows(results.successfulResults);
    const failed = rows(results.failedResults);
    expect(successful.map((row) => [row.Project_Key__c, row.sf__Created])).toEqual([
      ['P-1', 'true'],
      ['P-2', 'true']
    ]);
    expect(successful[0]!.sf__Id).toMatch(/^\w{18}$/);
    expect(failed.map((row) => row.sf__Error)).toEqual([
      'MISSING_ARGUMENT:Project_Key__c not specified:Project_Key__c --',
      'INVALID_TYPE_ON_FIELD_IN_RECORD:Budget: value not of required type: lots:Budget__c --'
    ]);
    expect(results.unprocessedRecords).toEqual([]);
    const [one] = test.org.store.query("SELECT Account__r.Name FROM Project__c WHERE Project_Key__c = 'P-1'");
    expect(one).toMatchObject({ Account__r: { Name: 'Acme' } });

    const update = await load({
      object: 'Project__c',
      operation: 'upsert',
      externalIdFieldName: 'Project_Key__c',
      input: 'Project_Key__c,Name,Budget__c\np-1,,#N/A\nP-4,Four,40\n'
    });
    expect(rows(update.successfulResults).map((row) => row.sf__Created)).toEqual(['false', 'true']);
    // An empty cell leaves the field alone; #N/A clears it.
    expect(test.org.store.query("SELECT Name, Budget__c FROM Project__c WHERE Project_Key__c = 'P-1'")).toMatchObject([
      { Name: 'One', Budget__c: null }
    ]);
  });

  it('reports job info with processed and failed counts', async () => {
    const job = conn.bulk2.createJob({ object: 'Project__c', operation: 'insert', lineEnding: 'CRLF' });
    await job.open();
    await job.uploadData('Name,Stage__c\r\nA,Active\r\nB,Nope\r\n');
    await job.close();
    await job.poll(20, 10_000);
    const info = await job.check();
    expect(info).toMatchObject({
      object: 'Project__c',
      operation: 'insert',
      state: 'JobComplete',
      lineEnding: 'CRLF',
      numberRecordsProcessed: 2,
      numberRecordsFailed: 1,
      jobType: 'V2Ingest',
      contentType: 'CSV'
    });
    const failed = await (await api(`/jobs/ingest/${job.id}/failedResults`)).text();
    expect(failed.split('\r\n')[0]).toBe('sf__Id,sf__Error,Name,Stage__c');
    const twice = await api(`/jobs/ingest/${job.id}/batches`, {
      method: 'PUT',
      headers: { 'Content-Type': 'text/csv' },
      body: 'Name\nC\n'
    });
    expect(twice.status).toBe(409);
  });

  it('updates and deletes by Id', async () => {
    const ids = test.org.store.seed('Project__c', [{ Name: 'A' }, { Name: 'B' }]);
    const updated = await load({
      object: 'Project__c',
      operation: 'update',
      input: `Id,Name\n${ids[0]},A2\n${ids[1]!.slice(0, 15)},B2\n`
    });
    expect(rows(updated.successfulResults).map((row) => row.sf__Id)).toEqual(ids);
    const deleted = await load({ object: 'Project__c', operation: 'delete', input: `Id\n${ids[0]}\n` });
    expect(deleted.successfulResults).toHaveLength(1);
    expect(test.org.store.query('SELECT Name FROM Project__c').map((row) => row.Name)).toEqual(['B2']);
  });

  it('hard-deletes past the recycle bin, and deletes finished jobs', async () => {
    const [id] = test.org.store.seed('Project__c', [{ Name: 'Gone for good' }]);
    const job = conn.bulk2.createJob({ object: 'Project__c', operation: 'hardDelete' });
    await job.open();
    await job.uploadData(`Id\n${id}\n`);
    await job.close();
    await job.poll(20, 10_000);
    expect(test.org.store.query('SELECT Id FROM Project__c', { scanAll: true })).toEqual([]);
    expect((await api(`/jobs/ingest/${job.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/jobs/ingest/${job.id}`)).status).toBe(404);
  });

  it('fails the job on a column that is not a field', async () => {
    const job = conn.bulk2.createJob({ object: 'Project__c', operation: 'insert' });
    await job.open();
    await job.uploadData('Name,Nope__c\nA,1\n');
    await job.close();
    await expect(job.poll(20, 10_000)).rejects.toThrow(
      'Ingest job failed to complete due to: InvalidBatch : Field name not found : Nope__c'
    );
  });

  it('rejects jobs on unknown objects and upserts without an external id field', async () => {
    const unknown = await api('/jobs/ingest', {
      method: 'POST',
      body: JSON.stringify({ object: 'Nope__c', operation: 'insert' })
    });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { errorCode: string }[])[0]!.errorCode).toBe('INVALIDJOB');
    const upsert = await api('/jobs/ingest', {
      method: 'POST',
      body: JSON.stringify({ object: 'Project__c', operation: 'upsert' })
    });
    expect(upsert.status).toBe(400);
  });

  it('runs query jobs and pages results with Sforce-Locator', async () => {
    test.org.store.seed(
      'Project__c',
      Array.from({ length: 25 }, (_value, index) => ({ Name: `P${String(index).padStart(2, '0')}`, Hours__c: index }))
    );
    const records: Row[] = [];
    const stream = await conn.bulk2.query(
      'SELECT Id, Name, Hours__c, Owner.Name, Account__r.Name FROM Project__c ORDER BY Name'
    );
    await new Promise<void>((resolve, reject) => {
      stream.on('record', (record: Row) => records.push(record));
      stream.on('end', () => resolve());
      stream.on('error', reject);
    });
    expect(records).toHaveLength(25);
    expect(records[3]).toMatchObject({
      Name: 'P03',
      Hours__c: '3',
      'Owner.Name': 'Local Admin',
      'Account__r.Name': ''
    });

    const created = (await (
      await api('/jobs/query', {
        method: 'POST',
        body: JSON.stringify({ operation: 'query', query: 'SELECT Name FROM Project__c ORDER BY Name' })
      })
    ).json()) as { id: string; state: string };
    expect(created.state).toBe('UploadComplete');
    expect(await (await api(`/jobs/query/${created.id}`)).json()).toMatchObject({
      state: 'JobComplete',
      numberRecordsProcessed: 25
    });
    const first = await api(`/jobs/query/${created.id}/results?maxRecords=10`);
    expect(first.headers.get('sforce-numberofrecords')).toBe('10');
    const locator = first.headers.get('sforce-locator')!;
    expect((await first.text()).split('\n').slice(0, 2)).toEqual(['Name', 'P00']);
    const last = await api(`/jobs/query/${created.id}/results?maxRecords=100&locator=${locator}`);
    expect(last.headers.get('sforce-locator')).toBe('null');
    expect((await last.text()).trim().split('\n')).toHaveLength(16);
  });

  it('refuses aggregate and subquery SOQL in query jobs', async () => {
    for (const query of [
      'SELECT COUNT() FROM Project__c',
      'SELECT Name, (SELECT Name FROM Tasks__r) FROM Project__c'
    ]) {
      const response = await api('/jobs/query', {
        method: 'POST',
        body: JSON.stringify({ operation: 'query', query })
      });
      expect(response.status).toBe(400);
    }
    const malformed = await api('/jobs/query', {
      method: 'POST',
      body: JSON.stringify({ operation: 'query', query: 'SELECT FROM' })
    });
    expect(((await malformed.json()) as { errorCode: string }[])[0]!.errorCode).toBe('MALFORMED_QUERY');
  });
});
