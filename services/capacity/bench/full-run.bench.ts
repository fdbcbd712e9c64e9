import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createLocalOrg } from '@handoff/local-org';
import { generateFirm, seedDemoFirm } from '../../../scripts/data/seed-local-org';
import { inputQueries } from '../src/run/inputs';
import { runForecast } from '../src/run/runner';
import { SalesforceClient } from '../src/salesforce/client';
import { connect } from '../src/salesforce/connection';

/**
 * A full forecast run against the local org holding the large demo firm (2,000 resources, 3,000 open deals with line
 * items, a year of assignments), counting API calls against the budget ceil(rows read / 2000) + writes + the lease's calls + the input
 * Composites (five queries each) + 4; then
 * runs per minute and memory (RSS, heap) over a series of 20 runs (`BENCH_RUNS`).
 */
async function main() {
  const root = path.resolve(__dirname, '..', '..', '..');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-full-run-'));
  const org = await createLocalOrg({ projectRoot: root, dataDir });
  try {
    let started = performance.now();
    const firm = generateFirm({ size: 'large' });
    const seeded = seedDemoFirm(org.store, firm, org.userId);
    console.log(
      `seeded the large firm in ${((performance.now() - started) / 1000).toFixed(1)} s: ${seeded.created.Resource__c} resources, ` +
        `${seeded.created.Opportunity} deals, ${seeded.engagements} engagements, ${seeded.demandLines} demand lines, ${seeded.assignments} assignments`
    );
    for (const [label, trials] of [
      ['first run (empty slot)', 2000],
      ['second run (other slot)', 2000],
      ['third run (unchanged)', 2000]
    ] as const) {
      const client = new SalesforceClient(
        await connect({ kind: 'local', instanceUrl: org.url, accessToken: org.accessToken })
      );
      started = performance.now();
      const outcome = await runForecast(client, { trigger: 'CLI', asOf: firm.today, horizonWeeks: 26, trials });
      const composites = Math.ceil((Object.keys(inputQueries('2026-01-05', '2026-02-02')).length + 1) / 5);
      const budget =
        Math.ceil(outcome.rowsRead / 2000) + outcome.writeCalls + (outcome.leaseCalls ?? 0) + composites + 4;
      console.log(
        `${label}: ${outcome.status} in ${((performance.now() - started) / 1000).toFixed(2)} s; read ${outcome.rowsRead} rows, ` +
          `wrote ${outcome.rowsWritten}${outcome.bulkJobId ? ' (Bulk API 2.0)' : ''}; API calls ${outcome.apiCalls} ` +
          `(budget ${budget}: ${outcome.writeCalls} write calls, ${outcome.leaseCalls ?? 0} for the lease)`
      );
      if (outcome.error) console.log(`  ${outcome.error.errorCode}: ${outcome.error.message}`);
    }

    // Throughput and memory over a series of runs, as a service answering one lifecycle event after another would
    // do them: a new client per run, the same org.
    const series = Number(process.env.BENCH_RUNS ?? 20);
    const memory: NodeJS.MemoryUsage[] = [];
    const calls: number[] = [];
    started = performance.now();
    for (let index = 0; index < series; index++) {
      const client = new SalesforceClient(
        await connect({ kind: 'local', instanceUrl: org.url, accessToken: org.accessToken })
      );
      const outcome = await runForecast(client, { trigger: 'CLI', asOf: firm.today, horizonWeeks: 26, trials: 2000 });
      if (outcome.status !== 'Completed') throw new Error(`run ${index + 1}: ${outcome.error?.message}`);
      calls.push(outcome.apiCalls);
      memory.push(process.memoryUsage());
    }
    const elapsed = performance.now() - started;
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
    const range = (values: number[]) => `${mb(Math.min(...values))}-${mb(Math.max(...values))}`;
    console.log(
      `${series} runs in ${(elapsed / 1000).toFixed(1)} s: ${((series * 60_000) / elapsed).toFixed(1)} runs per minute, ` +
        `${(elapsed / series / 1000).toFixed(2)} s a run, ${Math.min(...calls)}-${Math.max(...calls)} API calls a run; ` +
        `RSS ${range(memory.map((usage) => usage.rss))}, heap used ${range(memory.map((usage) => usage.heapUsed))} ` +
        `(first run ${mb(memory[0]!.heapUsed)}, last ${mb(memory[memory.length - 1]!.heapUsed)})`
    );
    console.log(
      `memory: peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (org and service in one process)`
    );
  } finally {
    await org.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
