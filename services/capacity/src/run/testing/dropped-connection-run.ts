import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLocalOrg } from '@handoff/local-org';
import { generateFirm, seedDemoFirm } from '../../../../../scripts/data/seed-local-org';
import { SalesforceClient } from '../../salesforce/client';
import { connect } from '../../salesforce/connection';
import { runForecast } from '../runner';

/**
 * Run by runner.faults.test.ts in a child process, so that an error escaping as an unhandled stream 'error' event
 * (which ends a Node process) shows as a dead child rather than a confused jest worker. Runs forecasts against a local
 * org whose connections drop in the middle of responses and prints one JSON line per run.
 */
async function main() {
  const root = path.resolve(__dirname, '..', '..', '..', '..', '..');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-dropped-'));
  const org = await createLocalOrg({ projectRoot: root, dataDir });
  let escaped = 0;
  process.on('uncaughtException', (error) => {
    escaped++;
    console.error(`uncaught: ${error.stack ?? String(error)}`);
  });
  try {
    const firm = generateFirm({ size: 'small' });
    seedDemoFirm(org.store, firm, org.userId);
    const run = async (faults: Parameters<typeof org.faults.set>[0]) => {
      org.faults.clear();
      org.faults.set(faults);
      const client = new SalesforceClient(
        await connect({ kind: 'local', instanceUrl: org.url, accessToken: org.accessToken }),
        { backoffMs: 5, timeoutMs: 5000 }
      );
      const outcome = await runForecast(client, { trigger: 'Manual', asOf: firm.today, trials: 100, horizonWeeks: 8 });
      return { status: outcome.status, retries: outcome.retries, errorCode: outcome.error?.errorCode };
    };
    const cases = {
      // The input read (a Composite of queries): committed nothing, cut half-way through the answer.
      read: await run({
        dropConnection: { count: 1, when: 'mid-response', match: { method: 'POST', path: '/composite' } }
      }),
      // An sObject Collections upsert: committed, then cut; sending it again updates the same rows by key.
      upsert: await run({
        dropConnection: { count: 1, when: 'mid-response', match: { path: '/composite/sobjects/' } }
      }),
      // Every read cut, more often than the client retries: the run fails, cleanly.
      everyRead: await run({
        dropConnection: { count: 50, when: 'mid-response', match: { method: 'POST', path: '/composite' } }
      })
    };
    // Let any stray socket error surface before reporting.
    await new Promise((resolve) => setTimeout(resolve, 200));
    console.log(JSON.stringify({ cases, escaped }));
  } finally {
    org.faults.clear();
    await org.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  }
);
