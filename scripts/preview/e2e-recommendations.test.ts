import { connect, runForecast, SalesforceClient } from '@handoff/capacity';
import { currentRun } from './adapters';
import { browserSession, TODAY, until } from './testing/browser-session';

jest.setTimeout(240_000);

/**
 * Staffing recommendations and the Engagement page in headless Chromium (set up as in e2e.test.ts), against a local
 * org with the demo firm and one forecast: book the top candidate of a won engagement's line, see it booked, and see
 * the booking in the page after the next forecast.
 */
describe('staffing recommendations in headless Chromium', () => {
  const session = browserSession({ name: 'preview-recs' });

  it('books the top candidate of a line, shows it booked, and the next forecast keeps it in the page', async () => {
    const slot = String(currentRun(session.org)!.Slot__c);
    const [top] = session.org.store.query(
      `SELECT Demand__c, Demand__r.Name, Demand__r.Role__c, Resource__c, Resource__r.Name, Engagement__c FROM Staffing_Recommendation__c ` +
        `WHERE Slot__c = '${slot}' AND Rank__c = 1 AND Engagement__r.Status__c = 'Active' ORDER BY Recommendation_Key__c LIMIT 1`
    );
    const demand = top!.Demand__r as Record<string, unknown>;
    const person = String((top!.Resource__r as Record<string, unknown>).Name);
    await session.open(`view=engagement&engagementId=${String(top!.Engagement__c)}`);
    const staffing = session.page.locator('c-staffing-recommendations');
    const line = staffing.locator('section.demand', {
      has: session.page.locator(`h2:has-text("${String(demand.Name)}")`)
    });
    const row = line.locator('tr.candidate').first();
    await row.waitFor();
    await expect(row.locator('th.person').innerText()).resolves.toBe(person);
    await expect(row.locator('li.week').count()).resolves.toBeGreaterThan(0);
    const handoff = session.page.locator('c-engagement-handoff');
    await expect(handoff.locator('p.next-gap').innerText()).resolves.toMatch(/^(Next gap: .+ h\)|No gap ahead)/);
    const role = String(demand.Role__c);
    const assignedCell = handoff.locator('table.by-role tbody tr', {
      has: session.page.locator(`th:text-is("${role}")`)
    });
    const assignedBefore = await assignedCell.locator('td.assigned').innerText();
    await session.screenshot('engagement-page');

    // Book: the page says what it will create, then creates it once and shows the candidate booked.
    await row.locator('lightning-button.book button').click();
    await expect(line.locator('.confirm-text').innerText()).resolves.toMatch(
      new RegExp(`^Create a soft booking of ${person} on ${String(demand.Name)}: `)
    );
    await session.screenshot('staffing-recommendations-confirm');
    await line.locator('lightning-button.confirm-book button').dblclick();
    await until(
      () => row.locator('lightning-badge').count(),
      (count) => count === 1,
      'the candidate to show as booked'
    );
    await expect(row.locator('lightning-badge').innerText()).resolves.toBe('Booked (Soft)');
    await expect(session.page.locator('.slds-notify_toast').first().innerText()).resolves.toContain(
      'Soft booking created'
    );
    const bookings = session.org.store.query(
      `SELECT Booking_Type__c, Hours_Per_Week__c FROM Assignment__c WHERE Demand__c = '${String(top!.Demand__c)}' ` +
        `AND Resource__c = '${String(top!.Resource__c)}'`
    );
    expect(bookings.map((booking) => booking.Booking_Type__c)).toEqual(['Soft']); // a double click books once
    await session.screenshot('staffing-recommendations-booked');

    // The next forecast reads the booking; the reloaded page shows it booked and assigned.
    const client = new SalesforceClient(
      await connect({ kind: 'local', instanceUrl: session.org.url, accessToken: session.org.accessToken })
    );
    const outcome = await runForecast(client, { trigger: 'Manual', asOf: TODAY });
    expect(outcome.status).toBe('Completed');
    expect(currentRun(session.org)!.Slot__c).not.toBe(slot);
    await session.page.reload();
    await staffing.locator('section.demand').first().waitFor();
    const booked = staffing.locator('tr.candidate', { has: session.page.locator(`th.person:text-is("${person}")`) });
    if ((await booked.count()) > 0) {
      await expect(booked.first().locator('lightning-badge').innerText()).resolves.toBe('Booked (Soft)');
    }
    await until(
      () => assignedCell.locator('td.assigned').innerText(),
      (text) => text !== assignedBefore,
      'the handoff to count the booked hours'
    );
    await session.screenshot('engagement-page-after-forecast');
  });

  it('marks a pipeline engagement tentative, without changes since a handoff that has not happened', async () => {
    const [pipeline] = session.org.store.query(
      "SELECT Id FROM Engagement__c WHERE Status__c = 'Pipeline' ORDER BY Name LIMIT 1"
    );
    await session.open(`view=engagement&engagementId=${String(pipeline!.Id)}`);
    const handoff = session.page.locator('c-engagement-handoff');
    await expect(handoff.locator('.tentative').innerText()).resolves.toMatch(/^Tentative:/);
    await expect(handoff.locator('section.changes').count()).resolves.toBe(0);
    await expect(session.page.locator('c-engagement-summary lightning-badge.tentative').count()).resolves.toBe(1);

    // The checklist collapses and stays collapsed when the page is opened again in this session.
    await session.open('view=engagement');
    const toggle = handoff.locator('button.checklist-toggle');
    await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('true');
    await toggle.click();
    await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('false');
    await session.page.reload();
    await expect(handoff.locator('button.checklist-toggle').getAttribute('aria-expanded')).resolves.toBe('false');
    await session.open(`view=engagement&engagementId=${String(pipeline!.Id)}`);
    await handoff.locator('.tentative').waitFor();
    await session.screenshot('engagement-pipeline');
  });

  it('shows the recommendations of one demand line on its own page', async () => {
    const slot = String(currentRun(session.org)!.Slot__c);
    const [top] = session.org.store.query(
      `SELECT Demand__c FROM Staffing_Recommendation__c WHERE Slot__c = '${slot}' AND Rank__c = 1 ORDER BY Recommendation_Key__c DESC LIMIT 1`
    );
    await session.open('view=none');
    await session.page.waitForFunction(() => 'preview' in window);
    await session.page.evaluate((demandId) => {
      (window as unknown as { preview: { mount(name: string, recordId?: string): HTMLElement } }).preview.mount(
        'staffingRecommendations',
        demandId
      );
    }, String(top!.Demand__c));
    const staffing = session.page.locator('c-staffing-recommendations');
    await staffing.locator('tr.candidate').first().waitFor();
    await expect(staffing.locator('section.demand').count()).resolves.toBe(1);
    await session.screenshot('demand-line-recommendations');
  });
});
