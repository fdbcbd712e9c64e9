import type { LocalOrg } from '@handoff/local-org';
import { browserSession, TODAY } from './testing/browser-session';

jest.setTimeout(180_000);

/**
 * The billing milestones component on the Engagement page, rendered by headless Chromium against a local org: a
 * time-and-materials deal won through the automation (which plans its monthly milestones), then delivery marks one
 * complete and the Billing Ready message lands in the integration outbox.
 */
describe('billing milestones on the engagement page in headless Chromium', () => {
  let engagementId: string;

  const session = browserSession({
    name: 'billing',
    prepare: (org) => {
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
      write({
        kind: 'update',
        object: 'Opportunity',
        id: dealId,
        values: { StageName: 'Closed Won', Probability: 100 }
      });
      engagementId = String(
        org.store.query(`SELECT Id FROM Engagement__c WHERE Opportunity_Key__c = '${dealId}'`)[0]!.Id
      );
    }
  });

  const write = (operation: Parameters<LocalOrg['store']['write']>[0][number]) => {
    const [result] = session.org.store.write([operation]);
    if (!result?.success) throw new Error(JSON.stringify(result?.errors));
    return result.id!;
  };

  it('shows the monthly milestones, marks one complete and queues its Billing Ready message', async () => {
    expect(session.preview.missing).toEqual([]);
    await session.open(`view=engagement&engagementId=${engagementId}`);
    const billing = session.page.locator('c-billing-milestones');
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
    const messages = session.org.store.query(
      `SELECT Idempotency_Key__c, Topic__c FROM Integration_Message__c WHERE Engagement__c = '${engagementId}' AND Topic__c = 'Billing Ready'`
    );
    expect(messages).toHaveLength(1);
    expect(String(messages[0]!.Idempotency_Key__c)).toMatch(/^billing-ready:006\w+:01$/);
    await billing.scrollIntoViewIfNeeded();
    await session.screenshot('engagement-billing');
  });
});
