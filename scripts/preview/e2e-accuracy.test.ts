import type { Locator } from 'playwright-core';
import { browserSession, until } from './testing/browser-session';

jest.setTimeout(180_000);

/**
 * The forecast accuracy component from force-app, compiled by the preview build and rendered by headless Chromium
 * against a local org with the demo firm: its year of forecast snapshots rebuilt from the deal history, and one
 * forecast run, which computed the accuracy from them.
 */
describe('forecast accuracy in headless Chromium', () => {
  const session = browserSession({ name: 'accuracy' });
  let accuracy: Locator;

  const screenshot = (name: string) => session.screenshot(name, accuracy);
  const biasCells = () => accuracy.locator('tr.lead-row td.bias').allInnerTexts();

  beforeAll(async () => {
    await session.open('view=app');
    accuracy = session.page.locator('c-forecast-accuracy');
  });

  it('charts the bias and error the run computed from the demo history, by lead time, with its table', async () => {
    await accuracy.locator('rect.bar').first().waitFor();
    const all = session.org.store.query(
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
    session.org.reset();
    await session.open('view=app');
    await expect(accuracy.locator('p.empty').innerText()).resolves.toBe(
      "Accuracy needs 2 weeks of forecast runs: a week's forecast is compared with what was confirmed once the week has passed. There are 0 weeks of runs so far."
    );
    await screenshot('forecast-accuracy-empty');
  });
});
