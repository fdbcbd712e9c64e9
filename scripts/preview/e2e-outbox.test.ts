import { browserSession, until } from './testing/browser-session';

jest.setTimeout(420_000);

/**
 * The integration outbox page (the real component from force-app, compiled by the preview build) in headless
 * Chromium against a local org holding two dead letters owned by the operations queue and a delivered message: an
 * operator selects one dead letter, gives a reason and replays it; the message is Pending again with the reason.
 */
describe('the integration outbox page in headless Chromium', () => {
  let deadIds: string[] = [];

  const session = browserSession({
    name: 'outbox',
    demo: false,
    prepare: (org) => {
      const queueId = String(
        org.store.query(
          "SELECT Id FROM Group WHERE Type = 'Queue' AND DeveloperName = 'Handoff_Integration_Operations'"
        )[0]?.Id
      );
      const message = (key: string, status: string, error: string | null) => ({
        Idempotency_Key__c: key,
        Topic__c: key.startsWith('billing') ? 'Billing Ready' : 'Engagement Lifecycle',
        Payload_Version__c: 1,
        Payload__c: JSON.stringify({ key }),
        Status__c: status,
        Attempts__c: status === 'Dead Letter' ? 8 : 1,
        Max_Attempts__c: 8,
        Last_Error__c: error,
        ...(status === 'Dead Letter' ? { OwnerId: queueId } : { Delivered_At__c: new Date().toISOString() })
      });
      const results = org.store.write(
        [
          message('billing:invoice-7', 'Dead Letter', '2026-11-23T08:10:00.000Z attempt 8: HTTP 503: ERP unavailable'),
          message('lifecycle:eng-2:Won:1', 'Dead Letter', '2026-11-23T08:05:00.000Z attempt 8: no complete answer'),
          message('lifecycle:eng-3:PipelineCreated:1', 'Delivered', null)
        ].map((values) => ({ kind: 'insert' as const, object: 'Integration_Message__c', values }))
      );
      expect(results.every((result) => result.success)).toBe(true);
      deadIds = results.slice(0, 2).map((result) => String(result.id));
    }
  });

  it('lists the dead letters with their last error', async () => {
    await session.open('view=outbox');
    const outbox = session.page.locator('c-integration-outbox');
    await outbox.locator('tr.message').first().waitFor();
    const names = await outbox.locator('tr.message .key').allInnerTexts();
    expect(names.sort()).toEqual(['billing:invoice-7', 'lifecycle:eng-2:Won:1']);
    await expect(outbox.locator('tr.message .last-error').allInnerTexts()).resolves.toEqual(
      expect.arrayContaining([expect.stringMatching(/HTTP 503: ERP unavailable/)])
    );
    await expect(outbox.locator('.counts').innerText()).resolves.toMatch(/Delivered: 1[\s\S]*Dead Letter: 2/);
    await session.screenshot('integration-outbox');
  });

  it('replays a selected dead letter with a reason, which is recorded on the message', async () => {
    const outbox = session.page.locator('c-integration-outbox');
    const row = outbox.locator('tr.message', { hasText: 'billing:invoice-7' });
    await row.locator('.slds-checkbox_faux').click();
    await expect(outbox.locator('.selection').innerText()).resolves.toBe('1 message selected');
    await outbox.locator('.reason textarea').fill('ERP back after the maintenance window');
    await outbox.locator('.replay-button button').click();
    await expect(session.page.locator('.slds-notify_toast').innerText()).resolves.toContain('1 message replayed');

    const stored = await until(
      () =>
        session.org.store.query(
          `SELECT Status__c, Attempts__c, Last_Error__c, Replay_Reason__c, Replayed_At__c FROM Integration_Message__c WHERE Id = '${deadIds[0]}'`
        )[0]!,
      (value) => value.Status__c === 'Pending',
      'the replayed message'
    );
    expect(stored).toMatchObject({
      Status__c: 'Pending',
      Attempts__c: 0,
      Last_Error__c: null,
      Replay_Reason__c: 'ERP back after the maintenance window'
    });
    expect(stored.Replayed_At__c).toBeTruthy();
    // The page shows dead letters: the replayed one has left the list, the other is still there.
    await until(
      () => outbox.locator('tr.message .key').allInnerTexts(),
      (keys) => keys.length === 1 && keys[0] === 'lifecycle:eng-2:Won:1',
      'the list without the replayed message'
    );
    await session.screenshot('integration-outbox-replayed');
  });
});
