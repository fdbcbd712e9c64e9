import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import {
  checkSecret,
  connect,
  createApp,
  formatSummary,
  formatWrites,
  installLastResort,
  OrgRequestLedger,
  RunCoordinator,
  runForecast,
  SalesforceClient
} from '@handoff/capacity';
import { createLocalOrg } from '@handoff/local-org';
import { generateFirm, seedDemoFirm } from './data/seed-local-org';
import { startPreview } from './preview/server';
import { acquireStartLock, StartLockHeld } from './start-lock';

/**
 * `npm start`: the whole main job on this machine. Starts the local org (the offline stand-in for Salesforce) on a
 * free loopback port, seeds the demo firm if it is empty, starts the capacity service, runs one forecast and prints
 * what delivery should know. Keeps running until stopped (Ctrl-C); `--once` stops after the forecast.
 */
async function main() {
  const { values } = parseArgs({ options: { once: { type: 'boolean' }, reset: { type: 'boolean' } } });
  const root = path.resolve(__dirname, '..');
  // HANDOFF_HOME (default .handoff) holds the org's data, local-org.json and the lock.
  const home = path.resolve(process.env.HANDOFF_HOME ?? path.join(root, '.handoff'));
  const dataDir = path.join(home, 'local-org');

  // One npm start per data directory: a second one says where the first runs instead of repointing local-org.json.
  const lock = acquireStartLock(home);
  process.on('exit', () => lock.release());
  const org = await createLocalOrg({
    projectRoot: root,
    dataDir,
    port: Number(process.env.HANDOFF_LOCAL_ORG_PORT ?? 0)
  });
  if (values.reset) org.reset();
  for (const problem of org.problems) console.warn(`local org: ${problem}`);

  if (org.store.query('SELECT Id FROM Opportunity LIMIT 1').length === 0) {
    const seeded = seedDemoFirm(org.store, generateFirm({ size: 'small' }), org.userId);
    console.log(
      `Seeded the demo firm: ${seeded.created.Opportunity} deals, ${seeded.created.Resource__c} resources, ` +
        `${seeded.engagements} engagements and ${seeded.demandLines} demand lines created by the automation, ${seeded.assignments} assignments; ` +
        `${seeded.historicalDeals} closed deals of the last two years (${seeded.historyRows} opportunity history rows).`
    );
  }
  fs.writeFileSync(
    path.join(home, 'local-org.json'),
    JSON.stringify(
      { url: org.url, accessToken: org.accessToken, refreshToken: org.refreshToken, username: org.username },
      null,
      2
    )
  );

  const secret =
    process.env.HANDOFF_SERVICE_SECRET === undefined
      ? randomBytes(32).toString('hex')
      : checkSecret(process.env.HANDOFF_SERVICE_SECRET);
  const client = () =>
    connect({ kind: 'local', instanceUrl: org.url, accessToken: org.accessToken, refreshToken: org.refreshToken }).then(
      (c) => new SalesforceClient(c)
    );
  const coordinator = new RunCoordinator(
    async (runId, trigger, { alsoAlive, signal }) =>
      runForecast(await client(), { runKey: runId, trigger, alsoAlive, signal }),
    { ledger: new OrgRequestLedger(client) }
  );
  installLastResort(coordinator);
  const service = createApp(coordinator, { secret, org: org.url }).listen(
    Number(process.env.HANDOFF_SERVICE_PORT ?? 0),
    '127.0.0.1'
  );
  await new Promise((resolve) => service.once('listening', resolve));
  const serviceUrl = `http://127.0.0.1:${(service.address() as AddressInfo).port}`;
  lock.update({ localOrg: org.url, service: serviceUrl });

  // Deal changes reach the forecast by themselves: the org's lifecycle event subscriber calls this service, as the
  // Handoff_Capacity_Service named credential does in an org.
  org.useCapacityService({ url: serviceUrl, secret });

  console.log(`\nLocal org:        ${org.url}  (user ${org.username})`);
  console.log(
    `Capacity service: ${serviceUrl}  (HMAC secret: ${process.env.HANDOFF_SERVICE_SECRET ? 'HANDOFF_SERVICE_SECRET' : 'generated for this session'})`
  );
  console.log('Log the sf CLI in to the local org:');
  console.log(
    `  SF_ACCESS_TOKEN='${org.accessToken}' npx sf org login access-token --instance-url ${org.url} --no-prompt --alias handoff-local\n`
  );

  const { run } = await coordinator.request('Start');
  await coordinator.settled();
  const outcome = run.outcome!;
  console.log(
    `Forecast ${outcome.status.toLowerCase()}${outcome.runName ? ` (${outcome.runName})` : ''} in ${outcome.durationMs} ms: ${formatWrites(outcome)}, ${outcome.apiCalls} API calls.`
  );
  if (outcome.summary) for (const line of formatSummary(outcome.summary, outcome.runName)) console.log(line);
  if (outcome.error) console.error(`${outcome.error.errorCode}: ${outcome.error.message}`);

  const stop = async () => {
    await new Promise((resolve) => service.close(resolve));
    await org.close();
  };
  if (values.once) {
    await stop();
    process.exit(outcome.status === 'Completed' ? 0 : 1);
  }
  const preview = await startPreview({ org, port: Number(process.env.HANDOFF_PREVIEW_PORT ?? 0) });
  lock.update({ preview: preview.url });
  console.log(`\nPreview:          ${preview.url}  (the Lightning components, rendered against this org)`);
  console.log('Running. Ctrl-C stops the local org, the service and the preview.');
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void stop().then(() => process.exit(0));
    });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof StartLockHeld ? error.message : error);
  process.exit(1);
});
