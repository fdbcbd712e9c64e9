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
 * The rep's handoff questions on the Opportunity page and the client hierarchy on the Engagement page, as real
 * components in headless Chromium against the local org with the demo firm.
 */
describe('handoff questions and the client hierarchy in headless Chromium', () => {
  let dataDir: string | undefined;
  let userDataDir: string | undefined;
  let org: LocalOrg | undefined;
  let preview: Preview | undefined;
  let browser: BrowserContext | undefined;
  let page: Page;
  const pageErrors: string[] = [];
  const screenshot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    const executablePath = chromiumExecutable();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-questions-org-'));
    org = await createLocalOrg({ projectRoot: ROOT, dataDir });
    await prepareDemoOrg(org, TODAY);
    preview = await startPreview({ org });
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-questions-chromium-'));
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

  it('the rep answers a handoff question on an open deal, and it is saved on the deal', async () => {
    const [deal] = org!.store.query(
      "SELECT Id FROM Opportunity WHERE IsClosed = false AND StageName IN ('Qualification', 'Needs Analysis', 'Proposal/Price Quote') LIMIT 1"
    );
    await page.goto(`${preview!.url}?view=opportunity&opportunityId=${String(deal!.Id)}`);
    const questions = page.locator('c-deal-handoff-questions');
    await until(
      () => questions.locator('p.progress').innerText(),
      (text) => text === '0 of 10 answered',
      'the questions'
    );

    const first = questions.locator('lightning-textarea textarea').first();
    await first.fill('Quarterly steering meetings with the CFO, promised in the final pitch');
    await first.blur();
    await questions.locator('lightning-button.save button').first().click();

    await until(
      () => questions.locator('p.progress').innerText(),
      (text) => text === '1 of 10 answered',
      'the answer'
    );
    await expect(page.locator('.slds-notify_toast').innerText()).resolves.toContain('Handoff answer saved');
    const saved = org!.store.query(
      `SELECT Question_Key__c, Answer__c FROM Deal_Handoff_Answer__c WHERE Opportunity__c = '${String(deal!.Id)}'`
    );
    expect(saved).toHaveLength(1);
    expect(saved[0]!.Answer__c).toBe('Quarterly steering meetings with the CFO, promised in the final pitch');
    await screenshot('opportunity-handoff-questions');
  });

  it("the engagement page shows the client's parents up to the top-level parent", async () => {
    const [engagement] = org!.store.query(
      'SELECT Id, Account__r.Name, Account__r.Parent.Name FROM Engagement__c WHERE Account__r.ParentId != null LIMIT 1'
    );
    expect(engagement).toBeDefined();
    await page.goto(`${preview!.url}?view=engagement&engagementId=${String(engagement!.Id)}`);
    const hierarchy = page.locator('c-client-hierarchy');
    const account = engagement!.Account__r as { Name: string; Parent: { Name: string } };
    const levels = await until(
      () => hierarchy.locator('li.level').allInnerTexts(),
      (texts) => texts.length >= 2,
      'the hierarchy'
    );
    expect(levels[0]).toContain(account.Name);
    expect(levels[1]).toContain(account.Parent.Name);
    await expect(hierarchy.locator('p.top-text').innerText()).resolves.toContain('Top-level parent');
    await screenshot('engagement-client-hierarchy');
  });
});
