import { browserSession } from './testing/browser-session';

jest.setTimeout(240_000);

/**
 * Forecast health, compiled from force-app and rendered by headless Chromium against the demo firm: two years of
 * closed deals loaded before its first engagement, one forecast, then a failed run and a run that changed nothing.
 */
describe('forecast health in headless Chromium', () => {
  const session = browserSession({
    name: 'health',
    prepare: (org) => {
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
    }
  });

  it('lists the runs by their RUN numbers, says what changed nothing, and raises no baseline alarm for the demo', async () => {
    await session.open('view=app');
    const health = session.page.locator('c-forecast-health');
    const rows = health.locator('tr.history-run');
    await rows.first().waitFor();

    const runs = session.org.store.query(
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
    await session.screenshot('forecast-health', health);
  });
});
