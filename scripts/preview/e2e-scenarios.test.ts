import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import {
  connect,
  createApp,
  RunCoordinator,
  runForecast,
  runScenario,
  SalesforceClient,
  ScenarioCoordinator
} from '@handoff/capacity';
import { scenarioRequestsIdle, useScenarioService } from './scenario-adapters';
import { browserSession } from './testing/browser-session';

jest.setTimeout(240_000);

/**
 * What-if scenarios end to end: the real components in headless Chromium, the preview's twins of the scenario Apex,
 * and the real capacity service on a loopback port computing against the local org, as `npm start` wires them.
 */
describe('what-if scenarios in the preview, computed by the capacity service', () => {
  let service: Server | undefined;
  let scenarios: ScenarioCoordinator | undefined;

  const session = browserSession({
    name: 'scenario',
    viewport: { width: 1400, height: 1200 },
    prepare: async (org) => {
      const client = async () =>
        new SalesforceClient(await connect({ kind: 'local', instanceUrl: org.url, accessToken: org.accessToken }));
      const secret = randomBytes(32).toString('hex');
      scenarios = new ScenarioCoordinator(async (scenarioId, requestId) =>
        runScenario(await client(), { scenarioId, requestId })
      );
      const runs = new RunCoordinator(async (runId, trigger) =>
        runForecast(await client(), { runKey: runId, trigger })
      );
      service = createApp(runs, { secret, org: org.url, scenarios }).listen(0, '127.0.0.1');
      await new Promise((resolve) => service!.once('listening', resolve));
      useScenarioService({ url: `http://127.0.0.1:${(service.address() as AddressInfo).port}`, secret });
    },
    release: async () => {
      await scenarioRequestsIdle();
      await scenarios?.settled();
      useScenarioService(undefined);
      if (service) await new Promise((resolve) => service!.close(resolve));
    }
  });

  it('creates a scenario, moves a deal, runs it and shows it computed on the current forecast', async () => {
    const [answer] = session.org.store.query(
      "SELECT Opportunity__c, Opportunity__r.Name FROM Staffing_Answer__c WHERE Answer_State__c IN ('Staffable', 'Short') ORDER BY Opportunity__r.Name LIMIT 1"
    );
    const dealName = String((answer!.Opportunity__r as Record<string, unknown>).Name);
    await session.open('view=app');
    const editor = session.page.locator('c-capacity-scenarios');
    await editor.locator('p.empty').waitFor();

    await editor.locator('lightning-input.new-name input').fill('Deal slips four weeks');
    await editor.locator('lightning-button.create button').click();
    await editor.locator('.selected-name').waitFor();
    await editor.locator('lightning-combobox.deal button').click();
    await editor.locator('lightning-base-combobox-item', { hasText: dealName }).first().click();
    await editor.locator('lightning-input.shift-days input').fill('28');
    await editor.locator('lightning-button.add button').click();
    await expect(editor.locator('.change-text').first().innerText()).resolves.toBe(`Move ${dealName} 28 days later`);

    await editor.locator('lightning-button.run button').click();
    await editor.locator('.selected-baseline').waitFor({ timeout: 60_000 });
    await expect(editor.locator('.selected-baseline').innerText()).resolves.toBe('On the current forecast');
    await expect(editor.locator('section.selected lightning-badge').innerText()).resolves.toBe('Completed');

    // One result per row and week of the forecast it was computed against, keyed like its rows.
    const [run] = session.org.store.query(
      "SELECT Id, Slot__c FROM Capacity_Forecast_Run__c WHERE Status__c = 'Completed' ORDER BY Finished_At__c DESC LIMIT 1"
    );
    const [scenario] = session.org.store.query(
      "SELECT Id, Status__c, Based_On_Run__c FROM Capacity_Scenario__c WHERE Name = 'Deal slips four weeks'"
    );
    expect(scenario).toMatchObject({ Status__c: 'Completed', Based_On_Run__c: run!.Id });
    const keys = (rows: Record<string, unknown>[]) => rows.map((row) => String(row.Row_Key__c)).sort();
    const results = session.org.store.query(
      `SELECT Row_Key__c FROM Scenario_Result__c WHERE Scenario__c = '${String(scenario!.Id)}'`
    );
    const baseline = session.org.store.query(
      `SELECT Row_Key__c FROM Capacity_Forecast__c WHERE Slot__c = '${String(run!.Slot__c)}'`
    );
    expect(results.length).toBeGreaterThan(0);
    expect(keys(results)).toEqual(keys(baseline));
    await session.screenshot('capacity-scenarios');
  });

  it('shows a refused change with the field named', async () => {
    const editor = session.page.locator('c-capacity-scenarios');
    await editor.locator('lightning-combobox.type button').click();
    await editor.locator('lightning-base-combobox-item', { hasText: 'Add Deal' }).click();
    await editor.locator('lightning-button.add button').click();
    await expect(editor.locator('c-error-panel').innerText()).resolves.toMatch(
      /Scenario Change: .* is required for an Add Deal change.* \((Demand_Template__c|Start_Date__c|Practice__c)\)/
    );
    // The refusal reaches the page as Apex's 400 answer, which the browser logs: expected here, and only that.
    expect(session.pageErrors.splice(0)).toEqual([
      'Failed to load resource: the server responded with a status of 400 (Bad Request)'
    ]);
  });

  it("answers 'what if it started on' from the Opportunity page, beside the current answer", async () => {
    const [answer] = session.org.store.query(
      "SELECT Opportunity__c, Planned_Start__c FROM Staffing_Answer__c WHERE Answer_State__c IN ('Staffable', 'Short') ORDER BY Opportunity__r.Name LIMIT 1"
    );
    await session.open(`view=opportunity&opportunityId=${String(answer!.Opportunity__c)}`);
    const outlook = session.page.locator('c-delivery-outlook');
    await outlook.locator('.what-if').waitFor();
    const later = new Date(Date.parse(String(answer!.Planned_Start__c)) + 56 * 86_400_000).toISOString().slice(0, 10);
    // The date input takes the user's locale format (en-US in this browser), as a user types it.
    const typed = new Date(`${later}T12:00:00Z`).toLocaleDateString('en-US', {
      month: 'short',
      day: 'numeric',
      year: 'numeric',
      timeZone: 'UTC'
    });
    await outlook.locator('lightning-input.what-if-date input').fill(typed);
    await outlook.locator('lightning-input.what-if-date input').press('Tab');
    await outlook.locator('lightning-button.ask-what-if button').click();
    await outlook.locator('table.what-if-answer').waitFor({ timeout: 60_000 });
    const rows = await outlook.locator('table.what-if-answer tbody th').allInnerTexts();
    expect(rows).toEqual([
      'Verdict',
      'Hours short for this deal',
      'Already over-committed without it',
      'Earliest start we can staff',
      'Roles short'
    ]);
    await expect(outlook.locator('.deal-context').innerText()).resolves.toMatch(/entered probability · forecast/);
    await session.screenshot('delivery-outlook-what-if');
  });
});
