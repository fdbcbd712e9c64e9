import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loginArgs, runSf, type SfResult } from '../testing/sf-cli';
import { startTestOrg, type TestOrg } from '../testing/test-org';

jest.setTimeout(180_000);

/** Processes (other than this one) whose environment carries `HOME=<home>`: sf leftovers. */
function processesWithHome(home: string): string[] {
  if (process.platform !== 'linux') return [];
  const found: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    if (Number(pid) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`HOME=${home}`)) found.push(pid);
    } catch {
      // the process ended or is not ours
    }
  }
  return found;
}

describe('the sf CLI against the local org', () => {
  let test: TestOrg;
  let home: string;

  const sf = (args: string[]): Promise<SfResult> => runSf(home, test.org.accessToken, args);

  beforeAll(async () => {
    test = await startTestOrg();
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'local-org-sf-home-'));
  });
  afterAll(async () => {
    await test.close();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('logs in with an access token over http://127.0.0.1', async () => {
    const login = await sf(loginArgs(test.org.url));
    expect(login).toMatchObject({
      status: 0,
      result: { username: test.org.username, orgId: test.org.orgId, instanceUrl: `${test.org.url}/` }
    });
  });

  it('creates a record with sf data create record', async () => {
    const created = await sf([
      'data',
      'create',
      'record',
      '--sobject',
      'Project__c',
      '--values',
      "Name='From CLI' Budget__c=12.5",
      '-o',
      'local'
    ]);
    expect(created).toMatchObject({ status: 0, result: { success: true } });
    const id = String(created.result!.id);
    expect(test.org.store.get('Project__c', id)).toMatchObject({
      Name: 'From CLI',
      Budget__c: 12.5,
      Stage__c: 'Planned'
    });
  });

  it('queries with sf data query (which also asks for columns=true)', async () => {
    const query = await sf(['data', 'query', '--query', 'SELECT Id, Name, Owner.Name FROM Project__c', '-o', 'local']);
    expect(query).toMatchObject({
      status: 0,
      result: { totalSize: 1, done: true, records: [{ Name: 'From CLI', Owner: { Name: 'Local Admin' } }] }
    });
    const failed = await sf(['data', 'query', '--query', 'SELECT Id FROM Nope__c', '-o', 'local']);
    expect(failed).toMatchObject({ status: 1, name: 'INVALID_TYPE' });
  });

  it('upserts a CSV with sf data upsert bulk', async () => {
    const file = path.join(home, 'projects.csv');
    fs.writeFileSync(file, 'Project_Key__c,Name,Hours__c\nK-1,Bulk one,1\nK-2,Bulk two,2\n');
    const upsert = await sf([
      'data',
      'upsert',
      'bulk',
      '--sobject',
      'Project__c',
      '--file',
      file,
      '--external-id',
      'Project_Key__c',
      '--wait',
      '2',
      '-o',
      'local'
    ]);
    expect(upsert).toMatchObject({
      status: 0,
      result: {
        jobInfo: { state: 'JobComplete', numberRecordsProcessed: 2, numberRecordsFailed: 0 },
        records: { successfulResults: [{ sf__Created: 'true' }, { sf__Created: 'true' }], failedResults: [] }
      }
    });
    expect(
      test.org.store
        .query('SELECT Name FROM Project__c WHERE Project_Key__c != null ORDER BY Name')
        .map((row) => row.Name)
    ).toEqual(['Bulk one', 'Bulk two']);
  });

  it('leaves no sf process behind', () => {
    expect(processesWithHome(home)).toEqual([]);
  });
});
