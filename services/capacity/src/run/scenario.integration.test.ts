import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLocalOrg, type LocalOrg } from '@handoff/local-org';
import { SalesforceClient } from '../salesforce/client';
import { connect } from '../salesforce/connection';
import { runForecast } from './runner';
import { runScenario, scenarioLeaseKey } from './scenario';
import { seedSmallFirm } from './testing/small-firm';

jest.setTimeout(90_000);

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const AS_OF = '2026-11-23';

/** Scenarios computed against the local org over real HTTP, next to the forecast run they are based on. */
describe('scenarios against the local org', () => {
  let org: LocalOrg;
  let dataDir: string;

  const client = async () =>
    new SalesforceClient(
      await connect({
        kind: 'local',
        instanceUrl: org.url,
        accessToken: org.accessToken,
        refreshToken: org.refreshToken
      }),
      { backoffMs: 5 }
    );
  const forecastRun = async () =>
    runForecast(await client(), { trigger: 'Manual', asOf: AS_OF, horizonWeeks: 12, trials: 200, seed: 5 });
  const deal = () => String(org.store.query("SELECT Id FROM Opportunity WHERE Name = 'Maybe rollout'")[0]!.Id);
  const scenarioWith = (changes: Record<string, unknown>[], extra: Record<string, unknown> = {}) => {
    const [scenario] = org.store.seed('Capacity_Scenario__c', [{ Name: 'What if', Status__c: 'Queued', ...extra }]);
    org.store.seed(
      'Scenario_Change__c',
      changes.map((change) => ({ Scenario__c: scenario, ...change }))
    );
    return scenario!;
  };
  const scenarioRecord = (id: string) =>
    org.store.query(
      `SELECT Status__c, Error__c, Based_On_Run__c, Computed_At__c, Deal_Answer_State__c, Deal_Planned_Start__c, Deal_Staffable__c FROM Capacity_Scenario__c WHERE Id = '${id}'`
    )[0]!;
  const results = (id: string) =>
    org.store.query(
      `SELECT Row_Key__c, Dimension__c, Name__c, Week_Start__c, Weighted_Hours__c, Capacity_Hours__c FROM Scenario_Result__c WHERE Scenario__c = '${id}'`
    );

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-scenario-'));
    org = await createLocalOrg({ projectRoot: ROOT, dataDir });
  });
  afterAll(async () => {
    await org.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    org.reset();
    seedSmallFirm(org.store);
  });

  it('computes a shifted deal against the latest run: one result per forecast row, same keys, the deal moved', async () => {
    const run = await forecastRun();
    expect(run.status).toBe('Completed');
    const id = scenarioWith([{ Type__c: 'Shift Start', Opportunity__c: deal(), New_Start__c: '2027-01-04' }], {
      Opportunity__c: deal()
    });

    const outcome = await runScenario(await client(), { scenarioId: id });
    expect(outcome.error).toBeUndefined();
    expect(outcome.status).toBe('Completed');

    const runRecord = org.store.query("SELECT Id FROM Capacity_Forecast_Run__c WHERE Status__c = 'Completed'")[0]!;
    expect(scenarioRecord(id)).toMatchObject({
      Status__c: 'Completed',
      Error__c: null,
      Based_On_Run__c: runRecord.Id,
      Deal_Planned_Start__c: '2027-01-04'
    });
    expect(scenarioRecord(id).Computed_At__c).toEqual(expect.any(String));

    const baseline = org.store.query(
      "SELECT Row_Key__c, Weighted_Hours__c, Capacity_Hours__c FROM Capacity_Forecast__c WHERE Slot__c = 'A'"
    );
    const mine = results(id);
    expect(mine.map((row) => row.Row_Key__c).sort()).toEqual(baseline.map((row) => row.Row_Key__c).sort());
    const weighted = (rows: Record<string, unknown>[], key: string) =>
      rows.find((row) => row.Row_Key__c === key)!.Weighted_Hours__c as number;
    // The deal's 400 developer hours at 50% left 2026-11-30 .. 2026-12-11 for 2027-01-04 .. 2027-01-15.
    expect(weighted(baseline, 'A:Role:Developer:2026-11-30') - weighted(mine, 'A:Role:Developer:2026-11-30')).toBe(100);
    expect(weighted(mine, 'A:Role:Developer:2027-01-04') - weighted(baseline, 'A:Role:Developer:2027-01-04')).toBe(100);
    // Capacity is not a scenario's to change.
    for (const row of mine) {
      expect(row.Capacity_Hours__c).toBe(baseline.find((b) => b.Row_Key__c === row.Row_Key__c)!.Capacity_Hours__c);
    }

    // A recompute with nothing changed writes nothing, and releases the scenario's lease.
    const again = await runScenario(await client(), { scenarioId: id });
    expect(again.error).toBeUndefined();
    expect(again).toMatchObject({ status: 'Completed', rowsWritten: 0, rowsDeleted: 0 });
    const leases = org.store.query(
      `SELECT Lease_Key__c, Released__c FROM Capacity_Run_Lease__c WHERE Lease_Key__c LIKE '${scenarioLeaseKey(id)}%'`
    );
    expect(leases.length).toBeGreaterThan(0);
    expect(leases.every((lease) => lease.Released__c === true)).toBe(true);
  });

  it('fails with an error naming the change record and field when a change cannot apply', async () => {
    await forecastRun();
    const [lonely] = org.store.seed('Opportunity', [
      { Name: 'No demand', StageName: 'Prospecting', CloseDate: '2026-12-01' }
    ]);
    const id = scenarioWith([{ Type__c: 'Exclude Deal', Opportunity__c: lonely }]);
    const change = org.store.query(`SELECT Id, Name FROM Scenario_Change__c WHERE Scenario__c = '${id}'`)[0]!;

    const outcome = await runScenario(await client(), { scenarioId: id });
    expect(outcome).toMatchObject({ status: 'Failed', error: { field: 'Opportunity__c', recordKey: change.Id } });
    const record = scenarioRecord(id);
    expect(record.Status__c).toBe('Failed');
    expect(record.Error__c).toContain(
      `Scenario_Change__c ${String(change.Name)} (${String(change.Id)}): Opportunity__c`
    );
    expect(results(id)).toEqual([]);
  });

  it('fails, saying so, when no forecast run has completed yet', async () => {
    const id = scenarioWith([{ Type__c: 'Exclude Deal', Opportunity__c: deal() }]);
    const outcome = await runScenario(await client(), { scenarioId: id });
    expect(outcome.error?.errorCode).toBe('NO_BASELINE');
    expect(scenarioRecord(id).Error__c).toMatch(/run the forecast first/);
  });

  it('runs beside a forecast run without either blocking or overwriting the other', async () => {
    await forecastRun();
    const id = scenarioWith([{ Type__c: 'Exclude Deal', Opportunity__c: deal() }]);
    const [scenario, run] = await Promise.all([runScenario(await client(), { scenarioId: id }), forecastRun()]);
    expect(scenario.status).toBe('Completed');
    expect(run).toMatchObject({ status: 'Completed', slot: 'B' });
    // The forecast slots hold forecast rows only; the scenario's rows are its own.
    expect(org.store.query("SELECT Id FROM Capacity_Forecast__c WHERE Slot__c = 'B'").length).toBeGreaterThan(0);
    expect(results(id).length).toBe(org.store.query("SELECT Id FROM Capacity_Forecast__c WHERE Slot__c = 'A'").length);
  });

  it('the local org refuses incomplete changes with the field named, and unknown types and statuses', () => {
    const [scenario] = org.store.seed('Capacity_Scenario__c', [{ Name: 'Checks' }]);
    const attempt = (values: Record<string, unknown>) => {
      try {
        org.store.seed('Scenario_Change__c', [{ Scenario__c: scenario, ...values }]);
        return 'saved';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(attempt({ Type__c: 'Shift Start', Opportunity__c: deal() })).toMatch(
      /New Start \(or Shift Days\) is required/
    );
    expect(attempt({ Type__c: 'Exclude Deal' })).toMatch(/Opportunity is required/);
    expect(attempt({ Type__c: 'Set Probability', Opportunity__c: deal(), Probability__c: 150 })).toMatch(
      /Probability is required .* between 0 and 100/
    );
    expect(attempt({ Type__c: 'Add Deal', Start_Date__c: '2026-12-07', Practice__c: 'Salesforce' })).toMatch(
      /Demand Template is required/
    );
    expect(attempt({ Type__c: 'Add Deal', Demand_Template__c: 'HO-IMPL', Practice__c: 'Salesforce' })).toMatch(
      /Start Date is required/
    );
    expect(attempt({ Type__c: 'Add Deal', Demand_Template__c: 'HO-IMPL', Start_Date__c: '2026-12-07' })).toMatch(
      /Practice is required/
    );
    expect(attempt({ Type__c: 'Rename Deal', Opportunity__c: deal() })).toMatch(/restricted picklist/);
    expect(attempt({ Type__c: 'Set Probability', Opportunity__c: deal(), Probability__c: 30 })).toBe('saved');
    expect(() => org.store.seed('Capacity_Scenario__c', [{ Name: 'Bad', Status__c: 'Done' }])).toThrow(
      /restricted picklist/
    );
  });

  it('adds a hypothetical deal from a demand template product code', async () => {
    await forecastRun();
    const id = scenarioWith([
      {
        Type__c: 'Add Deal',
        Demand_Template__c: 'HO-IMPL',
        Practice__c: 'Salesforce',
        Start_Date__c: '2026-12-07',
        Units__c: 1
      }
    ]);
    const outcome = await runScenario(await client(), { scenarioId: id });
    expect(outcome.error).toBeUndefined();
    const practice = results(id).filter((row) => row.Dimension__c === 'Practice' && row.Name__c === 'Salesforce');
    expect(practice.reduce((sum, row) => sum + Number(row.Weighted_Hours__c), 0)).toBeGreaterThan(0);
  });
});
