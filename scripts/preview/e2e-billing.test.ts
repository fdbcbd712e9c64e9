import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLocalOrg, type LocalOrg } from '@handoff/local-org';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumExecutable } from './browser';
import { prepareDemoOrg } from './demo-org';
import { startPreview, type Preview } from './server';

jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '..', '..');
const SCREENSHOTS = path.join(ROOT, 'artifacts', 'screenshots');
const TODAY = new Date().toISOString().slice(0, 10);

/**
 * The billing milestones component on the Engagement page, rendered by headless Chromium against a local org: a
 * time-and-materials deal won through the automation (which plans its monthly milestones), then delivery marks one
 * complete and the Billing Ready message lands in the integration outbox.
 */
describe('billing milestones on the engagement page in headless Chromium', () => {
  let dataDir: string | undefined;
  let userDataDir: string | undefined;
  let org: LocalOrg | undefined;
  let preview: Preview | undefined;
  let browser: BrowserContext | undefined;
  let page: Page;
  let engagementId: string;
  const pageErrors: string[] = [];

  const write = (operation: Parameters<LocalOrg['store']['write']>[0][number]) => {
    const [result] = org!.store.write([operation]);
    if (!result?.success) throw new Error(JSON.stringify(result?.errors));
    return result.id!;
  };

  beforeAll(async () => {
    const executablePath = chromiumExecutable();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-billing-org-'));
    org = await createLocalOrg({ projectRoot: ROOT, dataDir });
    await prepareDemoOrg(org, TODAY);
    const dealId = write({
      kind: 'insert',
      object: 'Opportunity',
      values: {
        Name: 'Contoso data platform (T&M)',
        StageName: 'Negotiation/Review',
        CloseDate: TODAY,
        Amount: 36000,
        Expected_Start__c: '2026-04-06',
        Expected_End__c: '2026-06-19',
        Delivery_Lead__c: org.userId,
        Billing_Type__c: 'Time & Materials'
      }
    });
    write({ kind: 'update', object: 'Opportunity', id: dealId, values: { StageName: 'Closed Won', Probability: 100 } });
    engagementId = String(
      org.store.query(`SELECT Id FROM Engagement__c WHERE Opportunity_Key__c = '${dealId}'`)[0]!.Id
    );
    preview = await startPreview({ org });
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-billing-chromium-'));
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

  it('shows the monthly milestones, marks one complete and queues its Billing Ready message', async () => {
    expect(preview!.missing).toEqual([]);
    await page.goto(`${preview!.url}?view=engagement&engagementId=${engagementId}`);
    const billing = page.locator('c-billing-milestones');
    await billing.locator('tr.milestone').first().waitFor();
    await expect(billing.locator('tr.milestone th.name').allInnerTexts()).resolves.toEqual([
      'Month 2026-04',
      'Month 2026-05',
      'Month 2026-06'
    ]);
    await expect(billing.locator('tr.milestone td.status').allInnerTexts()).resolves.toEqual([
      'Planned',
      'Planned',
      'Planned'
    ]);

    await billing.locator('tr.milestone').first().locator('.slds-checkbox_faux').click();
    await billing.locator('lightning-button.complete button').click();
    await billing.locator('p.saved').waitFor();
    await expect(billing.locator('p.saved').innerText()).resolves.toBe(
      '1 milestone marked complete: billing is notified.'
    );
    await expect(billing.locator('tr.milestone td.status').first().innerText()).resolves.toBe('Complete');
    const messages = org!.store.query(
      `SELECT Idempotency_Key__c, Topic__c FROM Integration_Message__c WHERE Engagement__c = '${engagementId}' AND Topic__c = 'Billing Ready'`
    );
    expect(messages).toHaveLength(1);
    expect(String(messages[0]!.Idempotency_Key__c)).toMatch(/^billing-ready:006\w+:01$/);
    await billing.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'engagement-billing.png'), fullPage: true });
  });
});
