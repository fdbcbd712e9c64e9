import { connect, runForecast, SalesforceClient, type RunOutcome } from '@handoff/capacity';
import type { LocalOrg } from '@handoff/local-org';
import { generateFirm, seedDemoFirm } from '../data/seed-local-org';

/**
 * Makes a local org worth previewing, as `npm start` does: seeds the demo firm (anchored to `today`, so its planted
 * shortages fall in weeks 3-8 of the heatmap) when the org has no deals, and runs one forecast through the capacity
 * service's runner (over the org's REST API, as in production) when none has completed.
 */
export async function prepareDemoOrg(
  org: LocalOrg,
  today = new Date().toISOString().slice(0, 10)
): Promise<RunOutcome | undefined> {
  if (org.store.query('SELECT Id FROM Opportunity LIMIT 1').length === 0) {
    seedDemoFirm(org.store, generateFirm({ size: 'small', today }), org.userId);
  }
  if (org.store.query("SELECT Id FROM Capacity_Forecast_Run__c WHERE Status__c = 'Completed' LIMIT 1").length > 0) {
    return undefined;
  }
  const client = new SalesforceClient(
    await connect({ kind: 'local', instanceUrl: org.url, accessToken: org.accessToken })
  );
  const outcome = await runForecast(client, { trigger: 'Manual', asOf: today });
  if (outcome.status !== 'Completed') {
    throw new Error(`The demo forecast failed: ${outcome.error?.errorCode}: ${outcome.error?.message}`);
  }
  return outcome;
}
