import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLocalOrg, type LocalOrg } from '@handoff/local-org';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
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
 * The forecast accuracy component from force-app, compiled by the preview build and rendered by headless Chromium
 * against a local org with the demo firm: its year of forecast snapshots rebuilt from the deal history, and one
 * forecast run, which computed the accuracy from them.
 */
describe('forecast accuracy in headless Chromium', () => {
  let dataDir: string | undefined;
  let userDataDir: string | undefined;
  let org: LocalOrg | undefined;
  let preview: Preview | undefined;
  let browser: BrowserContext | undefined;
  let page: Page;
  let accuracy: Locator;
  const pageErrors: string[] = [];

  const screenshot = (name: string) => accuracy.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
  const biasCells = () => accuracy.locator('tr.lead-row td.bias').allInnerTexts();

  beforeAll(async () => {
    const executablePath = chromiumExecutable();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-accuracy-org-'));
    org = await createLocalOrg({ projectRoot: ROOT, dataDir });
    await prepareDemoOrg(org, TODAY);
    preview = await startPreview({ org });
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-accuracy-chromium-'));
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
    await page.goto(`${preview.url}?view=app`);
    accuracy = page.locator('c-forecast-accuracy');
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

  it('charts the bias and error the run computed from the demo history, by lead time, with its table', async () => {
    await accuracy.locator('rect.bar').first().waitFor();
    const all = org!.store.query(
      'SELECT Lead_Weeks__c, Weeks_Compared__c FROM Forecast_Accuracy__c WHERE Role__c = null ORDER BY Lead_Weeks__c'
    );
    expect(all.map((row) => row.Lead_Weeks__c)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    await expect(accuracy.locator('rect.bar').count()).resolves.toBe(12);
    const rows = await accuracy.locator('tr.lead-row').allInnerTexts();
    expect(rows).toHaveLength(12);
    expect(rows[0]).toMatch(new RegExp(`^1 week\\s+${String(all[0]!.Weeks_Compared__c)}\\s`));
    // The demo history's reps are optimistic: a week ahead the weighted forecast ran high.
    expect((await biasCells())[0]).toMatch(/^\+/);
    await expect(accuracy.locator('svg.chart').getAttribute('aria-label')).resolves.toContain('table below');
    // The run calibrated win probabilities from the same history: the reliability table is beside the chart.
    await expect(accuracy.locator('tr.reliability-row').count()).resolves.toBeGreaterThan(0);
    await expect(accuracy.locator('.calibration-note').innerText()).resolves.toContain('Brier score');
    await screenshot('forecast-accuracy');
  });

  it('switches to the confirmed forecast and to one role', async () => {
    const weighted = await biasCells();
    await accuracy.locator('lightning-radio-group label', { hasText: /^Confirmed then$/ }).click();
    const confirmed = await until(biasCells, (cells) => cells.join() !== weighted.join(), 'the confirmed biases');
    // What was confirmed weeks ahead is less than what was confirmed in the week: its bias is never above zero.
    expect(confirmed.every((cell) => !cell.startsWith('+'))).toBe(true);

    await accuracy.locator('lightning-combobox').first().click(); // the role picker
    await accuracy.locator('lightning-base-combobox-item', { hasText: /^Developer$/ }).click();
    await until(
      () => accuracy.locator('.by-lead h2').innerText(),
      (heading) => heading.startsWith('Developer'),
      'the Developer chart'
    );
    await screenshot('forecast-accuracy-developer-confirmed');
  });

  it('says how many weeks of runs accuracy needs when there is none yet', async () => {
    org!.reset();
    await page.goto(`${preview!.url}?view=app`);
    await expect(accuracy.locator('p.empty').innerText()).resolves.toBe(
      "Accuracy needs 2 weeks of forecast runs: a week's forecast is compared with what was confirmed once the week has passed. There are 0 weeks of runs so far."
    );
    await screenshot('forecast-accuracy-empty');
  });
});
