import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLocalOrg, type LocalOrg } from '@handoff/local-org';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumExecutable } from './browser';
import { prepareDemoOrg } from './demo-org';
import { startPreview, type Preview } from './server';

jest.setTimeout(240_000);

const ROOT = path.resolve(__dirname, '..', '..');
const SCREENSHOTS = path.join(ROOT, 'artifacts', 'screenshots');
const TODAY = new Date().toISOString().slice(0, 10);

/**
 * Forecast health, compiled from force-app and rendered by headless Chromium against the demo firm: two years of
 * closed deals loaded before its first engagement, one forecast, then a failed run and a run that changed nothing.
 */
describe('forecast health in headless Chromium', () => {
  let dataDir: string | undefined;
  let userDataDir: string | undefined;
  let org: LocalOrg | undefined;
  let preview: Preview | undefined;
  let browser: BrowserContext | undefined;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const executablePath = chromiumExecutable();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-health-org-'));
    org = await createLocalOrg({ projectRoot: ROOT, dataDir });
    await prepareDemoOrg(org, TODAY);
    const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);
    org.store.seed(
      'Capacity_Forecast_Run__c',
      [{ Run_Key__c: 'e2e-failed', Status__c: 'Failed', Trigger__c: 'Schedule', Error__c: 'Session expired' }],
      { system: true, now: minutesAgo(20) }
    );
    org.store.seed(
      'Capacity_Forecast_Run__c',
      [
        {
          Run_Key__c: 'e2e-unchanged',
          Status__c: 'Completed',
          Trigger__c: 'Manual',
          Slot__c: String(
            org.store.query("SELECT Slot__c FROM Capacity_Forecast_Run__c WHERE Status__c = 'Completed'")[0]?.Slot__c
          ),
          Started_At__c: minutesAgo(1).toISOString(),
          Finished_At__c: new Date().toISOString(),
          Duration_Ms__c: 61_000,
          Rows_Written__c: 0,
          API_Calls_Used__c: 7
        }
      ],
      { system: true }
    );
    preview = await startPreview({ org });
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-health-chromium-'));
    browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 1000 }
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await preview?.close();
    await org?.close();
    for (const dir of [userDataDir, dataDir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  it('lists the runs by their RUN numbers, says what changed nothing, and raises no baseline alarm for the demo', async () => {
    await page.goto(`${preview!.url}?view=app`);
    const health = page.locator('c-forecast-health');
    const rows = health.locator('tr.history-run');
    await rows.first().waitFor();

    const runs = org!.store.query(
      "SELECT Name, Status__c, Run_Key__c FROM Capacity_Forecast_Run__c WHERE Status__c != 'Coalesced' ORDER BY CreatedDate DESC, Name DESC"
    );
    const names = runs.map((run) => String(run.Name));
    expect(names).toHaveLength(3);
    expect(names.every((name) => /^RUN-\d{6}$/.test(name))).toBe(true);
    expect(runs[0]!.Run_Key__c).toBe('e2e-unchanged');
    await expect(rows.locator('.run-name').allInnerTexts()).resolves.toEqual(names);
    await expect(rows.locator('.run-status').allInnerTexts()).resolves.toEqual(runs.map((run) => run.Status__c));
    await expect(rows.first().locator('.run-rows').innerText()).resolves.toBe('Nothing changed');
    await expect(rows.nth(1).locator('.run-rows').innerText()).resolves.toMatch(/^[\d,]+$/);
    await expect(health.locator('.rows-written').innerText()).resolves.toBe('Nothing changed');
    await expect(health.locator('.last-run h2').innerText()).resolves.toContain(names[0]);
    // The demo's deals go back two years but its first engagement is from today: no week can be quiet yet.
    await expect(health.locator('.baseline').count()).resolves.toBe(0);
    await expect(health.locator('.baseline-start').innerText()).resolves.toMatch(/not checked/);
    await health.screenshot({ path: path.join(SCREENSHOTS, 'forecast-health.png') });
  });
});
