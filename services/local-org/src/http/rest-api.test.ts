import type { Connection } from 'jsforce';
import { rejection as rejectionOf, startTestOrg, type TestOrg } from '../testing/test-org';

jest.setTimeout(60_000);

interface JsforceError extends Error {
  errorCode: string;
  data: { message: string; errorCode: string; fields?: string[] };
}

const rejection = (promise: PromiseLike<unknown>) => rejectionOf<JsforceError>(promise);

describe('REST API through jsforce and plain HTTP', () => {
  let test: TestOrg;
  let conn: Connection;
  const api = (path: string, init: RequestInit = {}) => test.api(path, init);

  beforeAll(async () => {
    test = await startTestOrg();
    conn = test.connection();
  });
  afterAll(() => test.close());
  beforeEach(() => test.org.reset());

  describe('session and org resources', () => {
    it('answers 401 INVALID_SESSION_ID without a valid bearer token', async () => {
      for (const headers of [{}, { Authorization: 'Bearer 00Dbogus!token' }] as Record<string, string>[]) {
        const response = await fetch(`${test.org.url}/services/data/v66.0/sobjects`, { headers });
        expect(response.status).toBe(401);
        expect(await response.json()).toEqual([
          { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }
        ]);
      }
    });

    it('lists API versions and the resources of one', async () => {
      const versions = (await (await fetch(`${test.org.url}/services/data`)).json()) as {
        version: string;
        url: string;
      }[];
      expect(versions.at(-1)).toEqual({ label: "Spring '26", url: '/services/data/v66.0', version: '66.0' });
      expect(await (await api('')).json()).toMatchObject({
        sobjects: '/services/data/v66.0/sobjects',
        query: '/services/data/v66.0/query'
      });
      const unknownVersion = await fetch(`${test.org.url}/services/data/v99.0/sobjects`, {
        headers: { Authorization: `Bearer ${test.org.accessToken}` }
      });
      expect(unknownVersion.status).toBe(404);
    });

    it('identifies the admin user through userinfo and sobjects/User', async () => {
      const info = await conn.request<{ user_id: string; organization_id: string; preferred_username: string }>(
        '/services/oauth2/userinfo'
      );
      expect(info).toMatchObject({
        user_id: test.org.userId,
        organization_id: test.org.orgId,
        preferred_username: test.org.username
      });
      expect(test.org.userId.slice(0, 3)).toBe('005');
      expect(test.org.accessToken).toMatch(/^00D\w{15}!/);
      const user = await conn.sobject('User').retrieve(test.org.userId);
      expect(user).toMatchObject({ Id: test.org.userId, Username: test.org.username, IsActive: true });
    });

    it('reports API usage on every response and in limits', async () => {
      const response = await api('/limits');
      const header = response.headers.get('sforce-limit-info');
      expect(header).toMatch(/^api-usage=\d+\/100000$/);
      const limits = (await response.json()) as { DailyApiRequests: { Max: number; Remaining: number } };
      expect(limits.DailyApiRequests).toEqual({ Max: 100000, Remaining: 100000 - Number(/=(\d+)/.exec(header!)![1]) });
      await conn.limits();
      expect(conn.limitInfo.apiUsage).toEqual({ used: expect.any(Number), limit: 100000 });
    });
  });

  describe('describe', () => {
    it('describes every object globally with its key prefix', async () => {
      const global = await conn.describeGlobal();
      const project = global.sobjects.find((object) => object.name === 'Project__c');
      expect(project).toMatchObject({
        custom: true,
        createable: true,
        queryable: true,
        keyPrefix: expect.stringMatching(/^a\w\w$/)
      });
      expect(global.sobjects.find((object) => object.name === 'Account')).toMatchObject({
        keyPrefix: '001',
        custom: false
      });
      expect(global.sobjects.find((object) => object.name === 'Rule__mdt')).toMatchObject({
        createable: false,
        queryable: true
      });
    });

    it('describes fields in Salesforce type names and shapes', async () => {
      const describe = await conn.sobject('Project__c').describe();
      const field = (name: string) => describe.fields.find((candidate) => candidate.name === name)!;
      expect(field('Id')).toMatchObject({ type: 'id', nillable: false, createable: false, length: 18 });
      expect(field('Name')).toMatchObject({
        type: 'string',
        label: 'Project Name',
        length: 80,
        nameField: true,
        createable: true
      });
      expect(field('Project_Key__c')).toMatchObject({
        type: 'string',
        length: 20,
        unique: true,
        externalId: true,
        idLookup: true
      });
      expect(field('Stage__c')).toMatchObject({
        type: 'picklist',
        nillable: false,
        restrictedPicklist: true,
        defaultValue: 'Planned',
        picklistValues: [
          { active: true, defaultValue: true, label: 'Planned', validFor: null, value: 'Planned' },
          expect.objectContaining({ value: 'Active' }),
          expect.objectContaining({ value: 'Done' })
        ]
      });
      expect(field('Tags__c').type).toBe('multipicklist');
      expect(field('Budget__c')).toMatchObject({ type: 'currency', precision: 8, scale: 2 });
      expect(field('Hours__c').type).toBe('double');
      expect(field('Margin__c')).toMatchObject({
        type: 'percent',
        calculated: true,
        createable: false,
        updateable: false
      });
      expect(field('Billable__c')).toMatchObject({ type: 'boolean', defaultValue: false, nillable: false });
      expect(field('Start__c').type).toBe('date');
      expect(field('Kickoff__c').type).toBe('datetime');
      expect(field('Contact_Email__c').type).toBe('email');
      expect(field('Account__c')).toMatchObject({
        type: 'reference',
        referenceTo: ['Account'],
        relationshipName: 'Account__r',
        restrictedDelete: true
      });
      expect(field('OwnerId')).toMatchObject({
        type: 'reference',
        referenceTo: ['User', 'Group'],
        polymorphicForeignKey: true
      });
      expect(describe.childRelationships).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            childSObject: 'Task__c',
            field: 'Project__c',
            relationshipName: 'Tasks__r',
            cascadeDelete: true
          }),
          expect.objectContaining({ childSObject: 'Note__c', relationshipName: 'Notes__r', cascadeDelete: false })
        ])
      );
      const account = await conn.sobject('Account').describe();
      expect(account.fields.find((candidate) => candidate.name === 'NumberOfEmployees')!.type).toBe('int');
      expect(account.fields.find((candidate) => candidate.name === 'Website')!.type).toBe('url');
      expect(account.fields.find((candidate) => candidate.name === 'Phone')!.type).toBe('phone');
      expect(account.fields.find((candidate) => candidate.name === 'Description')!.type).toBe('textarea');
    });

    it('answers 404 NOT_FOUND for an unknown object', async () => {
      const error = await rejection(conn.sobject('Nope__c').describe());
      expect(error.errorCode).toBe('NOT_FOUND');
      const response = await api('/sobjects/Nope__c', { method: 'POST', body: '{}' });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual([
        { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }
      ]);
    });
  });

  describe('sObject rows', () => {
    it('creates, retrieves, updates and deletes a record', async () => {
      const created = await conn.sobject('Project__c').create({ Name: 'Apollo', Budget__c: 10 });
      expect(created).toEqual({ id: expect.stringMatching(/^\w{18}$/), success: true, errors: [] });
      const record = await conn.sobject('Project__c').retrieve(created.id!);
      expect(record).toMatchObject({
        attributes: { type: 'Project__c' },
        Name: 'Apollo',
        Stage__c: 'Planned',
        Budget__c: 10
      });
      const partial = await api(`/sobjects/Project__c/${created.id}?fields=Name,Budget__c`);
      expect(await partial.json()).toEqual({
        attributes: { type: 'Project__c', url: `/services/data/v66.0/sobjects/Project__c/${created.id}` },
        Name: 'Apollo',
        Budget__c: 10
      });
      const update = await api(`/sobjects/Project__c/${created.id}`, {
        method: 'PATCH',
        body: JSON.stringify({ Budget__c: 20 })
      });
      expect(update.status).toBe(204);
      expect((await conn.sobject('Project__c').retrieve(created.id!)).Budget__c).toBe(20);
      await conn.sobject('Project__c').destroy(created.id!);
      const gone = await api(`/sobjects/Project__c/${created.id}`);
      expect(gone.status).toBe(404);
      expect(await gone.json()).toEqual([{ message: 'entity is deleted', errorCode: 'ENTITY_IS_DELETED' }]);
      expect((await api('/sobjects/Project__c/a00000000000000AAA')).status).toBe(404);
    });

    it('answers validation failures with 400 and Salesforce error bodies', async () => {
      const response = await api('/sobjects/Project__c', {
        method: 'POST',
        body: JSON.stringify({ Name: 'x', Stage__c: 'Lost' })
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual([
        {
          message: 'Stage: bad value for restricted picklist field: Lost',
          errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
          fields: ['Stage__c']
        }
      ]);
      const error = await rejection(conn.sobject('Project__c').create({ Name: 'x', Nope__c: 1 }));
      expect(error.errorCode).toBe('INVALID_FIELD');
      expect(error.message).toBe("No such column 'Nope__c' on sobject of type Project__c");
      const malformed = await api('/sobjects/Project__c', { method: 'POST', body: '{"Name": ' });
      expect(malformed.status).toBe(400);
      expect(((await malformed.json()) as { errorCode: string }[])[0]!.errorCode).toBe('JSON_PARSER_ERROR');
    });

    it('upserts by external id: 201 created, then 200 with created false', async () => {
      const first = await api('/sobjects/Project__c/Project_Key__c/K-1', {
        method: 'PATCH',
        body: JSON.stringify({ Name: 'One' })
      });
      expect(first.status).toBe(201);
      const body = (await first.json()) as { id: string };
      expect(body).toEqual({ id: expect.any(String), success: true, errors: [], created: true });
      const second = await api('/sobjects/Project__c/Project_Key__c/K-1', {
        method: 'PATCH',
        body: JSON.stringify({ Name: 'Two' })
      });
      expect(second.status).toBe(200);
      expect(await second.json()).toEqual({ id: body.id, success: true, errors: [], created: false });
      const legacy = await fetch(`${test.org.url}/services/data/v45.0/sobjects/Project__c/Project_Key__c/K-1`, {
        method: 'PATCH',
        headers: { Authorization: `Bearer ${test.org.accessToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ Name: 'Three' })
      });
      expect(legacy.status).toBe(204);
      expect(
        await conn.sobject('Project__c').upsert({ Project_Key__c: 'K-1', Name: 'Four' }, 'Project_Key__c')
      ).toMatchObject({
        success: true
      });
      const byKey = await api('/sobjects/Project__c/Project_Key__c/k-1');
      expect(await byKey.json()).toMatchObject({ Id: body.id, Name: 'Four' });
      const notExternal = await api('/sobjects/Project__c/Name/x', { method: 'PATCH', body: '{}' });
      expect(notExternal.status).toBe(404);
      expect(await notExternal.json()).toEqual([
        { message: 'Provided external ID field does not exist or is not accessible: Name', errorCode: 'NOT_FOUND' }
      ]);
    });
  });

  describe('sObject Collections', () => {
    it('creates with per-record results and partial success', async () => {
      const results = await conn
        .sobject('Project__c')
        .create([{ Name: 'A' }, { Name: 'B', Stage__c: 'Nope' }, { Name: 'C' }], {
          allOrNone: false
        });
      expect(results.map((result) => result.success)).toEqual([true, false, true]);
      expect(results[1]).toEqual({
        success: false,
        errors: [
          {
            statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
            message: 'Stage: bad value for restricted picklist field: Nope',
            fields: ['Stage__c']
          }
        ]
      });
    });

    it('rolls everything back with allOrNone', async () => {
      const response = await api('/composite/sobjects', {
        method: 'POST',
        body: JSON.stringify({
          allOrNone: true,
          records: [
            { attributes: { type: 'Project__c' }, Name: 'A' },
            { attributes: { type: 'Project__c' }, Name: 'B', Budget__c: 'lots' }
          ]
        })
      });
      expect(await response.json()).toEqual([
        {
          success: false,
          errors: [
            {
              statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
              message:
                'Record rolled back because not all records were valid and the request was using AllOrNone header',
              fields: []
            }
          ]
        },
        {
          success: false,
          errors: [
            {
              statusCode: 'INVALID_TYPE_ON_FIELD_IN_RECORD',
              message: 'Budget: value not of required type: lots',
              fields: ['Budget__c']
            }
          ]
        }
      ]);
      expect((await conn.query('SELECT COUNT() FROM Project__c')).totalSize).toBe(0);
    });

    it('updates, upserts, retrieves and deletes collections', async () => {
      const created = await conn.sobject('Project__c').create([{ Name: 'A' }, { Name: 'B' }]);
      const ids = created.map((result) => result.id!);
      const updated = await conn.sobject('Project__c').update(ids.map((Id, index) => ({ Id, Budget__c: index + 1 })));
      expect(updated).toEqual(ids.map((id) => ({ id, success: true, errors: [] })));
      const upserted = await conn.sobject('Project__c').upsert(
        [
          { Project_Key__c: 'U1', Name: 'U1' },
          { Project_Key__c: 'U2', Name: 'U2' }
        ],
        'Project_Key__c'
      );
      expect(upserted).toEqual([
        { id: expect.any(String), success: true, errors: [], created: true },
        { id: expect.any(String), success: true, errors: [], created: true }
      ]);
      const again = await conn
        .sobject('Project__c')
        .upsert([{ Project_Key__c: 'u1', Name: 'U1 again' }], 'Project_Key__c');
      expect(again).toEqual([{ id: upserted[0]!.id, success: true, errors: [], created: false }]);
      const records = await conn.sobject('Project__c').retrieve([ids[0]!, ids[1]!], { fields: ['Name', 'Budget__c'] });
      expect(records.map((record) => [record.Name, record.Budget__c])).toEqual([
        ['A', 1],
        ['B', 2]
      ]);
      const deleted = await conn.sobject('Project__c').destroy([...ids, 'a01000000000000']);
      expect(deleted.map((result) => result.success)).toEqual([true, true, false]);
    });

    it('caps a collection at 200 records', async () => {
      const response = await api('/composite/sobjects', {
        method: 'POST',
        body: JSON.stringify({
          records: Array.from({ length: 201 }, () => ({ attributes: { type: 'Project__c' }, Name: 'x' }))
        })
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual([
        { message: 'Maximum number of records allowed is 200', errorCode: 'EXCEEDED_ID_LIMIT' }
      ]);
    });
  });

  describe('composite', () => {
    it('refuses more than five query or collection subrequests in one call, as Salesforce does', async () => {
      const query = (n: number) => ({
        method: 'GET',
        url: `/services/data/v66.0/query?q=${encodeURIComponent(`SELECT Id FROM Account LIMIT ${n}`)}`,
        referenceId: `q${n}`
      });
      const five = await api('/composite', {
        method: 'POST',
        body: JSON.stringify({ compositeRequest: [1, 2, 3, 4, 5].map(query) })
      });
      expect(five.status).toBe(200);
      const six = await api('/composite', {
        method: 'POST',
        body: JSON.stringify({ compositeRequest: [1, 2, 3, 4, 5, 6].map(query) })
      });
      expect(six.status).toBe(400);
      expect(await six.json()).toEqual([
        {
          errorCode: 'INVALID_INPUT',
          message: 'Maximum number of query and sObject Collections subrequests allowed is 5, got 6'
        }
      ]);
    });

    it('runs subrequests in order with @{ref} references', async () => {
      const response = await api('/composite', {
        method: 'POST',
        body: JSON.stringify({
          allOrNone: true,
          compositeRequest: [
            {
              method: 'POST',
              url: '/services/data/v66.0/sobjects/Account',
              referenceId: 'acct',
              body: { Name: 'Acme' }
            },
            {
              method: 'POST',
              url: '/services/data/v66.0/sobjects/Project__c',
              referenceId: 'proj',
              body: { Name: 'P', Account__c: '@{acct.id}' }
            },
            {
              method: 'GET',
              url: '/services/data/v66.0/query?q=SELECT+Id,+Account__r.Name+FROM+Project__c',
              referenceId: 'q'
            },
            {
              method: 'GET',
              url: '/services/data/v66.0/sobjects/Project__c/@{q.records[0].Id}?fields=Name',
              referenceId: 'get'
            }
          ]
        })
      });
      const { compositeResponse } = (await response.json()) as {
        compositeResponse: {
          httpStatusCode: number;
          referenceId: string;
          body: Record<string, unknown>;
          httpHeaders: Record<string, string>;
        }[];
      };
      expect(compositeResponse.map((sub) => sub.httpStatusCode)).toEqual([201, 201, 200, 200]);
      expect(compositeResponse[0]!.httpHeaders.Location).toBe(
        `/services/data/v66.0/sobjects/Account/${String(compositeResponse[0]!.body.id)}`
      );
      expect(compositeResponse[2]!.body).toMatchObject({ totalSize: 1, records: [{ Account__r: { Name: 'Acme' } }] });
      expect(compositeResponse[3]!.body).toMatchObject({ Name: 'P' });
    });

    it('rolls back every subrequest when one fails with allOrNone', async () => {
      const response = await api('/composite', {
        method: 'POST',
        body: JSON.stringify({
          allOrNone: true,
          compositeRequest: [
            { method: 'POST', url: '/services/data/v66.0/sobjects/Account', referenceId: 'ok', body: { Name: 'Acme' } },
            { method: 'POST', url: '/services/data/v66.0/sobjects/Account', referenceId: 'bad', body: { Nope: 1 } }
          ]
        })
      });
      const { compositeResponse } = (await response.json()) as {
        compositeResponse: { httpStatusCode: number; body: { errorCode: string }[] }[];
      };
      expect(compositeResponse.map((sub) => [sub.httpStatusCode, sub.body[0]!.errorCode])).toEqual([
        [400, 'PROCESSING_HALTED'],
        [400, 'INVALID_FIELD']
      ]);
      expect((await conn.query('SELECT COUNT() FROM Account')).totalSize).toBe(0);
    });
  });

  describe('query', () => {
    it('pages 12,000 records in 2,000-record batches and autoFetch gets them all', async () => {
      test.org.store.seed(
        'Project__c',
        Array.from({ length: 12_000 }, (_value, index) => ({
          Name: `P${String(index).padStart(5, '0')}`,
          Hours__c: index
        }))
      );
      const first = (await (
        await api('/query?q=' + encodeURIComponent('SELECT Id, Name FROM Project__c ORDER BY Name'))
      ).json()) as {
        totalSize: number;
        done: boolean;
        nextRecordsUrl: string;
        records: unknown[];
      };
      expect(first).toMatchObject({
        totalSize: 12_000,
        done: false,
        nextRecordsUrl: expect.stringMatching(/^\/services\/data\/v66\.0\/query\/01g\w+-2000$/)
      });
      expect(first.records).toHaveLength(2000);
      const records: { Name: string }[] = [];
      const result = await conn
        .query<{ Name: string }>('SELECT Id, Name, Hours__c FROM Project__c ORDER BY Hours__c')
        .on('record', (record: { Name: string }) => records.push(record))
        .run({ autoFetch: true, maxFetch: 100_000 });
      expect(result).toMatchObject({ totalSize: 12_000, done: true });
      expect(records).toHaveLength(12_000);
      expect(records[11_999]!.Name).toBe('P11999');
    });

    it('honours Sforce-Query-Options batchSize', async () => {
      test.org.store.seed(
        'Project__c',
        Array.from({ length: 450 }, (_value, index) => ({ Name: `P${index}` }))
      );
      const page = (await (
        await api('/query?q=' + encodeURIComponent('SELECT Id FROM Project__c'), {
          headers: { 'Sforce-Query-Options': 'batchSize=200' }
        })
      ).json()) as { records: unknown[]; nextRecordsUrl: string };
      expect(page.records).toHaveLength(200);
      const next = (await (
        await fetch(test.org.url + page.nextRecordsUrl, {
          headers: { Authorization: `Bearer ${test.org.accessToken}` }
        })
      ).json()) as {
        records: unknown[];
        nextRecordsUrl: string;
      };
      expect(next.records).toHaveLength(200);
      expect(next.nextRecordsUrl).toMatch(/-400$/);
      const bad = await api('/query/01gnope-2000');
      expect(bad.status).toBe(400);
      expect(await bad.json()).toEqual([{ message: 'invalid query locator', errorCode: 'INVALID_QUERY_LOCATOR' }]);
    });

    it('includes deleted records with queryAll', async () => {
      const { id } = await conn.sobject('Project__c').create({ Name: 'Gone' });
      await conn.sobject('Project__c').destroy(id!);
      expect((await conn.query("SELECT Id FROM Project__c WHERE Name = 'Gone'")).totalSize).toBe(0);
      const all = await conn.query<{ IsDeleted: boolean }>("SELECT Id, IsDeleted FROM Project__c WHERE Name = 'Gone'", {
        scanAll: true
      });
      expect(all.records).toMatchObject([{ IsDeleted: true }]);
    });

    it('describes query columns with columns=true, as sf data query asks', async () => {
      const response = await api(
        '/query?columns=true&q=' +
          encodeURIComponent('SELECT Id, Name, Account__r.Name, (SELECT Name FROM Tasks__r) FROM Project__c')
      );
      const body = (await response.json()) as {
        columnMetadata: { columnName: string; aggregate: boolean; joinColumns: { columnName: string }[] }[];
      };
      expect(body).toMatchObject({ entityName: 'Project__c', groupBy: false, idSelected: true });
      expect(
        body.columnMetadata.map((column) => [
          column.columnName,
          column.aggregate,
          column.joinColumns.map((join) => join.columnName)
        ])
      ).toEqual([
        ['Id', false, []],
        ['Name', false, []],
        ['Account__r', false, ['Name']],
        ['Tasks__r', true, ['Name']]
      ]);
    });

    it('raises query errors as jsforce errors with the Salesforce errorCode', async () => {
      expect((await rejection(conn.query('SELECT Id FROM Nope__c'))).errorCode).toBe('INVALID_TYPE');
      expect((await rejection(conn.query('SELECT Nope__c FROM Project__c'))).errorCode).toBe('INVALID_FIELD');
      expect((await rejection(conn.query('SELECT FROM Project__c'))).errorCode).toBe('MALFORMED_QUERY');
    });

    it('answers unsupported resources with a Salesforce-shaped error', async () => {
      const response = await api('/search?q=FIND+%7Bacme%7D');
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual([
        { message: 'The search resource is not emulated by the local org', errorCode: 'FUNCTIONALITY_NOT_ENABLED' }
      ]);
    });
  });
});
