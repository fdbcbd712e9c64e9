import * as readline from 'node:readline';
import { SalesforceClient } from '../../salesforce/client';
import { connect } from '../../salesforce/connection';
import { runForecast } from '../runner';

/**
 * One forecast run in its own process, for the tests that race processes on one org. Reads the org and the run from
 * the environment (HANDOFF_TEST_ORG_URL, HANDOFF_TEST_ORG_TOKEN, HANDOFF_TEST_RUN_KEY, HANDOFF_TEST_LEASE_TTL_MS),
 * prints `{"ready":true}`, waits for a line on stdin (so racing processes start together), then prints one JSON line
 * per progress step (`{"t":…,"stage":…,"detail":…}`) and finally `{"outcome":…}`.
 */
async function main() {
  const env = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  const client = new SalesforceClient(
    await connect({
      kind: 'local',
      instanceUrl: env('HANDOFF_TEST_ORG_URL'),
      accessToken: env('HANDOFF_TEST_ORG_TOKEN')
    }),
    { backoffMs: 5 }
  );
  const ttlMs = Number(process.env.HANDOFF_TEST_LEASE_TTL_MS ?? 60_000);
  const print = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
  print({ ready: true });
  const input = readline.createInterface({ input: process.stdin });
  await new Promise<void>((resolve) => input.once('line', () => resolve()));
  input.close();
  const outcome = await runForecast(client, {
    trigger: 'CLI',
    runKey: env('HANDOFF_TEST_RUN_KEY'),
    asOf: '2026-11-23',
    horizonWeeks: 8,
    trials: 100,
    seed: 3,
    lease: { ttlMs, pollMs: 50, waitMs: 60_000 },
    onProgress: (stage, detail) => print({ t: Date.now(), stage, detail })
  });
  print({ outcome });
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
