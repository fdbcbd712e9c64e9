import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { child, parseXml, textOf } from '@handoff/schema';

// Runs the subscriber script (bash and a fake sf CLI) as processes: a generous timeout, whatever else the machine runs.
jest.setTimeout(60_000);

/**
 * `set-event-subscriber.sh` against a stub `sf` that logs its arguments and keeps a copy of the metadata directory it
 * is asked to deploy: the PlatformEventSubscriberConfig must name the trigger, the running user and the batch size,
 * in the folder and with the suffix Metadata API expects.
 */
const temps: string[] = [];
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function project(): { root: string; log: string; copy: string } {
  const root = mkdtempSync(join(tmpdir(), 'handoff-subscriber-test-'));
  temps.push(root);
  const orgDir = join(root, 'scripts/org');
  const bin = join(root, 'node_modules/.bin');
  mkdirSync(orgDir, { recursive: true });
  mkdirSync(bin, { recursive: true });
  for (const file of ['env.sh', 'set-event-subscriber.sh']) copyFileSync(join(__dirname, file), join(orgDir, file));
  symlinkSync(process.execPath, join(bin, 'node'));
  writeFileSync(
    join(bin, 'sf'),
    `#!/usr/bin/env bash
echo "$*" >> "$SF_STUB_LOG"
case "$1 $2" in
  "org display") echo '{"status":0,"result":{"username":"admin@handoff-scratch.example","alias":"x"}}' ;;
  "project deploy")
    while (($#)); do [[ "$1" == --metadata-dir ]] && cp -r "$2" "$SF_STUB_COPY"; shift; done ;;
esac
`
  );
  chmodSync(join(bin, 'sf'), 0o755);
  return { root, log: join(root, 'sf.log'), copy: join(root, 'deployed') };
}

function run(args: string[]) {
  const { root, log, copy } = project();
  const out = spawnSync('bash', [join(root, 'scripts/org/set-event-subscriber.sh'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, SF_STUB_LOG: log, SF_STUB_COPY: copy, ORG_WAIT_MINUTES: '30' }
  });
  const calls = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
  return { code: out.status, output: out.stdout + out.stderr, calls, copy };
}

function deployedConfig(copy: string) {
  const folder = join(copy, 'PlatformEventSubscriberConfigs');
  expect(readdirSync(folder)).toEqual(['HandoffLifecycleEventSubscriber.platformEventSubscriberConfig']);
  const xml = parseXml(
    readFileSync(join(folder, 'HandoffLifecycleEventSubscriber.platformEventSubscriberConfig'), 'utf8'),
    'config'
  );
  const manifest = parseXml(readFileSync(join(copy, 'package.xml'), 'utf8'), 'package.xml');
  return { xml, manifest };
}

describe('set-event-subscriber.sh', () => {
  it('deploys a subscriber config that runs the lifecycle trigger as the given user', () => {
    const { code, calls, copy } = run(['handoff-dev', 'integration@acme.example', '500']);

    expect(code).toBe(0);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatch(/^project deploy start --metadata-dir \S+ --target-org handoff-dev --wait 30$/);
    const { xml, manifest } = deployedConfig(copy);
    expect(xml.name).toBe('PlatformEventSubscriberConfig');
    expect(xml.attributes.xmlns).toBe('http://soap.sforce.com/2006/04/metadata');
    expect(textOf(xml, 'platformEventConsumer')).toBe('HandoffLifecycleEventTrigger');
    expect(textOf(xml, 'user')).toBe('integration@acme.example');
    expect(textOf(xml, 'batchSize')).toBe('500');
    expect(textOf(xml, 'masterLabel')).toBeTruthy();
    const types = child(manifest, 'types');
    expect(types && textOf(types, 'name')).toBe('PlatformEventSubscriberConfig');
    expect(types && textOf(types, 'members')).toBe('HandoffLifecycleEventSubscriber');
  });

  it("defaults to the org's admin user (a scratch org's admin holds every Handoff permission set) and 200 events", () => {
    const { code, calls, copy } = run(['handoff-test']);

    expect(code).toBe(0);
    expect(calls[0]).toBe('org display --target-org handoff-test --json');
    const { xml } = deployedConfig(copy);
    expect(textOf(xml, 'user')).toBe('admin@handoff-scratch.example');
    expect(textOf(xml, 'batchSize')).toBe('200');
  });

  it('escapes the username for XML', () => {
    const { code, copy } = run(['handoff-dev', "o'neil&co@acme.example"]);

    expect(code).toBe(0);
    expect(textOf(deployedConfig(copy).xml, 'user')).toBe("o'neil&co@acme.example");
  });

  it.each(['0', '2001', 'ten'])('refuses batch size %s without calling sf', (size) => {
    const { code, output, calls } = run(['handoff-dev', 'integration@acme.example', size]);

    expect(code).toBe(1);
    expect(output).toContain('Batch size must be a whole number from 1 through 2000');
    expect(calls).toEqual([]);
  });
});
