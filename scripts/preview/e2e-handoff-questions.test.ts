import { browserSession, until } from './testing/browser-session';

jest.setTimeout(180_000);

/**
 * The rep's handoff questions on the Opportunity page and the client hierarchy on the Engagement page, as real
 * components in headless Chromium against the local org with the demo firm.
 */
describe('handoff questions and the client hierarchy in headless Chromium', () => {
  const session = browserSession({ name: 'questions' });

  it('the rep answers a handoff question on an open deal, and it is saved on the deal', async () => {
    const [deal] = session.org.store.query(
      "SELECT Id FROM Opportunity WHERE IsClosed = false AND StageName IN ('Qualification', 'Needs Analysis', 'Proposal/Price Quote') LIMIT 1"
    );
    await session.open(`view=opportunity&opportunityId=${String(deal!.Id)}`);
    const questions = session.page.locator('c-deal-handoff-questions');
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
    await expect(session.page.locator('.slds-notify_toast').innerText()).resolves.toContain('Handoff answer saved');
    const saved = session.org.store.query(
      `SELECT Question_Key__c, Answer__c FROM Deal_Handoff_Answer__c WHERE Opportunity__c = '${String(deal!.Id)}'`
    );
    expect(saved).toHaveLength(1);
    expect(saved[0]!.Answer__c).toBe('Quarterly steering meetings with the CFO, promised in the final pitch');
    await session.screenshot('opportunity-handoff-questions');
  });

  it("the engagement page shows the client's parents up to the top-level parent", async () => {
    const [engagement] = session.org.store.query(
      'SELECT Id, Account__r.Name, Account__r.Parent.Name FROM Engagement__c WHERE Account__r.ParentId != null LIMIT 1'
    );
    expect(engagement).toBeDefined();
    await session.open(`view=engagement&engagementId=${String(engagement!.Id)}`);
    const hierarchy = session.page.locator('c-client-hierarchy');
    const account = engagement!.Account__r as { Name: string; Parent: { Name: string } };
    const levels = await until(
      () => hierarchy.locator('li.level').allInnerTexts(),
      (texts) => texts.length >= 2,
      'the hierarchy'
    );
    expect(levels[0]).toContain(account.Name);
    expect(levels[1]).toContain(account.Parent.Name);
    await expect(hierarchy.locator('p.top-text').innerText()).resolves.toContain('its top-level parent');
    await session.screenshot('engagement-client-hierarchy');
  });
});
