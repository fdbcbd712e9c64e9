import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLocalOrg, type LocalOrg } from '@handoff/local-org';
import { runtimeInstall } from '../../../scripts/check/dockerfile';
import { signedBody, signedUrl } from './http/auth';

// Installing the runtime dependencies and compiling take a minute or two on a busy machine.
jest.setTimeout(600_000);

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SECRET = randomBytes(32).toString('hex');

/**
 * The service as the container runs it: the runtime stage of the Dockerfile replayed into a temporary folder (its
 * manifests copied, its `npm ci` run), the service compiled by the build script into that folder's dist, then
 * `node services/capacity/dist/serve.js` started with environment variables alone against a local org.
 */
describe('the deployed capacity service', () => {
  let image: string;
  let dataDir: string;
  let org: LocalOrg;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    image = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-image-'));
    const { manifests, commands } = runtimeInstall(fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'));
    for (const manifest of manifests) {
      fs.mkdirSync(path.dirname(path.join(image, manifest)), { recursive: true });
      fs.copyFileSync(path.join(ROOT, manifest), path.join(image, manifest));
    }
    // npm run sets npm_* variables for its children; the install must see none of the outer run's settings.
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
    for (const command of commands) {
      // --prefer-offline: the same packages, from the machine's npm cache where it has them.
      const install = spawnSync('sh', ['-c', `${command} --prefer-offline`], { cwd: image, env, encoding: 'utf8' });
      if (install.status !== 0) throw new Error(`${command} failed:\n${install.stdout}\n${install.stderr}`);
    }
    const build = spawnSync(
      process.execPath,
      [path.join(ROOT, 'services/capacity/scripts/build.mjs'), '--out-dir', path.join(image, 'services/capacity/dist')],
      { cwd: ROOT, encoding: 'utf8' }
    );
    if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}\n${build.stderr}`);

    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-serve-'));
    org = await createLocalOrg({ projectRoot: ROOT, dataDir });
    seedSmallFirm(org);
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await org?.close();
    for (const dir of [image, dataDir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Starts the compiled service with exactly `env`, collecting its JSON log lines. */
  function serve(env: Record<string, string>) {
    const child = spawn(process.execPath, [path.join(image, 'services/capacity/dist/serve.js')], { cwd: image, env });
    children.push(child);
    const logs: Record<string, unknown>[] = [];
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const lines = stdout.split('\n');
      stdout = lines.pop()!;
      for (const line of lines) logs.push(JSON.parse(line) as Record<string, unknown>);
    });
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, logs, stderr: () => stderr, exited };
  }

  const orgEnv = () => ({
    HANDOFF_INSTANCE_URL: org.url,
    HANDOFF_ACCESS_TOKEN: org.accessToken,
    HANDOFF_REFRESH_TOKEN: org.refreshToken,
    HANDOFF_SERVICE_SECRET: SECRET,
    PORT: '0',
    HANDOFF_PROBE_PORT: '0',
    HANDOFF_LISTEN_HOST: '127.0.0.1'
  });

  async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 60_000) {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  const listening = (logs: Record<string, unknown>[]) =>
    until('the service to listen', () => {
      const line = logs.find((entry) => entry.message === 'listening');
      return line ? { api: `http://127.0.0.1:${line.port}`, probes: `http://127.0.0.1:${line.probePort}` } : undefined;
    });

  it('holds only production dependencies of the capacity workspace', () => {
    for (const dev of ['typescript', 'tsx', 'jest', '@salesforce/core', '@handoff/local-org']) {
      expect(fs.existsSync(path.join(image, 'node_modules', dev))).toBe(false);
    }
    for (const runtime of ['express', 'jsforce', 'zod', 'csv-stringify']) {
      expect(fs.existsSync(path.join(image, 'node_modules', runtime, 'package.json'))).toBe(true);
    }
  });

  it('refuses to start on a bad environment: one message, exit code 2, nothing listening', async () => {
    const empty = serve({});
    expect(await empty.exited).toBe(2);
    expect(empty.logs).toEqual([]);
    expect(empty.stderr()).toContain('The capacity service cannot start. Fix these environment variables:');
    expect(empty.stderr()).toContain('  - no org connection is set');
    expect(empty.stderr()).toContain('  - HANDOFF_SERVICE_SECRET is not set (or is blank)');

    const alias = serve({ HANDOFF_TARGET_ORG: 'scratch', HANDOFF_SERVICE_SECRET: SECRET, HANDOFF_PROBE_PORT: 'x' });
    expect(await alias.exited).toBe(2);
    expect(alias.stderr().trim().split('\n')).toEqual([
      'The capacity service cannot start. Fix these environment variables:',
      '  - HANDOFF_PROBE_PORT is not a port number (0-65535)',
      '  - HANDOFF_TARGET_ORG needs @salesforce/core (the sf CLI library), which this installation leaves out: ' +
        'use the JWT bearer flow instead, or run from a checkout with its devDependencies'
    ]);
  });

  it('becomes ready, runs a signed forecast request to completion, and stops on SIGTERM with exit code 0', async () => {
    const service = serve(orgEnv());
    const { api, probes } = await listening(service.logs);

    expect(await (await fetch(`${probes}/livez`)).json()).toEqual({ status: 'ok' });
    await until('/readyz to answer 200', async () => ((await fetch(`${probes}/readyz`)).ok ? true : undefined));
    expect((await fetch(`${probes}/runs`)).status).toBe(404);
    expect((await fetch(`${api}/healthz`)).status).toBe(401);

    const requestId = randomUUID();
    const { body, headers } = signedBody(SECRET, 'POST', '/runs', { requestId, reason: 'Manual' });
    const accepted = await fetch(`${api}/runs`, { method: 'POST', headers, body });
    expect(accepted.status).toBe(202);
    const { runId } = (await accepted.json()) as { runId: string };

    const finished = await until('the run to finish', async () => {
      const { url, headers: signed } = signedUrl(SECRET, 'GET', `/runs/${runId}`);
      const run = (await (await fetch(`${api}${url}`, { headers: signed })).json()) as {
        status: string;
        outcome?: { rowsWritten: number; error?: unknown };
      };
      return run.status === 'Completed' || run.status === 'Failed' ? run : undefined;
    });
    expect(finished).toMatchObject({ status: 'Completed', outcome: { rowsWritten: expect.any(Number) } });
    expect(finished.outcome!.rowsWritten).toBeGreaterThan(0);
    expect(org.store.query(`SELECT Status__c FROM Capacity_Forecast_Run__c WHERE Run_Key__c = '${runId}'`)).toEqual([
      expect.objectContaining({ Status__c: 'Completed' })
    ]);

    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    expect(service.logs.map((entry) => entry.message)).toEqual(
      expect.arrayContaining(['ready: the org answers', 'run started', 'run completed', 'shutting down', 'stopped'])
    );
    expect(service.stderr()).toBe('');
  });

  it('lets the current run finish when SIGTERM arrives during it', async () => {
    const service = serve({ ...orgEnv(), HANDOFF_SHUTDOWN_GRACE_SECONDS: '120' });
    const { api } = await listening(service.logs);
    const { body, headers } = signedBody(SECRET, 'POST', '/runs', { requestId: randomUUID() });
    const { runId } = (await (await fetch(`${api}/runs`, { method: 'POST', headers, body })).json()) as {
      runId: string;
    };

    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    expect(service.logs.find((entry) => entry.message === 'shutting down')).toMatchObject({ waitingFor: runId });
    expect(service.logs.find((entry) => entry.message === 'run completed')).toMatchObject({ runId });
    expect(org.store.query(`SELECT Status__c FROM Capacity_Forecast_Run__c WHERE Run_Key__c = '${runId}'`)).toEqual([
      expect.objectContaining({ Status__c: 'Completed' })
    ]);
  });

  it('is alive but not ready while the org refuses its token', async () => {
    const service = serve({ ...orgEnv(), HANDOFF_ACCESS_TOKEN: 'not-a-token', HANDOFF_REFRESH_TOKEN: '' });
    const { probes } = await listening(service.logs);
    expect((await fetch(`${probes}/livez`)).status).toBe(200);
    const refused = await fetch(`${probes}/readyz`);
    expect(refused.status).toBe(503);
    expect(await refused.json()).toEqual({
      status: 'unavailable',
      reason: 'the org did not answer GET /limits (INVALID_SESSION_ID)'
    });
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
  });
});

/** A small firm: four developers, a won engagement with demand over the coming weeks, one hard booking. */
function seedSmallFirm(org: LocalOrg): void {
  const day = 86_400_000;
  const today = Math.floor(Date.now() / day);
  const monday = today - ((new Date(today * day).getUTCDay() + 6) % 7);
  const date = (days: number) => new Date((monday + days) * day).toISOString().slice(0, 10);
  const people = org.store.seed(
    'Resource__c',
    ['Ada', 'Brian', 'Chen', 'Dana'].map((Name) => ({
      Name,
      Primary_Role__c: 'Developer',
      Weekly_Capacity_Hours__c: 40
    }))
  );
  const [won] = org.store.seed('Engagement__c', [{ Name: 'Won rollout', Status__c: 'Active', Billable__c: true }]);
  org.store.seed('Resource_Demand__c', [
    {
      Engagement__c: won,
      Role__c: 'Developer',
      Total_Hours__c: 480,
      Start_Date__c: date(0),
      End_Date__c: date(39),
      Status__c: 'Open',
      Probability__c: 100
    }
  ]);
  org.store.seed('Assignment__c', [
    {
      Engagement__c: won,
      Resource__c: people[0],
      Hours_Per_Week__c: 40,
      Start_Date__c: date(0),
      End_Date__c: date(39),
      Booking_Type__c: 'Hard'
    }
  ]);
}
