import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { createLocalOrg, type LocalOrg } from '@handoff/local-org';
import type { RunOutcome } from './runner';

jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const CHILD = path.join(__dirname, 'testing', 'forecast-child.ts');

interface Step {
  t: number;
  stage: string;
  detail?: string;
}

/** A forecast run in a child process (tsx), started when `go()` is called; `done` resolves with its output. */
class ChildRun {
  readonly steps: Step[] = [];
  readonly ready: Promise<void>;
  readonly done: Promise<{ outcome?: RunOutcome; code: number | null; stderr: string }>;
  private readonly child: ChildProcessWithoutNullStreams;

  constructor(
    org: LocalOrg,
    readonly runKey: string,
    ttlMs: number,
    onStep: (step: Step) => void = () => undefined
  ) {
    this.child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      cwd: ROOT,
      env: {
        ...process.env,
        HANDOFF_TEST_ORG_URL: org.url,
        HANDOFF_TEST_ORG_TOKEN: org.accessToken,
        HANDOFF_TEST_RUN_KEY: runKey,
        HANDOFF_TEST_LEASE_TTL_MS: String(ttlMs)
      }
    });
    let stderr = '';
    let outcome: RunOutcome | undefined;
    let markReady: () => void = () => undefined;
    this.ready = new Promise((resolve) => (markReady = resolve));
    this.child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    readline.createInterface({ input: this.child.stdout }).on('line', (line) => {
      const message = JSON.parse(line) as { ready?: boolean; outcome?: RunOutcome } & Partial<Step>;
      if (message.ready) markReady();
      else if (message.outcome) outcome = message.outcome;
      else {
        this.steps.push(message as Step);
        onStep(message as Step);
      }
    });
    this.done = new Promise((resolve) => this.child.once('exit', (code) => resolve({ outcome, code, stderr })));
  }

  go(): void {
    this.child.stdin.write('go\n');
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }

  /** When it held the lease: from its first read (after the claim) to its last step. */
  held(): { from: number; to: number } {
    const from = this.steps.find((step) => step.stage === 'read')!.t;
    return { from, to: this.steps.at(-1)!.t };
  }

  timesOf(stage: string): number[] {
    return this.steps.filter((step) => step.stage === stage).map((step) => step.t);
  }
}

/**
 * Two processes racing forecast runs on one org (the service and `npm run forecast`, or two replicas): they share
 * nothing but the org, so only the run lease keeps them apart.
 */
describe('forecast runs in two processes on one org', () => {
  let org: LocalOrg;
  let dataDir: string;
  const started: ChildRun[] = [];

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-race-'));
    org = await createLocalOrg({ projectRoot: ROOT, dataDir });
  });
  afterAll(async () => {
    for (const child of started) child.kill();
    await Promise.all(started.map((child) => child.done));
    await org.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    org.reset();
    org.faults.clear();
    org.store.seed(
      'Resource__c',
      ['Ada', 'Brian', 'Chen'].map((Name) => ({ Name, Primary_Role__c: 'Developer', Weekly_Capacity_Hours__c: 40 }))
    );
    const [engagement] = org.store.seed('Engagement__c', [
      { Name: 'Won rollout', Status__c: 'Active', Billable__c: true }
    ]);
    org.store.seed('Resource_Demand__c', [
      {
        Engagement__c: engagement,
        Role__c: 'Developer',
        Total_Hours__c: 480,
        Start_Date__c: '2026-11-23',
        End_Date__c: '2027-01-01',
        Status__c: 'Open',
        Probability__c: 100
      }
    ]);
  });

  const childRun = (ttlMs: number, onStep?: (step: Step) => void) => {
    const child = new ChildRun(org, randomUUID(), ttlMs, onStep);
    started.push(child);
    return child;
  };
  const runRecord = (runKey: string) =>
    org.store.query(
      `SELECT Id, Status__c, Slot__c, Waited_For__c, Error__c FROM Capacity_Forecast_Run__c WHERE Run_Key__c = '${runKey}'`
    )[0]!;

  it('publishes one run at a time: the loser waits for the holder, then completes into the other slot', async () => {
    org.faults.set({ latencyMs: 25 }); // long enough runs that both are under way at once
    const [one, two] = [childRun(60_000), childRun(60_000)];
    await Promise.all([one.ready, two.ready]);
    one.go();
    two.go();
    const [doneOne, doneTwo] = await Promise.all([one.done, two.done]);
    expect([doneOne.code, doneTwo.code]).toEqual([0, 0]);
    expect(doneOne.stderr + doneTwo.stderr).toBe('');
    expect([doneOne.outcome!.status, doneTwo.outcome!.status]).toEqual(['Completed', 'Completed']);

    // Both were running at once: the second claimer started before the first one finished.
    const [first, second] = one.held().from < two.held().from ? [one, two] : [two, one];
    expect(second.steps[0]!.t).toBeLessThan(first.held().to);
    // It waited for the holder, and says so in its run record.
    expect(second.steps.some((step) => step.stage === 'lease' && step.detail?.includes(first.runKey))).toBe(true);
    expect(String(runRecord(second.runKey).Waited_For__c)).toMatch(new RegExp(`^run ${first.runKey}: waited`));
    expect(runRecord(first.runKey).Waited_For__c).toBeNull();

    // The lease kept them apart: the holds do not overlap, and every write and publish lies within its run's hold.
    expect(first.held().to).toBeLessThanOrEqual(second.held().from);
    for (const run of [first, second]) {
      for (const t of [...run.timesOf('write'), ...run.timesOf('done')]) {
        expect(t).toBeGreaterThanOrEqual(run.held().from);
        expect(t).toBeLessThanOrEqual(run.held().to);
      }
    }

    // Each published its own slot; every row of the slot readers use now was written by its holder.
    const slots = [runRecord(first.runKey).Slot__c, runRecord(second.runKey).Slot__c];
    expect([...slots].sort()).toEqual(['A', 'B']);
    const [current] = org.store.query(
      "SELECT Id, Run_Key__c, Slot__c FROM Capacity_Forecast_Run__c WHERE Status__c = 'Completed' ORDER BY Finished_At__c DESC LIMIT 1"
    );
    expect(current!.Run_Key__c).toBe(second.runKey);
    const writers = org.store.query(`SELECT Run__c FROM Capacity_Forecast__c WHERE Slot__c = '${current!.Slot__c}'`);
    expect(writers.length).toBeGreaterThan(0);
    expect(new Set(writers.map((row) => row.Run__c))).toEqual(new Set([current!.Id]));
    // Given back: no live lease is left (released generations stay until the next claim deletes them).
    expect(org.store.query('SELECT Id FROM Capacity_Run_Lease__c WHERE Released__c = false')).toEqual([]);
  });

  it('takes over the lease of a process killed mid-run once it expires, and marks that run interrupted', async () => {
    org.faults.set({ latencyMs: 10 });
    const ttlMs = 2_000;
    let killedAt = 0;
    const next = childRun(ttlMs);
    const victim: ChildRun = childRun(ttlMs, (step) => {
      if (step.stage === 'compute' && !killedAt) {
        killedAt = Date.now();
        victim.kill(); // holding the lease, before it writes anything
        next.go(); // claims while the dead run's lease has not expired yet
      }
    });
    await Promise.all([victim.ready, next.ready]);
    victim.go();
    const killed = await victim.done;
    expect(killed.code).toBeNull();
    const done = await next.done;
    expect(done.stderr).toBe('');
    expect(done.outcome).toMatchObject({ status: 'Completed', slot: 'A' });
    // It waited for the dead holder until its lease expired (at most the TTL after its last renewal), then took over.
    expect(next.held().from - killedAt).toBeLessThan(ttlMs + 5_000);
    expect(String(runRecord(next.runKey).Waited_For__c)).toMatch(new RegExp(`^run ${victim.runKey}`));
    expect(runRecord(victim.runKey)).toMatchObject({ Status__c: 'Failed' });
    expect(String(runRecord(victim.runKey).Error__c)).toMatch(/Interrupted/);
    // Given back: no live lease is left (released generations stay until the next claim deletes them).
    expect(org.store.query('SELECT Id FROM Capacity_Run_Lease__c WHERE Released__c = false')).toEqual([]);
  });
});
