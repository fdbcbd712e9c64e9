import * as path from 'node:path';
import { normalizeCompanyName, valuesMatch } from '@handoff/schema';
import { startTestOrg, type TestOrg } from '../testing/test-org';

jest.setTimeout(60_000);

describe('company-name matching (the CompanyName matching method, approximated)', () => {
  it('sets aside case, punctuation and legal forms', () => {
    expect(normalizeCompanyName('The Acme Corp.')).toBe('acme');
    expect(normalizeCompanyName('ACME Corporation')).toBe('acme');
    expect(normalizeCompanyName('Smith & Sons, Ltd')).toBe('smith and sons');
    expect(normalizeCompanyName('Corp')).toBe('corp');
  });

  it('matches the same company written differently, and one typo in a long name', () => {
    expect(valuesMatch('CompanyName', 'Acme Corp', 'Acme Corporation')).toBe(true);
    expect(valuesMatch('CompanyName', 'Northwind Advisory', 'Northwind Advisorry')).toBe(true);
    expect(valuesMatch('CompanyName', 'Acme', 'Apex')).toBe(false);
    expect(valuesMatch('CompanyName', 'Acme Retail UK', 'Acme Retail Europe')).toBe(false);
    expect(valuesMatch('Exact', 'Acme', 'ACME ')).toBe(true);
  });
});

describe('duplicate rules in the local org (Account.Handoff_Client_Duplicates)', () => {
  let test: TestOrg;
  const post = (name: string, headers: Record<string, string> = {}) =>
    test.api('/sobjects/Account', { method: 'POST', body: JSON.stringify({ Name: name }), headers });

  beforeAll(async () => {
    // The package itself: its duplicate and matching rules under force-app/main/handoff.
    test = await startTestOrg({ projectRoot: path.resolve(__dirname, '../../../..') });
  });
  afterAll(() => test.close());
  beforeEach(() => test.org.reset());

  it('alerts on a new client that is the same company as an existing one, as DUPLICATES_DETECTED', async () => {
    expect((await post('Acme Corp')).status).toBe(201);

    const duplicate = await post('Acme Corporation');

    expect(duplicate.status).toBe(400);
    expect(await duplicate.json()).toEqual([
      {
        errorCode: 'DUPLICATES_DETECTED',
        fields: [],
        message:
          'This client may already exist under a similar name. Use the existing account so delivery sees one client.'
      }
    ]);
    expect(test.org.store.query("SELECT Id FROM Account WHERE Name LIKE 'Acme%'")).toHaveLength(1);
  });

  it('saves the duplicate when the caller acknowledges the alert with allowSave', async () => {
    await post('Acme Corp');

    const acknowledged = await post('Acme Corporation', { 'Sforce-Duplicate-Rule-Header': 'allowSave=true' });

    expect(acknowledged.status).toBe(201);
  });

  it('reports, but does not refuse, an edit that makes a duplicate, and leaves different names alone', async () => {
    await post('Acme Corp');
    const other = (await (await post('Globex')).json()) as { id: string };

    const edit = await test.api(`/sobjects/Account/${other.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ Name: 'Acme Corporation' })
    });

    expect(edit.status).toBe(204);
    expect((await post('Initech')).status).toBe(201);
  });

  it('checks sObject Collections record by record, and never platform writes', async () => {
    await post('Acme Corp');
    const response = await test.api('/composite/sobjects', {
      method: 'POST',
      body: JSON.stringify({
        allOrNone: false,
        records: [
          { attributes: { type: 'Account' }, Name: 'ACME corporation' },
          { attributes: { type: 'Account' }, Name: 'Umbrella' }
        ]
      })
    });
    const results = (await response.json()) as { success: boolean; errors: { statusCode: string }[] }[];
    expect(results.map((result) => result.success)).toEqual([false, true]);
    expect(results[0]!.errors[0]!.statusCode).toBe('DUPLICATES_DETECTED');

    const [seeded] = test.org.store.write([{ kind: 'insert', object: 'Account', values: { Name: 'Acme Inc' } }], {
      system: true
    });
    expect(seeded!.success).toBe(true);
  });
});
