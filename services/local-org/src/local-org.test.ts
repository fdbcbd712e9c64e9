import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FieldDef, ObjectDef } from '@handoff/schema';
import { createLocalOrg } from './local-org';
import { storageKind } from './schema/field-types';
import { caseSafeSuffix, normalizeId } from './store/ids';
import { startTestOrg, type TestOrg } from './testing/test-org';

jest.setTimeout(60_000);

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

describe('record ids', () => {
  it('computes the case-safe suffix Salesforce appends to 15-character ids', () => {
    expect(caseSafeSuffix('001D000000IqhSL')).toBe('IAZ');
    expect(normalizeId('001D000000IqhSL')).toBe('001D000000IqhSLIAZ');
    expect(normalizeId('001D000000IqhSLiaz')).toBe('001D000000IqhSLIAZ');
    expect(normalizeId('001D000000IqhSLXXX')).toBeUndefined();
    expect(normalizeId('not an id')).toBeUndefined();
  });
});

describe('local org lifecycle', () => {
  let test: TestOrg;

  beforeAll(async () => {
    test = await startTestOrg();
  });
  afterAll(() => test.close());

  it('listens on 127.0.0.1 only', () => {
    expect(test.org.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('serializes concurrent writes and reads', async () => {
    const conn = test.connection();
    const creates = Array.from({ length: 40 }, (_value, index) =>
      conn.sobject('Project__c').create({ Name: `C${index}`, Project_Key__c: `C-${index % 20}` })
    );
    const reads = Array.from({ length: 10 }, () => conn.query('SELECT COUNT() FROM Project__c'));
    const results = await Promise.allSettled(creates);
    await Promise.all(reads);
    // Twenty keys, forty creates: exactly one of each pair wins the unique external id.
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(20);
    const rejected = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(rejected.map((result) => (result.reason as { errorCode: string }).errorCode)).toEqual(
      Array(20).fill('DUPLICATE_VALUE')
    );
    expect((await conn.query('SELECT COUNT() FROM Project__c')).totalSize).toBe(20);
  });

  it('saves sObject trees parents first, all or nothing', async () => {
    const conn = test.connection();
    const ok = await conn.request<{ hasErrors: boolean; results: { referenceId: string; id: string }[] }>({
      method: 'POST',
      url: '/composite/tree/Project__c',
      body: JSON.stringify({
        records: [
          {
            attributes: { type: 'Project__c', referenceId: 'p1' },
            Name: 'Tree',
            Tasks__r: { records: [{ attributes: { type: 'Task__c', referenceId: 't1' }, Hours__c: 2 }] }
          }
        ]
      }),
      headers: { 'Content-Type': 'application/json' }
    });
    expect(ok.hasErrors).toBe(false);
    expect(ok.results.map((result) => result.referenceId)).toEqual(['p1', 't1']);
    expect(test.org.store.query(`SELECT Project__r.Name FROM Task__c WHERE Id = '${ok.results[1]!.id}'`)).toMatchObject(
      [{ Project__r: { Name: 'Tree' } }]
    );
    const response = await fetch(`${test.org.url}/services/data/v66.0/composite/tree/Project__c`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${test.org.accessToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        records: [
          { attributes: { type: 'Project__c', referenceId: 'ok' }, Name: 'Fine' },
          { attributes: { type: 'Project__c', referenceId: 'bad' }, Name: 'Bad', Stage__c: 'Nope' }
        ]
      })
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      hasErrors: true,
      results: [{ referenceId: 'bad', errors: [{ statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST' }] }]
    });
    expect(test.org.store.query("SELECT Id FROM Project__c WHERE Name = 'Fine'")).toHaveLength(0);
  });

  it('picks up new fields on reloadSchema without a restart', async () => {
    fs.writeFileSync(
      path.join(test.projectRoot, 'force-app/main/default/objects/Project__c/fields/Risk__c.field-meta.xml'),
      '<?xml version="1.0" encoding="UTF-8"?>\n<CustomField xmlns="http://soap.sforce.com/2006/04/metadata"><fullName>Risk__c</fullName><label>Risk</label><type>Number</type><precision>3</precision><scale>0</scale></CustomField>\n'
    );
    const conn = test.connection();
    await expect(conn.sobject('Project__c').create({ Name: 'r', Risk__c: 3 })).rejects.toThrow(
      "No such column 'Risk__c'"
    );
    test.org.reloadSchema();
    const created = await conn.sobject('Project__c').create({ Name: 'r', Risk__c: 3 });
    expect(test.org.store.get('Project__c', created.id!)!.Risk__c).toBe(3);
  });

  it('resets to a fresh org with the same admin user', async () => {
    const userId = test.org.userId;
    test.org.reset();
    expect(test.org.userId).toBe(userId);
    expect(test.org.store.query('SELECT Id FROM Project__c')).toEqual([]);
    expect(test.org.store.query('SELECT Name FROM Pricebook2 WHERE IsStandard = true')).toMatchObject([
      { Name: 'Standard Price Book' }
    ]);
    expect((await test.connection().query('SELECT Id FROM User')).totalSize).toBe(1);
  });

  it('keeps records and tokens in the data directory across restarts', async () => {
    const first = await createLocalOrg({ projectRoot: test.projectRoot, dataDir: path.join(test.dataDir, 'restart') });
    const [id] = first.store.seed('Account', [{ Name: 'Persistent' }]);
    const token = first.accessToken;
    await first.close();
    const second = await createLocalOrg({ projectRoot: test.projectRoot, dataDir: path.join(test.dataDir, 'restart') });
    try {
      expect(second.accessToken).toBe(token);
      expect(second.store.get('Account', id!)).toMatchObject({ Name: 'Persistent' });
      const [next] = second.store.seed('Account', [{ Name: 'After restart' }]);
      expect(next).not.toBe(id);
    } finally {
      await second.close();
    }
  });
});

/** A value a required field accepts, or undefined when it must point at another record. */
function sampleValue(field: FieldDef): unknown {
  switch (storageKind(field)) {
    case 'number':
      return 1;
    case 'boolean':
      return false;
    case 'date':
      return '2025-01-15';
    case 'datetime':
      return '2025-01-15T10:00:00Z';
    case 'time':
      return '10:00:00.000Z';
    case 'picklist':
    case 'multipicklist':
      return field.picklistValues?.[0] ?? 'Value';
    case 'reference':
      return undefined;
    default:
      return field.type === 'Email' ? 'someone@example.com' : field.type === 'Url' ? 'https://example.com' : 'x';
  }
}

describe('the project schema (force-app), whatever it holds today', () => {
  let test: TestOrg;

  beforeAll(async () => {
    test = await startTestOrg({ projectRoot: REPO_ROOT });
  });
  afterAll(() => test.close());

  it('describes and queries every object', async () => {
    const conn = test.connection();
    for (const object of test.org.store.schema.objects()) {
      const describe = await conn.sobject(object.name).describe();
      expect(describe.fields.length).toBe(object.fields.length);
      if (!object.platformEvent) await conn.query(`SELECT Id FROM ${object.name} LIMIT 1`);
    }
  });

  it('creates a record of every writable custom object with only its required fields', async () => {
    const conn = test.connection();
    const schema = test.org.store.schema;
    const created = new Map<string, string>();
    const create = async (object: ObjectDef, depth = 0): Promise<string> => {
      if (created.has(object.name)) return created.get(object.name)!;
      if (depth > 6) throw new Error(`required lookups nest too deep at ${object.name}`);
      const values: Record<string, unknown> = {};
      for (const field of object.fields) {
        if (!field.required || !field.createable || field.calculated) continue;
        if (schema.extras(object.name, field.name).picklistDefault !== undefined) continue;
        const parent =
          field.referenceTo?.[0] && storageKind(field) === 'reference'
            ? schema.object(field.referenceTo[0])
            : undefined;
        values[field.name] = parent ? await create(parent, depth + 1) : sampleValue(field);
      }
      if (object.name === 'User') return test.org.userId;
      const result = await conn.sobject(object.name).create(values);
      expect({ object: object.name, success: result.success }).toEqual({ object: object.name, success: true });
      created.set(object.name, result.id!);
      return result.id!;
    };
    for (const object of schema.objects()) {
      if (object.custom && !object.customMetadata && !object.platformEvent) await create(object);
    }
  });
});
