import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLocalOrg, type LocalOrg } from '@handoff/local-org';
import type { RunState } from './coordinator';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/**
 * The last resort runs in a child process: errors escaping a run are process-wide events (jest would take them for
 * its own test's failure), and "keeps serving" means the process is still there afterwards.
 */
describe('the service last resort', () => {
  let org: LocalOrg;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-last-resort-'));
    org = await createLocalOrg({ projectRoot: ROOT, dataDir });
    org.store.seed('Resource__c', [{ Name: 'Ada', Primary_Role__c: 'Developer', Weekly_Capacity_Hours__c: 40 }]);
  });
  afterAll(async () => {
    await org.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const runChild = (script: string) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'testing', script)], {
        cwd: ROOT,
        env: { ...process.env, HANDOFF_TEST_ORG_URL: org.url, HANDOFF_TEST_ORG_TOKEN: org.accessToken }
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });

  it('logs an error that escaped a run, marks that run Failed with it in the org, and keeps serving', async () => {
    const { code, stdout, stderr } = await runChild('last-resort-child.ts');
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    const [thrown, rejected, plain] = (JSON.parse(stdout) as { runs: RunState[] }).runs;
    expect(thrown).toMatchObject({ status: 'Failed', outcome: { error: { errorCode: 'UNCAUGHT' } } });
    expect(rejected).toMatchObject({ status: 'Failed' });
    expect(plain).toMatchObject({ status: 'Completed' });
    expect(stderr).toMatch(/uncaughtException: Error: boom outside the run/);
    expect(stderr).toMatch(/unhandledRejection: Error: rejected outside the run/);

    const record = (runKey: string) =>
      org.store.query(`SELECT Status__c, Error__c FROM Capacity_Forecast_Run__c WHERE Run_Key__c = '${runKey}'`)[0]!;
    expect(record(thrown!.runId).Status__c).toBe('Failed');
    expect(String(record(thrown!.runId).Error__c)).toMatch(/boom outside the run/);
    expect(record(rejected!.runId).Status__c).toBe('Failed');
    expect(String(record(rejected!.runId).Error__c)).toMatch(/rejected outside the run/);
    // The stopped runs published nothing: the only completed run is the plain one.
    expect(org.store.query("SELECT Run_Key__c FROM Capacity_Forecast_Run__c WHERE Status__c = 'Completed'")).toEqual([
      expect.objectContaining({ Run_Key__c: plain!.runId })
    ]);
  });
});
