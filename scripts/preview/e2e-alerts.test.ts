import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { automationOf, createLocalOrg, type LocalOrg } from '@handoff/local-org';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumExecutable } from './browser';
import { prepareDemoOrg } from './demo-org';
import { startPreview, type Preview } from './server';

jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '..', '..');
const SCREENSHOTS = path.join(ROOT, 'artifacts', 'screenshots');
const TODAY = new Date().toISOString().slice(0, 10);

/** Polls until `read` gives something `accept` likes (components render asynchronously). */
async function until<T>(read: () => Promise<T>, accept: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The Handoff alerts component, compiled from force-app and rendered by headless Chromium against a local org with
 * the demo firm, after a forecast run failed twice (the forecast run trigger twin raises RUN_FAILED once) and a stage
 * rule names a stage the org does not have.
 */
describe('preview of the Handoff alerts in headless Chromium', () => {
  let dataDir: string | undefined;
  let userDataDir: string | undefined;
  let org: LocalOrg | undefined;
  let preview: Preview | undefined;
  let browser: BrowserContext | undefined;
  let page: Page;
  const pageErrors: string[] = [];

  const failRun = (error: string) => {
    const [result] = org!.store.write([
      {
        kind: 'insert',
        object: 'Capacity_Forecast_Run__c',
        values: { Run_Key__c: `failed-${Math.random().toString(36).slice(2)}`, Status__c: 'Failed', Error__c: error }
      }
    ]);
    expect(result?.success).toBe(true);
  };

  beforeAll(async () => {
    const executablePath = chromiumExecutable();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-alerts-org-'));
    org = await createLocalOrg({ projectRoot: ROOT, dataDir });
    await prepareDemoOrg(org, TODAY);
    failRun('INVALID_SESSION_ID: Session expired or invalid');
    failRun('REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded');
    org.store.seed(
      'Handoff_Stage_Rule__mdt',
      [
        {
          DeveloperName: 'Contract_Signed',
          MasterLabel: 'Contract Signed',
          Stage_Name__c: 'Contract Signed',
          Engagement_Status__c: 'Active',
          Billable__c: true,
          Active__c: true
        }
      ],
      { system: true }
    );
    preview = await startPreview({ org });
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-alerts-chromium-'));
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

  it('builds the alerts component from force-app', () => {
    expect(preview!.missing).toEqual([]);
  });

  it('lists the failed run once, seen twice, notified once, and the stage rule naming an unknown stage', async () => {
    expect(automationOf(org!.store)!.alertNotifications.map((notification) => notification.keys)).toEqual([
      ['RUN_FAILED']
    ]);
    await page.goto(`${preview!.url}?view=app`);
    const alerts = page.locator('c-handoff-alerts');
    await alerts.locator('li.alert').first().waitFor();
    await expect(alerts.locator('li.alert').count()).resolves.toBe(1);
    const alert = alerts.locator('li.alert').first();
    await expect(alert.locator('.heading').innerText()).resolves.toMatch(/: a capacity forecast run failed$/);
    await expect(alert.locator('.occurrences').innerText()).resolves.toMatch(/^Seen 2 times · Notified /);
    await expect(alert.locator('.detail').innerText()).resolves.toContain('REQUEST_LIMIT_EXCEEDED');
    await expect(alerts.locator('li.unknown-stage').innerText()).resolves.toContain(
      'Handoff_Stage_Rule__mdt.Contract_Signed: Stage_Name__c "Contract Signed" is not an active value of Opportunity.StageName'
    );
    await page.locator('c-handoff-alerts').screenshot({ path: path.join(SCREENSHOTS, 'handoff-alerts.png') });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'capacity-page-with-alerts.png'), fullPage: true });
  });

  it('resolves the alert; the next failure opens it again and notifies again', async () => {
    const alerts = page.locator('c-handoff-alerts');
    await alerts.locator('li.alert lightning-button.resolve button').click();
    await until(
      () => alerts.locator('li.alert').count(),
      (count) => count === 0,
      'the resolved alert to leave the list'
    );
    await expect(page.locator('.slds-notify_toast').innerText()).resolves.toContain('resolved');
    await expect(alerts.locator('p.no-alerts').innerText()).resolves.toMatch(/^No open alerts/);
    expect(org!.store.query("SELECT Status__c FROM Handoff_Alert__c WHERE Incident_Key__c = 'RUN_FAILED'")).toEqual([
      expect.objectContaining({ Status__c: 'Resolved' })
    ]);
    await page.locator('c-handoff-alerts').screenshot({ path: path.join(SCREENSHOTS, 'handoff-alerts-resolved.png') });

    failRun('UNABLE_TO_LOCK_ROW: unable to obtain exclusive access to this record');
    await alerts.locator('lightning-button-icon button').click();
    await until(
      () => alerts.locator('li.alert').count(),
      (count) => count === 1,
      'the re-opened alert'
    );
    await expect(alerts.locator('li.alert .occurrences').innerText()).resolves.toMatch(/^Seen once · Notified /);
    expect(automationOf(org!.store)!.alertNotifications).toHaveLength(2);
  });
});
