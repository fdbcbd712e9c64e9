import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Runs the org scripts (bash and a fake sf CLI) as processes: a generous timeout, whatever else the machine runs.
jest.setTimeout(60_000);

/**
 * scripts/org/import-sample-data.sh against a stub `sf`: the plan is imported from a temporary copy with the org's
 * standard price book and running user filled in, the resources are booked with assign-resources.apex, and nothing
 * is imported when the running user would bypass the Handoff triggers.
 */

const ROOT = join(__dirname, '..', '..');
const SAMPLE = join(ROOT, 'scripts/data/sample');
const PRICEBOOK_ID = '01sSTUB00000001AAA';
const USER_ID = '005STUB00000001AAA';
const temps: string[] = [];

afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

const STUB_SF = `#!/usr/bin/env bash
echo "$*" >> "$SF_STUB_LOG"
case "$1 $2" in
  "data query")
    if [[ "$*" == *Pricebook2* ]]; then
      echo '{"status":0,"result":{"totalSize":1,"records":[{"Id":"${PRICEBOOK_ID}","IsActive":false}]}}'
    elif [[ -n "\${SF_STUB_BYPASS:-}" ]]; then
      echo '{"status":0,"result":{"totalSize":1,"records":[{"Parent":{"Name":"Handoff_Data_Loader"}}]}}'
    else
      echo '{"status":0,"result":{"totalSize":0,"records":[]}}'
    fi ;;
  "data update") echo '{"status":0,"result":{"success":true}}' ;;
  "org display") echo '{"status":0,"result":{"id":"${USER_ID}","username":"admin@example.com"}}' ;;
  "data import")
    while (($#)); do [[ "$1" == --plan ]] && plan="$2"; shift; done
    cp -R "$(dirname "$plan")" "$SF_STUB_CAPTURE" ;;
  "apex run")
    echo '{"status":0,"result":{"compiled":true,"success":true,"logs":"1|USER_DEBUG|[90]|INFO|Sample data: booked 3 assignments"}}' ;;
  *) echo "stub sf: unexpected $*" >&2; exit 1 ;;
esac
`;

/** A scratch project with scripts/org, the sample data (and the generator, for SAMPLE_DATA_TODAY) and a stub sf. */
function stubProject(): string {
  const root = tempDir('handoff-sample-stub-');
  const bin = join(root, 'node_modules/.bin');
  mkdirSync(join(root, 'scripts/org'), { recursive: true });
  mkdirSync(bin, { recursive: true });
  for (const file of readdirSync(__dirname).filter((name) => /\.(sh|mjs)$/.test(name))) {
    copyFileSync(join(__dirname, file), join(root, 'scripts/org', file));
  }
  cpSync(join(ROOT, 'scripts/data'), join(root, 'scripts/data'), { recursive: true });
  symlinkSync(process.execPath, join(bin, 'node'));
  symlinkSync(join(ROOT, 'node_modules/.bin/tsx'), join(bin, 'tsx'));
  writeFileSync(join(bin, 'sf'), STUB_SF);
  chmodSync(join(bin, 'sf'), 0o755);
  return root;
}

function runImport(extraEnv: Record<string, string> = {}) {
  const root = stubProject();
  const log = join(root, 'sf.log');
  const capture = join(root, 'captured-plan');
  const env: NodeJS.ProcessEnv = { HOME: root, PATH: process.env.PATH, TMPDIR: tempDir('handoff-sample-tmp-') };
  const result = spawnSync('bash', [join(root, 'scripts/org/import-sample-data.sh'), 'stub-org'], {
    env: { ...env, SF_STUB_LOG: log, SF_STUB_CAPTURE: capture, ...extraEnv },
    encoding: 'utf8'
  });
  const calls = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
  return { code: result.status, output: result.stdout + result.stderr, calls, capture };
}

describe('import-sample-data.sh (stub sf)', () => {
  it('imports a copy of the plan with the price book and user filled in, then books resources', () => {
    const { code, output, calls, capture } = runImport();
    expect(output).toContain('Sample data: booked 3 assignments');
    expect(code).toBe(0);

    const importCall = calls.find((call) => call.startsWith('data import tree'))!;
    const planPath = /--plan (\S+)/.exec(importCall)![1];
    expect(planPath).not.toContain('scripts/data/sample');
    expect(existsSync(planPath)).toBe(false); // the temporary copy is gone
    expect(calls).toContain(
      `data update record --sobject Pricebook2 --record-id ${PRICEBOOK_ID} --values IsActive=true --target-org stub-org --json`
    );
    expect(calls[calls.length - 1]).toBe(
      'apex run --file scripts/data/sample/assign-resources.apex --target-org stub-org --json'
    );

    for (const name of readdirSync(SAMPLE).filter((file) => file.endsWith('.json'))) {
      const committed = readFileSync(join(SAMPLE, name), 'utf8');
      const imported = readFileSync(join(capture, name), 'utf8');
      expect(imported).not.toContain('@@');
      expect(imported).toBe(
        committed.split('@@STANDARD_PRICEBOOK_ID@@').join(PRICEBOOK_ID).split('@@DELIVERY_LEAD_ID@@').join(USER_ID)
      );
    }
    const opportunities = JSON.parse(readFileSync(join(capture, 'Opportunity.json'), 'utf8'));
    expect(opportunities.records[0]).toMatchObject({ Pricebook2Id: PRICEBOOK_ID, Delivery_Lead__c: USER_ID });
  }, 60_000);

  it('imports nothing when the running user bypasses the Handoff triggers', () => {
    const { code, output, calls } = runImport({ SF_STUB_BYPASS: '1' });
    expect(output).toContain('Handoff_Bypass_Automation (permission set Handoff_Data_Loader)');
    expect(code).toBe(1);
    expect(calls.some((call) => call.startsWith('data import'))).toBe(false);
  }, 60_000);

  it('imports a plan generated for SAMPLE_DATA_TODAY', () => {
    const { code, output, capture } = runImport({ SAMPLE_DATA_TODAY: '2027-09-06' });
    expect(output).toContain('Generating the sample data for 2027-09-06');
    expect(code).toBe(0);
    const holidays = JSON.parse(readFileSync(join(capture, 'Holiday.json'), 'utf8')) as {
      records: { ActivityDate: string }[];
    };
    expect(holidays.records.every((holiday) => holiday.ActivityDate >= '2027-09-06')).toBe(true);
    expect(readFileSync(join(capture, 'PricebookEntry.json'), 'utf8')).toContain(PRICEBOOK_ID);
  }, 60_000);
});
