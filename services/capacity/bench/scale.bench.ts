import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createLocalOrg, type LocalOrg } from '@handoff/local-org';
import { ROLES } from '../../../scripts/data/catalog';
import { isoDate, dayNumber } from '../src/engine/calendar';
import { mulberry32 } from '../src/engine/random';
import { runForecast, type RunOutcome } from '../src/run/runner';
import { SalesforceClient } from '../src/salesforce/client';
import { connect } from '../src/salesforce/connection';

const AS_OF = '2026-11-23';

/**
 * Reads at scale: an org with ROWS demand lines plus assignments (default 500,000 in all; `BENCH_SCALE_ROWS`), all
 * inside the forecast horizon, forecast once reading through REST pages and once through Bulk API 2.0 query jobs
 * (the default above 20,000 rows a query). Prints API calls (reads apart from writes), time and memory of each.
 * The rows are seeded with store.seed: a data load, no automation beyond the org's own validation.
 */
async function main() {
  const total = Number(process.env.BENCH_SCALE_ROWS ?? 500_000);
  const root = path.resolve(__dirname, '..', '..', '..');
  // In memory where the machine has it: the bench measures the service's calls, not the disk's fsyncs.
  const tmp = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
  const dataDir = fs.mkdtempSync(path.join(tmp, 'handoff-scale-'));
  const org = await createLocalOrg({ projectRoot: root, dataDir });
  try {
    const started = performance.now();
    seed(org, total);
    console.log(
      `seeded ${total.toLocaleString('en')} demand lines and assignments in ${seconds(performance.now() - started)}`
    );
    // Bulk first: the REST run leaves the org holding its query cursors (released after 15 idle minutes).
    for (const [label, readThreshold] of [
      ['Bulk API 2.0 query jobs', undefined],
      ['REST pages (2,000 rows a call)', Infinity]
    ] as const) {
      const client = new SalesforceClient(
        await connect({ kind: 'local', instanceUrl: org.url, accessToken: org.accessToken })
      );
      const before = performance.now();
      const outcome: RunOutcome = await runForecast(client, {
        trigger: 'CLI',
        asOf: AS_OF,
        horizonWeeks: 26,
        trials: 200,
        bulk: { readThreshold }
      });
      const memory = process.memoryUsage();
      console.log(
        `${label}: ${outcome.status} in ${seconds(performance.now() - before)}; read ${outcome.rowsRead.toLocaleString('en')} rows; ` +
          `API calls ${outcome.apiCalls} (${outcome.apiCalls - outcome.writeCalls} reading, ${outcome.writeCalls} writing); ` +
          `RSS ${mb(memory.rss)}, heap ${mb(memory.heapUsed)}`
      );
      if (outcome.error) console.log(`  ${outcome.error.errorCode}: ${outcome.error.message}`);
    }
    console.log(`peak RSS ${mb(process.resourceUsage().maxRSS * 1024)} (org and service in one process)`);
  } finally {
    await org.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A firm of 400 people and 2,000 engagements (50 still pipeline deals), holding `total` demand lines + assignments. */
function seed(org: LocalOrg, total: number) {
  const random = mulberry32(2026);
  const start = dayNumber(AS_OF);
  const people = org.store.seed(
    'Resource__c',
    Array.from({ length: 400 }, (_, index) => ({
      Name: `Person ${index}`,
      Primary_Role__c: ROLES[index % ROLES.length],
      Weekly_Capacity_Hours__c: index % 5 ? 40 : 24
    }))
  );
  const deals = org.store.seed(
    'Opportunity',
    Array.from({ length: 50 }, (_, index) => ({ Name: `Deal ${index}`, StageName: 'Prospecting', CloseDate: AS_OF }))
  );
  const engagements = org.store.seed(
    'Engagement__c',
    Array.from({ length: 2_000 }, (_, index) =>
      index < deals.length
        ? {
            Name: `Deal ${index}`,
            Status__c: 'Pipeline',
            Opportunity_Key__c: deals[index],
            Win_Probability__c: 20 + (index % 60),
            Expected_Start__c: isoDate(start + 14 + (index % 60))
          }
        : { Name: `Engagement ${index}`, Status__c: 'Active', Billable__c: true }
    )
  );
  const span = () => {
    const from = start - 7 + Math.floor(random() * 150);
    return { Start_Date__c: isoDate(from), End_Date__c: isoDate(from + 7 + Math.floor(random() * 50)) };
  };
  const chunk = 50_000;
  const demandLines = Math.floor(total / 2);
  for (let offset = 0; offset < demandLines; offset += chunk) {
    org.store.seed(
      'Resource_Demand__c',
      Array.from({ length: Math.min(chunk, demandLines - offset) }, (_, index) => {
        const engagement = (offset + index) % engagements.length;
        return {
          Engagement__c: engagements[engagement],
          Role__c: ROLES[(offset + index) % ROLES.length],
          Total_Hours__c: 4 + Math.floor(random() * 40),
          // Filled, so the staffing recommendations (one per open line) stay a realistic size.
          Status__c: 'Filled',
          Probability__c: engagement < deals.length ? 50 : 100,
          ...span()
        };
      })
    );
  }
  for (let offset = 0; offset < total - demandLines; offset += chunk) {
    org.store.seed(
      'Assignment__c',
      Array.from({ length: Math.min(chunk, total - demandLines - offset) }, (_, index) => ({
        Engagement__c: engagements[(offset + index) % engagements.length],
        Resource__c: people[(offset + index) % people.length],
        Hours_Per_Week__c: 0.1,
        Booking_Type__c: index % 3 ? 'Hard' : 'Soft',
        ...span()
      }))
    );
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
