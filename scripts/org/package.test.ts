import { chmodSync, copyFileSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, processesWith, runScript, temporaryFolders } from './testing';

// Runs the packaging scripts (bash and a fake sf CLI) as processes: a generous timeout, whatever else the machine runs.
jest.setTimeout(60_000);

/**
 * `npm run package:create` and `npm run package:version` without an org: without a Dev Hub they stop within seconds
 * with exit 2; with one (a stub `sf`), they run the documented sf commands, and package:version refuses to run
 * before the package exists.
 */

const ROOT = join(__dirname, '..', '..');
const folders = temporaryFolders();
const tempDir = folders.make;

afterAll(folders.removeAll);
const run = (script: string, env: NodeJS.ProcessEnv) => runScript(script, [], env);

describe.each(['package-version.sh', 'package-create.sh'])('%s without a Dev Hub', (script) => {
  it('stops within seconds with exit 2, says what is missing and how to log in, and leaves no process behind', async () => {
    const marker = `HANDOFF_PACKAGE_MARKER=${process.pid}-${Date.now()}`;
    const [key, value] = marker.split('=');
    const { code, stderr, seconds } = await run(
      join(ROOT, 'scripts/org', script),
      cleanEnv(tempDir('handoff-home-'), { [key]: value })
    );

    expect(stderr).toContain('No authorized Dev Hub');
    expect(stderr).toContain('sf org login web --set-default-dev-hub --alias devhub');
    expect(code).toBe(2);
    expect(seconds).toBeLessThan(30);
    const leftBehind = processesWith(marker);
    leftBehind.forEach((line) => process.kill(Number.parseInt(line, 10))); // ps lines start with the pid
    expect(leftBehind).toEqual([]);
  }, 60_000);
});

/**
 * A copy of scripts/org and of sfdx-project.json (with the given package aliases) in a scratch project whose
 * node_modules/.bin/sf is a stub that logs its arguments and answers like sf for a Dev Hub named devhub.
 */
function stubProject(aliases: Record<string, string>, versionResult: object): { root: string; log: string } {
  const root = tempDir('handoff-package-');
  const orgDir = join(root, 'scripts/org');
  const bin = join(root, 'node_modules/.bin');
  mkdirSync(orgDir, { recursive: true });
  mkdirSync(bin, { recursive: true });
  for (const file of readdirSync(__dirname)) {
    if (file.endsWith('.sh')) copyFileSync(join(__dirname, file), join(orgDir, file));
  }
  const project = JSON.parse(readFileSync(join(ROOT, 'sfdx-project.json'), 'utf8'));
  writeFileSync(join(root, 'sfdx-project.json'), JSON.stringify({ ...project, packageAliases: aliases }, null, 2));
  writeFileSync(join(root, 'version-result.json'), JSON.stringify(versionResult));
  symlinkSync(process.execPath, join(bin, 'node'));
  writeFileSync(
    join(bin, 'sf'),
    `#!/usr/bin/env bash
echo "$*" >> "$SF_STUB_LOG"
case "$1 $2" in
  "config get") echo '{"status":0,"result":[{"key":"target-dev-hub","value":"devhub"}]}' ;;
  "org list") echo '{"status":0,"result":[{"username":"hub@example.com","alias":"devhub","isDevHub":true}]}' ;;
  "package create")
    node -e 'const fs = require("fs"); const p = JSON.parse(fs.readFileSync("sfdx-project.json", "utf8"));
      p.packageAliases = { ...p.packageAliases, Handoff: "0HoSTUB0000000001" };
      fs.writeFileSync("sfdx-project.json", JSON.stringify(p, null, 2));' ;;
  "package version")
    cat "${join(root, 'version-result.json')}"
    node -e 'process.exit(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).status)' "${join(root, 'version-result.json')}" ;;
esac
`
  );
  chmodSync(join(bin, 'sf'), 0o755);
  return { root, log: join(root, 'sf.log') };
}

const calls = (log: string) => readFileSync(log, 'utf8').trim().split('\n');
const SUCCESS = {
  status: 0,
  result: { Id: '08cSTUB0000000001', Status: 'Success', SubscriberPackageVersionId: '04tSTUB0000000001' }
};

describe('npm run package:version with a Dev Hub (stub sf)', () => {
  it('stops with exit 3 and says to run package:create when the package does not exist yet', async () => {
    const { root, log } = stubProject({}, SUCCESS);
    const { code, stderr } = await run(
      join(root, 'scripts/org/package-version.sh'),
      cleanEnv(tempDir('h-'), { SF_STUB_LOG: log })
    );

    expect(code).toBe(3);
    expect(stderr).toContain('npm run package:create');
    expect(calls(log).some((call) => call.startsWith('package version create'))).toBe(false);
  }, 60_000);

  it('creates a version with code coverage and prints how to install it', async () => {
    const { root, log } = stubProject({ Handoff: '0HoSTUB0000000001' }, SUCCESS);
    const { code, output } = await run(
      join(root, 'scripts/org/package-version.sh'),
      cleanEnv(tempDir('h-'), { SF_STUB_LOG: log })
    );

    expect(code).toBe(0);
    expect(calls(log)).toContain(
      'package version create --package Handoff --code-coverage --installation-key-bypass --wait 60 --target-dev-hub devhub --json'
    );
    expect(output).toContain(
      'sf package install --package 04tSTUB0000000001 --wait 10 --security-type AdminsOnly --target-org <your org>'
    );
  }, 60_000);

  it('fails with sf’s reason and the request to follow when the version is not created', async () => {
    const failure = {
      status: 1,
      message: 'Apex tests failed: EngagementSharingTest',
      result: { Id: '08cSTUB0000000002', Status: 'Error' }
    };
    const { root, log } = stubProject({ Handoff: '0HoSTUB0000000001' }, failure);
    const { code, stderr } = await run(
      join(root, 'scripts/org/package-version.sh'),
      cleanEnv(tempDir('h-'), { SF_STUB_LOG: log })
    );

    expect(code).toBe(1);
    expect(stderr).toContain('Apex tests failed: EngagementSharingTest');
    expect(stderr).toContain('sf package version create report --package-create-request-id 08cSTUB0000000002');
  }, 60_000);
});

describe('npm run package:create with a Dev Hub (stub sf)', () => {
  it('creates the unlocked package without a namespace, once', async () => {
    const { root, log } = stubProject({}, SUCCESS);
    const env = cleanEnv(tempDir('h-'), { SF_STUB_LOG: log });
    const first = await run(join(root, 'scripts/org/package-create.sh'), env);
    const second = await run(join(root, 'scripts/org/package-create.sh'), env);

    expect(first.code).toBe(0);
    expect(first.output).toContain('packageAliases.Handoff = 0HoSTUB0000000001');
    expect(second.code).toBe(0);
    expect(second.output).toContain('already exists');
    const creates = calls(log).filter((call) => call.startsWith('package create'));
    expect(creates).toHaveLength(1);
    expect(creates[0]).toMatch(
      /^package create --name Handoff --package-type Unlocked --path force-app --no-namespace /
    );
    expect(creates[0]).toContain('--target-dev-hub devhub');
  }, 60_000);
});
