import { randomUUID } from 'node:crypto';
import { SalesforceClient } from '../../salesforce/client';
import { connect } from '../../salesforce/connection';
import { RunCoordinator } from '../coordinator';
import { installLastResort } from '../last-resort';
import { OrgRequestLedger } from '../ledger';
import { runForecast } from '../runner';

/**
 * A service process whose runs go wrong outside their promise chains, for the last-resort test: the first run's work
 * throws from a timer and never settles (uncaughtException), the second's rejects a promise nobody handles
 * (unhandledRejection), the third is a plain run. Prints `{"runs":[…]}` with the three run ids and exits 0 if the
 * process kept serving.
 */
async function main() {
  const url = process.env.HANDOFF_TEST_ORG_URL!;
  const token = process.env.HANDOFF_TEST_ORG_TOKEN!;
  const client = async () =>
    new SalesforceClient(await connect({ kind: 'local', instanceUrl: url, accessToken: token }), { backoffMs: 5 });
  const runs: string[] = [randomUUID(), randomUUID(), randomUUID()];
  const coordinator = new RunCoordinator(
    async (runId, trigger, { alsoAlive, signal }) => {
      const which = runs.indexOf(runId);
      const work = runForecast(await client(), {
        runKey: runId,
        trigger,
        asOf: '2026-11-23',
        horizonWeeks: 4,
        trials: 50,
        alsoAlive,
        signal,
        lease: { ttlMs: 2_000, pollMs: 50 },
        onProgress: (stage) => {
          if (stage !== 'compute') return;
          if (which === 0) {
            setTimeout(() => {
              throw new Error('boom outside the run');
            }, 0);
          }
          if (which === 1) void Promise.reject(new Error('rejected outside the run'));
        }
      });
      // The first run's work "loses" its chain: the coordinator never hears back from it.
      return which === 0 ? new Promise<never>(() => void work) : work;
    },
    { ledger: new OrgRequestLedger(client) }
  );
  installLastResort(coordinator, (message) => process.stderr.write(`${message}\n`));
  for (const runId of runs) {
    await coordinator.request('Manual', runId);
    await coordinator.settled();
  }
  // Exit once the line is out (a pipe is written asynchronously); the first run's work never settles by design.
  process.stdout.write(`${JSON.stringify({ runs: runs.map((runId) => coordinator.get(runId)) })}\n`, () =>
    process.exit(0)
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
