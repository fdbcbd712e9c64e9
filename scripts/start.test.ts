import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loginArgs, runSf } from '../services/local-org/src/testing/sf-cli';

// Starts the whole of `npm start` (org, service, first forecast, preview) and the sf CLI: minutes on a busy machine.
jest.setTimeout(600_000);

const ROOT = path.resolve(__dirname, '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(home: string, args: string[] = []): Started {
  let output = '';
  const child = spawn(TSX, [path.join(ROOT, 'scripts', 'start.ts'), ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      HANDOFF_HOME: home,
      HANDOFF_LOCAL_ORG_PORT: '0',
      HANDOFF_SERVICE_PORT: '0',
      HANDOFF_PREVIEW_PORT: '0',
      NODE_OPTIONS: '--disable-warning=ExperimentalWarning',
      SF_DISABLE_AUTOUPDATE: 'true',
      SF_AUTOUPDATE_DISABLE: 'true',
      SF_SKIP_NEW_VERSION_CHECK: 'true',
      SF_DISABLE_TELEMETRY: 'true'
    },
    stdio: ['ignore', 'pipe', 'pipe']
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** `npm start` as a user runs it: deal changes made with the sf CLI reach the published forecast by themselves. */
describe('npm start', () => {
  const folders: string[] = [];
  const children: ChildProcess[] = [];
  const folder = (prefix: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    folders.push(dir);
    return dir;
  };
  const launch = (home: string, args: string[] = []) => {
    const started = start(home, args);
    children.push(started.child);
    return started;
  };

  afterAll(async () => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGINT');
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([gone, new Promise((resolve) => (timer = setTimeout(resolve, 20_000)))]);
        clearTimeout(timer);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    }
    for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('publishes a new forecast after sf data update record changes a deal, and refuses a second start', async () => {
    const home = folder('handoff-start-');
    const first = launch(home);
    await until('the first npm start to run', () => (/^Running\./m.test(first.output()) ? true : undefined), 400_000);
    const orgUrl = /^Local org:\s+(http:\/\/127\.0\.0\.1:\d+)/m.exec(first.output())![1]!;
    const serviceUrl = /^Capacity service:\s+(http:\/\/127\.0\.0\.1:\d+)/m.exec(first.output())![1]!;
    const token = /SF_ACCESS_TOKEN='([^']+)'/.exec(first.output())![1]!;
    const pointer = fs.readFileSync(path.join(home, 'local-org.json'), 'utf8');
    const lock = JSON.parse(fs.readFileSync(path.join(home, 'start.lock'), 'utf8')) as { pid: number };

    // A second start with the same data says where the first runs, exits non-zero and leaves local-org.json alone.
    const second = launch(home);
    expect(await second.exited).not.toBe(0);
    expect(second.output()).toContain(`npm start is already running (pid ${lock.pid}`);
    expect(second.output()).toContain(orgUrl);
    expect(second.output()).toContain(serviceUrl);
    expect(fs.readFileSync(path.join(home, 'local-org.json'), 'utf8')).toBe(pointer);

    const query = async (soql: string) => {
      const response = await fetch(`${orgUrl}/services/data/v66.0/query?q=${encodeURIComponent(soql)}`, {
        headers: { Authorization: `Bearer ${token}` }
      });
      return ((await response.json()) as { records: Record<string, unknown>[] }).records;
    };
    const completed = async () =>
      query(
        "SELECT Run_Key__c, Slot__c, Trigger__c FROM Capacity_Forecast_Run__c WHERE Status__c = 'Completed' ORDER BY Finished_At__c DESC"
      );
    const [startRun] = await completed();
    expect(startRun).toMatchObject({ Trigger__c: 'Start' });

    // An open deal whose pipeline demand falls in the forecast: move its probability by 40 points.
    const [first26Weeks] = await query(
      `SELECT MIN(Week_Start__c) firstWeek, MAX(Week_Start__c) lastWeek FROM Capacity_Forecast__c WHERE Slot__c = '${String(startRun!.Slot__c)}'`
    );
    const demand = await query(
      "SELECT Role__c, Start_Date__c, End_Date__c, Total_Hours__c, Engagement__r.Opportunity_Key__c FROM Resource_Demand__c WHERE Engagement__r.Status__c = 'Pipeline' AND Status__c = 'Open' " +
        `AND Start_Date__c >= ${String(first26Weeks!.firstWeek)} AND Start_Date__c <= ${String(first26Weeks!.lastWeek)} ORDER BY Demand_Key__c`
    );
    expect(demand.length).toBeGreaterThan(0);
    const dealId = String((demand[0]!.Engagement__r as Record<string, unknown>).Opportunity_Key__c);
    const [deal] = await query(`SELECT Probability, StageName FROM Opportunity WHERE Id = '${dealId}'`);
    const role = String(demand[0]!.Role__c);
    const spans = demand
      .filter((line) => (line.Engagement__r as Record<string, unknown>).Opportunity_Key__c === dealId)
      .filter((line) => line.Role__c === role)
      .map((line) => [String(line.Start_Date__c), String(line.End_Date__c)] as const);
    const roleRows = async (slot: unknown) =>
      new Map(
        (
          await query(
            `SELECT Week_Start__c, Confirmed_Hours__c, Weighted_Hours__c FROM Capacity_Forecast__c WHERE Slot__c = '${String(slot)}' AND Dimension__c = 'Role' AND Name__c = '${role}'`
          )
        ).map((row) => [String(row.Week_Start__c), row])
      );
    const before = await roleRows(startRun!.Slot__c);

    const sfHome = folder('handoff-start-sf-');
    expect((await runSf(sfHome, token, loginArgs(orgUrl))).status).toBe(0);
    const direction = Number(deal!.Probability) > 50 ? -1 : 1;
    const probability = Number(deal!.Probability) + 40 * direction;
    const update = await runSf(sfHome, token, [
      'data',
      'update',
      'record',
      '--sobject',
      'Opportunity',
      '--record-id',
      dealId,
      '--values',
      `Probability=${probability}`,
      '--target-org',
      'local'
    ]);
    expect(update).toMatchObject({ status: 0 });

    // No further command: the lifecycle event reaches the service, which publishes a new forecast.
    const lifecycleRun = await until(
      'a Completed Lifecycle Event run',
      async () => (await completed()).find((run) => run.Trigger__c === 'Lifecycle Event'),
      180_000
    );
    expect(lifecycleRun.Slot__c).not.toBe(startRun!.Slot__c);
    const after = await roleRows(lifecycleRun.Slot__c);
    const inDeal = (week: string) =>
      spans.some(([from, to]) => {
        const end = new Date(Date.parse(`${week}T00:00:00Z`) + 6 * 86_400_000).toISOString().slice(0, 10);
        return end >= from && week <= to;
      });
    const moved: string[] = [];
    for (const [week, row] of before) {
      const delta = Number(after.get(week)!.Weighted_Hours__c) - Number(row.Weighted_Hours__c);
      expect(after.get(week)!.Confirmed_Hours__c).toBe(row.Confirmed_Hours__c);
      if (Math.abs(delta) > 0.01) moved.push(week);
      // Only the weeks of the deal's demand for the role move, and the way the probability moved.
      if (!inDeal(week)) expect(Math.abs(delta)).toBeLessThanOrEqual(0.01);
      else expect(delta * direction).toBeGreaterThanOrEqual(-0.01);
    }
    expect(moved.length).toBeGreaterThan(0);

    // Ctrl-C stops it and frees the lock.
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(fs.existsSync(path.join(home, 'start.lock'))).toBe(false);
  });

  it('takes over a lock whose process is gone', async () => {
    const home = folder('handoff-start-stale-');
    const gone = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => gone.once('exit', resolve));
    fs.writeFileSync(
      path.join(home, 'start.lock'),
      JSON.stringify({ pid: gone.pid, startedAt: '2026-01-01T00:00:00Z', urls: { localOrg: 'http://127.0.0.1:9' } })
    );
    const run = launch(home, ['--once']);
    expect(await run.exited).toBe(0);
    expect(run.output()).not.toContain('already running');
    // The run is named as Salesforce names it (the auto-number of Capacity_Forecast_Run__c).
    expect(run.output()).toMatch(/Forecast completed \(RUN-\d{6}\) in \d+ ms/);
    expect(fs.existsSync(path.join(home, 'start.lock'))).toBe(false);
  });
});
