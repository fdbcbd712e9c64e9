import { automationOf } from '@handoff/local-org';
import { browserSession, until } from './testing/browser-session';

jest.setTimeout(180_000);

/**
 * The Handoff alerts component, compiled from force-app and rendered by headless Chromium against a local org with
 * the demo firm, after a forecast run failed twice (the forecast run trigger twin raises RUN_FAILED once) and a stage
 * rule names a stage the org does not have.
 */
describe('preview of the Handoff alerts in headless Chromium', () => {
  const session = browserSession({
    name: 'alerts',
    prepare: (org) => {
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
    }
  });

  const failRun = (error: string) => {
    const [result] = session.org.store.write([
      {
        kind: 'insert',
        object: 'Capacity_Forecast_Run__c',
        values: { Run_Key__c: `failed-${Math.random().toString(36).slice(2)}`, Status__c: 'Failed', Error__c: error }
      }
    ]);
    expect(result?.success).toBe(true);
  };

  it('builds the alerts component from force-app', () => {
    expect(session.preview.missing).toEqual([]);
  });

  it('lists the failed run once, seen twice, notified once, and the stage rule naming an unknown stage', async () => {
    expect(automationOf(session.org.store)!.alertNotifications.map((notification) => notification.keys)).toEqual([
      ['RUN_FAILED']
    ]);
    await session.open('view=app');
    const alerts = session.page.locator('c-handoff-alerts');
    await alerts.locator('li.alert').first().waitFor();
    await expect(alerts.locator('li.alert').count()).resolves.toBe(1);
    const alert = alerts.locator('li.alert').first();
    await expect(alert.locator('.heading').innerText()).resolves.toMatch(/: a capacity forecast run failed$/);
    await expect(alert.locator('.occurrences').innerText()).resolves.toMatch(/^Seen 2 times · Notified /);
    await expect(alert.locator('.detail').innerText()).resolves.toContain('REQUEST_LIMIT_EXCEEDED');
    await expect(alerts.locator('li.unknown-stage').innerText()).resolves.toContain(
      'Handoff_Stage_Rule__mdt.Contract_Signed: Stage_Name__c "Contract Signed" is not an active value of Opportunity.StageName'
    );
    await session.screenshot('handoff-alerts', session.page.locator('c-handoff-alerts'));
    await session.screenshot('capacity-page-with-alerts');
  });

  it('resolves the alert; the next failure opens it again and notifies again', async () => {
    const alerts = session.page.locator('c-handoff-alerts');
    await alerts.locator('li.alert lightning-button.resolve button').click();
    await until(
      () => alerts.locator('li.alert').count(),
      (count) => count === 0,
      'the resolved alert to leave the list'
    );
    await expect(session.page.locator('.slds-notify_toast').innerText()).resolves.toContain('resolved');
    await expect(alerts.locator('p.no-alerts').innerText()).resolves.toMatch(/^No open alerts/);
    expect(
      session.org.store.query("SELECT Status__c FROM Handoff_Alert__c WHERE Incident_Key__c = 'RUN_FAILED'")
    ).toEqual([expect.objectContaining({ Status__c: 'Resolved' })]);
    await session.screenshot('handoff-alerts-resolved', session.page.locator('c-handoff-alerts'));

    failRun('UNABLE_TO_LOCK_ROW: unable to obtain exclusive access to this record');
    await alerts.locator('lightning-button-icon button').click();
    await until(
      () => alerts.locator('li.alert').count(),
      (count) => count === 1,
      'the re-opened alert'
    );
    await expect(alerts.locator('li.alert .occurrences').innerText()).resolves.toMatch(/^Seen once · Notified /);
    expect(automationOf(session.org.store)!.alertNotifications).toHaveLength(2);
  });
});
