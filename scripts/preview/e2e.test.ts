import type { Locator } from 'playwright-core';
import { PLANTED_SHORTAGES } from '../data/planted';
import { currentRun } from './adapters';
import { browserSession, until } from './testing/browser-session';

jest.setTimeout(180_000);

/**
 * The real components from force-app, compiled by the preview build and rendered by headless Chromium (the build
 * @sparticuz/chromium brings into node_modules, or CHROMIUM_PATH) against a local org with the demo firm and one
 * forecast. Nothing here is skipped: without a browser every test fails saying why.
 */
describe('preview of the Handoff components in headless Chromium', () => {
  const session = browserSession({ name: 'preview' });

  it('builds every page component from force-app', () => {
    expect(session.preview.missing).toEqual([]);
  });

  describe('the capacity heatmap', () => {
    let heatmap: Locator;
    const cellTexts = () => heatmap.locator('td.cell').allInnerTexts();

    beforeAll(async () => {
      await session.open('view=app');
      heatmap = session.page.locator('c-capacity-heatmap');
      await heatmap.locator('td.cell').first().waitFor();
    });

    it('shows the planted Data Engineer and Trainer shortages in weeks 3 to 8', async () => {
      for (const { role, fromWeek, toWeek } of PLANTED_SHORTAGES) {
        const row = heatmap.locator('tbody tr', { has: session.page.locator(`th:text-is("${role}")`) });
        const cells = await row.locator('td').evaluateAll((tds) => tds.map((td) => td.className));
        for (let week = fromWeek; week <= toWeek; week++) {
          expect({ role, week, className: cells[week] }).toEqual({ role, week, className: 'cell cell_over' });
        }
      }
      await expect(session.page.locator('c-forecast-health').innerText()).resolves.toContain('Completed');
      await session.screenshot('app-page');
    });

    it('changes the cell values when the demand layer changes', async () => {
      let previous = await cellTexts();
      for (const layer of ['Confirmed', 'Exposure', 'Tentative', 'P90', 'Weighted']) {
        await heatmap.locator('label', { hasText: new RegExp(`^${layer}$`) }).click();
        const texts = await until(cellTexts, (current) => current.join() !== previous.join(), `the ${layer} layer`);
        const label = await heatmap.locator('td.cell').first().getAttribute('aria-label');
        expect(label).toContain(layer === 'P90' ? 'P90 demand' : `${layer.toLowerCase()}`);
        previous = texts;
        if (layer === 'P90') await session.screenshot('heatmap-p90');
      }
    });
  });

  describe('the delivery outlook', () => {
    it('gives the staffing verdict of the forecast for a deal', async () => {
      const slot = String(currentRun(session.org)?.Slot__c);
      const answers = session.org.store.query(
        `SELECT Opportunity__c, Staffable__c, Answer_State__c FROM Staffing_Answer__c WHERE Slot__c = '${slot}' ORDER BY Staffable__c`
      );
      expect(answers.length).toBeGreaterThan(0);
      const [answer] = answers; // a deal the firm cannot staff on time first, if there is one
      await session.open(`view=opportunity&opportunityId=${String(answer!.Opportunity__c)}`);
      const outlook = session.page.locator('c-delivery-outlook');
      const verdict = await outlook.locator('lightning-badge').innerText();
      expect(verdict).toBe(
        answer!.Answer_State__c === 'Beyond_Horizon'
          ? 'Starts after the forecast horizon'
          : answer!.Staffable__c
            ? 'Can be staffed'
            : 'Cannot be staffed on time'
      );
      await expect(outlook.locator('table.demand tbody tr').count()).resolves.toBeGreaterThan(0);
      await session.screenshot('delivery-outlook');

      // The navigation stand-in opens the engagement's page, where the handoff shows the same deal.
      await outlook.locator('a.engagement-link').click();
      await session.page.waitForURL(/engagementId=/);
      const [deal] = session.org.store.query(
        `SELECT Name FROM Opportunity WHERE Id = '${String(answer!.Opportunity__c)}'`
      );
      await expect(session.page.locator('c-engagement-handoff dd.deal').innerText()).resolves.toBe(deal!.Name);
    });

    it('follows the opportunity picker to a deal that has no engagement yet', async () => {
      const [early] = session.org.store.query(
        "SELECT Id FROM Opportunity WHERE StageName = 'Prospecting' AND HasOpportunityLineItem = true LIMIT 1"
      );
      await session.open('view=opportunity');
      await session.page.locator('c-delivery-outlook lightning-badge').waitFor();
      await session.page.locator('#opportunity-page-picker').selectOption(String(early!.Id));
      await expect(session.page.locator('c-delivery-outlook p.no-engagement').innerText()).resolves.toContain(
        'No engagement yet'
      );
    });
  });

  describe('the engagement handoff', () => {
    it('saves a checklist item and shows the new completeness', async () => {
      await session.open('view=engagement');
      const handoff = session.page.locator('c-engagement-handoff');
      await expect(handoff.locator('p.completeness').innerText()).resolves.toMatch(/^0 of \d+ done \(0%\)$/);
      await handoff.locator('li.checklist-item').first().locator('.slds-checkbox_faux').click();
      await until(
        () => handoff.locator('p.completeness').innerText(),
        (text) => text.startsWith('1 of '),
        'the checklist to count the saved item'
      );
      await expect(session.page.locator('.slds-notify_toast').innerText()).resolves.toContain(
        'Handoff checklist saved'
      );
      expect(session.org.store.query('SELECT Id FROM Handoff_Checklist_Item__c WHERE Done__c = true')).toHaveLength(1);
      await session.screenshot('engagement-handoff');
    });
  });
});
