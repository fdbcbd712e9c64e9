import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLocalOrg, type LocalOrg } from '@handoff/local-org';

jest.setTimeout(240_000);

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'node_modules', '.bin');

/**
 * The sample data plan imports into the local org with the real `sf data import tree`, exactly as
 * scripts/org/import-sample-data.sh imports it into a scratch org, and the package's automation turns the deals
 * into engagements on the way in.
 */
describe('sf data import tree with the sample plan, against the local org', () => {
  let org: LocalOrg;
  let work: string;
  let home: string;

  const run = (command: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      execFile(
        command,
        args,
        {
          cwd: ROOT,
          timeout: 180_000,
          env: {
            ...process.env,
            PATH: `${BIN}${path.delimiter}${process.env.PATH}`,
            HOME: home,
            SF_ACCESS_TOKEN: org.accessToken,
            SF_DISABLE_AUTOUPDATE: 'true',
            SF_AUTOUPDATE_DISABLE: 'true',
            SF_SKIP_NEW_VERSION_CHECK: 'true',
            SF_DISABLE_TELEMETRY: 'true',
            SF_USE_GENERIC_UNIX_KEYCHAIN: 'true'
          }
        },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr })
      );
    });

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-import-tree-'));
    home = path.join(work, 'home');
    fs.mkdirSync(home);
    org = await createLocalOrg({ projectRoot: ROOT, dataDir: path.join(work, 'org') });
  });
  afterAll(async () => {
    await org.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('imports every record of the plan and the automation creates the engagements', async () => {
    const [pricebook] = org.store.seed(
      'Pricebook2',
      [{ Name: 'Standard Price Book', IsActive: true, IsStandard: true }],
      {
        system: true
      }
    );
    const plan = path.join(work, 'plan');
    const fill = await run(process.execPath, [
      path.join(ROOT, 'scripts/org/fill-sample-plan.mjs'),
      path.join(ROOT, 'scripts/data/sample'),
      plan,
      pricebook!,
      org.userId
    ]);
    expect(fill.stderr).toBe('');
    expect(fill.code).toBe(0);

    const login = await run('sf', [
      'org',
      'login',
      'access-token',
      '--instance-url',
      org.url,
      '--no-prompt',
      '--alias',
      'local',
      '--json'
    ]);
    expect(login.code).toBe(0);
    const imported = await run('sf', [
      'data',
      'import',
      'tree',
      '--plan',
      path.join(plan, 'plan.json'),
      '--target-org',
      'local',
      '--json'
    ]);
    expect(JSON.parse(imported.stdout)).toMatchObject({ status: 0 });

    const count = (soql: string) => org.store.query(soql).length;
    expect(count('SELECT Id FROM Account')).toBe(12);
    expect(count('SELECT Id FROM Opportunity')).toBe(60);
    expect(count('SELECT Id FROM OpportunityLineItem')).toBe(136);
    expect(count('SELECT Id FROM Resource__c')).toBe(40);
    expect(count('SELECT Id FROM Holiday')).toBe(16);
    expect(count('SELECT Id FROM Account WHERE ParentId != null')).toBe(7);
    // Deals at Proposal, Negotiation and Closed Won get an engagement; early and lost deals do not.
    expect(count('SELECT Id FROM Engagement__c')).toBe(36);
    expect(count("SELECT Id FROM Engagement__c WHERE Status__c = 'Active' AND Billable__c = true")).toBe(18);
    expect(count('SELECT Id FROM Resource_Demand__c')).toBeGreaterThan(100);
  });
});
