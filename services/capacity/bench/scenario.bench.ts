import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createLocalOrg } from '@handoff/local-org';
import { generateFirm, seedDemoFirm } from '../../../scripts/data/seed-local-org';
import { runForecast } from '../src/run/runner';
import { runScenario } from '../src/run/scenario';
import { SalesforceClient } from '../src/salesforce/client';
import { connect } from '../src/salesforce/connection';

/**
 * A what-if scenario computed against the local org holding the demo firm (`BENCH_SIZE`: small, the one `npm start`
 * seeds, or large): one forecast run as the baseline, then a scenario that moves an open deal four weeks later,
 * computed twice (first write, then an unchanged recompute). Prints seconds, rows written and API calls.
 */
async function main() {
  const size = process.env.BENCH_SIZE === 'large' ? 'large' : 'small';
  const root = path.resolve(__dirname, '..', '..', '..');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-scenario-bench-'));
  const org = await createLocalOrg({ projectRoot: root, dataDir });
  try {
    const firm = generateFirm({ size });
    seedDemoFirm(org.store, firm, org.userId);
    const client = async () =>
      new SalesforceClient(await connect({ kind: 'local', instanceUrl: org.url, accessToken: org.accessToken }));
    let started = performance.now();
    const run = await runForecast(await client(), { trigger: 'CLI', asOf: firm.today, horizonWeeks: 26, trials: 2000 });
    console.log(`${size} firm baseline run: ${run.status} in ${((performance.now() - started) / 1000).toFixed(2)} s`);
    const [deal] = org.store.query(
      "SELECT Opportunity_Key__c, Expected_Start__c FROM Engagement__c WHERE Status__c = 'Pipeline' AND Opportunity_Key__c != null ORDER BY Name LIMIT 1"
    );
    const [scenario] = org.store.seed('Capacity_Scenario__c', [
      { Name: 'Bench: deal four weeks later', Status__c: 'Queued', Opportunity__c: deal!.Opportunity_Key__c }
    ]);
    org.store.seed('Scenario_Change__c', [
      { Scenario__c: scenario, Type__c: 'Shift Start', Opportunity__c: deal!.Opportunity_Key__c, Shift_Days__c: 28 }
    ]);
    for (const label of ['scenario (first compute)', 'scenario (unchanged recompute)']) {
      const c = await client();
      started = performance.now();
      const outcome = await runScenario(c, { scenarioId: scenario! });
      console.log(
        `${size} firm ${label}: ${outcome.status} in ${((performance.now() - started) / 1000).toFixed(2)} s; ` +
          `wrote ${outcome.rowsWritten} results; API calls ${outcome.apiCalls}` +
          (outcome.error ? `; ${outcome.error.errorCode}: ${outcome.error.message}` : '')
      );
    }
  } finally {
    await org.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
