import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, processesWith, runScript, temporaryFolders } from './testing';

// Runs the scratch-org scripts (bash and a fake sf CLI) as processes: a generous timeout, whatever else the machine runs.
jest.setTimeout(60_000);

/**
 * The "With a Salesforce org" scripts, without an org: `npm run test:org` must stop at once with
 * exit 2 when no Dev Hub is authorized; the pipeline's steps and clean-up are checked against a
 * stub `sf`; the coverage gate is checked on results shaped like `sf apex run test --json`.
 */

const ROOT = join(__dirname, '..', '..');
const FIXTURE = join(__dirname, '__fixtures__', 'apex-run-test.json');
const folders = temporaryFolders();
const tempDir = folders.make;

afterAll(folders.removeAll);
const run = runScript;

describe('npm run test:org without a Dev Hub', () => {
  it('stops at once with exit 2, says what is missing and how to log in, and leaves no process behind', async () => {
    const marker = `HANDOFF_TEST_ORG_MARKER=${process.pid}-${Date.now()}`;
    const [key, value] = marker.split('=');
    const { code, output } = await run(
      join(ROOT, 'scripts/org/test-org.sh'),
      [],
      cleanEnv(tempDir('handoff-home-'), { [key]: value })
    );

    expect(output).toContain('No authorized Dev Hub');
    expect(output).toContain('sf org login web --set-default-dev-hub --alias devhub');
    expect(code).toBe(2);
    const leftBehind = processesWith(marker);
    leftBehind.forEach((line) => process.kill(Number.parseInt(line, 10))); // ps lines start with the pid
    expect(leftBehind).toEqual([]);
  }, 60_000);
});

/** A copy of scripts/org in a scratch project whose node_modules/.bin/sf is a stub that logs its arguments. */
function stubProject(apexResult: object): { root: string; log: string } {
  const root = tempDir('handoff-stub-');
  const orgDir = join(root, 'scripts/org');
  const bin = join(root, 'node_modules/.bin');
  mkdirSync(orgDir, { recursive: true });
  mkdirSync(bin, { recursive: true });
  for (const file of readdirSync(__dirname)) {
    if (file.endsWith('.sh') || file.endsWith('.mjs')) copyFileSync(join(__dirname, file), join(orgDir, file));
  }
  mkdirSync(join(root, 'force-app/main/shared/permissionsets'), { recursive: true });
  writeFileSync(
    join(root, 'force-app/main/shared/permissionsets/Handoff_User.permissionset-meta.xml'),
    '<PermissionSet/>'
  );
  // Never assigned automatically: it bypasses the automation the sample data relies on.
  writeFileSync(
    join(root, 'force-app/main/shared/permissionsets/Handoff_Data_Loader.permissionset-meta.xml'),
    '<PermissionSet/>'
  );
  writeFileSync(join(root, 'apex-result.json'), JSON.stringify(apexResult));
  symlinkSync(process.execPath, join(bin, 'node'));
  writeFileSync(
    join(bin, 'sf'),
    `#!/usr/bin/env bash
echo "$*" >> "$SF_STUB_LOG"
[[ "$*" == "\${SF_STUB_FAIL:-none}"* ]] && { echo "stub sf: $* failed" >&2; exit 1; }
case "$1 $2" in
  "config get") echo '{"status":0,"result":[{"key":"target-dev-hub","value":"devhub"}]}' ;;
  "org list") echo '{"status":0,"result":[{"username":"hub@example.com","alias":"devhub","isDevHub":true}]}' ;;
  "org display") echo '{"status":0,"result":{"username":"admin@example.com"}}' ;;
  "org assign") echo '{"status":0,"result":{"successes":[{"name":"admin@example.com","value":"Handoff_User"}],"failures":[]}}' ;;
  "apex run")
    while (($#)); do [[ "$1" == --output-dir ]] && dir="$2"; shift; done
    echo 707STUB > "$dir/test-run-id.txt"
    cp "${join(root, 'apex-result.json')}" "$dir/test-result-707STUB.json" ;;
esac
`
  );
  chmodSync(join(bin, 'sf'), 0o755);
  return { root, log: join(root, 'sf.log') };
}

function apexResult(orgWideCoverage: string): object {
  const json = JSON.parse(readFileSync(FIXTURE, 'utf8'));
  json.result.summary.orgWideCoverage = orgWideCoverage;
  return json.result; // the output dir holds the bare result, without { status, result }
}

describe('npm run test:org with a Dev Hub (stub sf)', () => {
  async function runPipeline(coverage: string, fail?: string) {
    const { root, log } = stubProject(apexResult(coverage));
    const env = cleanEnv(tempDir('handoff-home-'), { SF_STUB_LOG: log, ...(fail ? { SF_STUB_FAIL: fail } : {}) });
    const { code, output } = await run(join(root, 'scripts/org/test-org.sh'), [], env);
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    const alias = /--alias (handoff-test-\S+)/.exec(calls.find((c) => c.startsWith('org create scratch')) ?? '')?.[1];
    return { code, output, calls, alias };
  }

  it('creates a one-day scratch org, deploys, assigns permission sets, sets the event subscriber, tests, and deletes the org', async () => {
    const { code, output, calls, alias } = await runPipeline('93%');

    expect(code).toBe(0);
    expect(alias).toBeDefined();
    const org = `--target-org ${alias}`;
    expect(calls.slice(2)).toEqual([
      `org create scratch --definition-file config/project-scratch-def.json --alias ${alias} --duration-days 1 --wait 30 --target-dev-hub devhub`,
      `project deploy start --source-dir force-app ${org} --wait 30`,
      `org assign permset --name Handoff_User ${org} --json`,
      `org display ${org} --json`,
      expect.stringMatching(new RegExp(`^project deploy start --metadata-dir \\S+ ${org} --wait 30$`)),
      `apex run test ${org} --test-level RunLocalTests --code-coverage --result-format json --output-dir artifacts/apex-tests/${alias} --wait 30`,
      `org delete scratch ${org} --no-prompt`
    ]);
    expect(output).toContain('No sample data yet');
    expect(output).toContain('PASS: all Apex tests passed and org-wide coverage 93%');
  }, 60_000);

  it('fails under 90% org-wide coverage and still deletes the org', async () => {
    const { code, output, calls, alias } = await runPipeline('89%');

    expect(code).toBe(1);
    expect(output).toContain('FAIL: org-wide coverage 89% is below the minimum 90%');
    expect(calls[calls.length - 1]).toBe(`org delete scratch --target-org ${alias} --no-prompt`);
  }, 60_000);

  it('deletes the org when the deployment fails, without running the tests', async () => {
    const { code, calls, alias } = await runPipeline('93%', 'project deploy');

    expect(code).toBe(1);
    expect(calls.some((c) => c.startsWith('apex run test'))).toBe(false);
    expect(calls[calls.length - 1]).toBe(`org delete scratch --target-org ${alias} --no-prompt`);
  }, 60_000);
});

describe('coverage-check.mjs', () => {
  const check = (result: object, ...args: string[]) => {
    const file = join(tempDir('handoff-coverage-'), 'result.json');
    writeFileSync(file, JSON.stringify(result));
    const out = spawnSync(process.execPath, [join(__dirname, 'coverage-check.mjs'), file, ...args], {
      encoding: 'utf8'
    });
    return { code: out.status, output: out.stdout + out.stderr };
  };
  const withCoverage = (percent: string) => {
    const json = JSON.parse(readFileSync(FIXTURE, 'utf8'));
    json.result.summary.orgWideCoverage = percent;
    json.result.coverage.summary.orgWideCoverage = percent;
    return json;
  };

  it('passes the sample `sf apex run test --json` output (93%)', () => {
    const { code, output } = check(JSON.parse(readFileSync(FIXTURE, 'utf8')));
    expect(output).toContain('Apex tests: 2 ran, 2 passed, 0 failed; org-wide coverage 93% (minimum 90%)');
    expect(code).toBe(0);
  });

  it('passes at exactly 90% and fails at 89%', () => {
    expect(check(withCoverage('90%')).code).toBe(0);
    const { code, output } = check(withCoverage('89%'));
    expect(output).toContain('FAIL: org-wide coverage 89% is below the minimum 90%.');
    expect(code).toBe(1);
  });

  it('honours another minimum', () => {
    expect(check(withCoverage('89%'), '85').code).toBe(0);
    expect(check(withCoverage('93%'), '95').code).toBe(1);
  });

  it('fails when a test fails, whatever the coverage', () => {
    const json = withCoverage('100%');
    Object.assign(json.result.summary, { outcome: 'Failed', passing: 1, failing: 1 });
    Object.assign(json.result.tests[1], { Outcome: 'Fail', Message: 'System.AssertException: Assertion Failed' });
    const { code, output } = check(json);
    expect(output).toContain('Fail: EngagementSummaryControllerTest.rejectsMissingEngagement: System.AssertException');
    expect(output).toContain('FAIL: 1 Apex test(s) failed.');
    expect(code).toBe(1);
  });

  it('adds up the per-class coverage when no percentage is given', () => {
    const json = withCoverage('93%');
    delete json.result.summary.orgWideCoverage;
    delete json.result.summary.testRunCoverage;
    delete json.result.coverage.summary.orgWideCoverage;
    const { code, output } = check(json); // 25 of 27 lines
    expect(output).toContain('org-wide coverage 92.59%');
    expect(code).toBe(0);
  });

  it('fails when the result has no coverage at all', () => {
    const json = withCoverage('93%');
    delete json.result.summary.orgWideCoverage;
    delete json.result.summary.testRunCoverage;
    delete json.result.coverage;
    const { code, output } = check(json);
    expect(output).toContain('the result has no coverage');
    expect(code).toBe(1);
  });

  it('reads an --output-dir through test-run-id.txt, and says so when the result is missing', () => {
    const dir = tempDir('handoff-outdir-');
    writeFileSync(join(dir, 'test-run-id.txt'), '707STUB');
    const script = join(__dirname, 'coverage-check.mjs');
    const missing = spawnSync(process.execPath, [script, dir], { encoding: 'utf8' });
    expect(missing.stderr).toContain('sf apex get test --test-run-id 707STUB');
    expect(missing.status).toBe(3);

    writeFileSync(join(dir, 'test-result-707STUB.json'), JSON.stringify(withCoverage('91%').result));
    const found = spawnSync(process.execPath, [script, dir], { encoding: 'utf8' });
    expect(found.stdout).toContain('org-wide coverage 91%');
    expect(found.status).toBe(0);
  });
});
