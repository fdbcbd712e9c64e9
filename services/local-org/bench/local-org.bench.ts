/**
 * Local org benchmark: `npm run bench -w @handoff/local-org` (tsx).
 *  - a 50,000-row query paged through jsforce (autoFetch, 2,000-record pages), target < 2 s
 *  - a 10,000-row Bulk API 2.0 upsert through jsforce's bulk2.loadAndWaitForResults, target < 3 s
 * Prints the times and the process's peak RSS (server and client share this process).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Connection } from 'jsforce';
import { createLocalOrg } from '../src/local-org';
import { writeFixtureProject } from '../src/testing/fixture-project';

const QUERY_ROWS = 50_000;
const BULK_ROWS = 10_000;

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const peakRssMb = () => (process.resourceUsage().maxRSS / 1024).toFixed(0);

async function main(): Promise<void> {
  const projectRoot = writeFixtureProject();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-org-bench-'));
  const org = await createLocalOrg({ projectRoot, dataDir });
  try {
    const conn = new Connection({ instanceUrl: org.url, accessToken: org.accessToken, version: '66.0' });

    let started = Date.now();
    org.store.seed(
      'Project__c',
      Array.from({ length: QUERY_ROWS }, (_value, index) => ({
        Name: `Project ${index}`,
        Project_Key__c: `Q-${index}`,
        Stage__c: index % 3 === 0 ? 'Active' : 'Planned',
        Budget__c: index % 1000,
        Start__c: '2025-01-01'
      }))
    );
    console.log(`seed ${QUERY_ROWS} rows (store API, validated): ${seconds(Date.now() - started)}`);

    started = Date.now();
    const result = await conn.query('SELECT Id, Name, Project_Key__c, Stage__c, Budget__c, Start__c FROM Project__c', {
      autoFetch: true,
      maxFetch: 100_000
    });
    const queryMs = Date.now() - started;
    if (result.records.length !== QUERY_ROWS) throw new Error(`query returned ${result.records.length} records`);
    console.log(`query ${QUERY_ROWS} rows through jsforce (25 pages): ${seconds(queryMs)} (target < 2 s)`);

    const csv = [
      'Project_Key__c,Name,Budget__c,Stage__c',
      ...Array.from({ length: BULK_ROWS }, (_value, index) =>
        // Half update existing projects, half create new ones.
        [`Q-${index * 2 + (index % 2 ? QUERY_ROWS : 0)}`, `Bulk ${index}`, String(index % 500), 'Active'].join(',')
      )
    ].join('\n');
    started = Date.now();
    const bulk = await conn.bulk2.loadAndWaitForResults({
      object: 'Project__c',
      operation: 'upsert',
      externalIdFieldName: 'Project_Key__c',
      input: csv,
      pollInterval: 50,
      pollTimeout: 60_000
    });
    const bulkMs = Date.now() - started;
    if (bulk.successfulResults.length !== BULK_ROWS) {
      throw new Error(`bulk upsert: ${bulk.successfulResults.length} ok, ${bulk.failedResults.length} failed`);
    }
    console.log(`bulk 2.0 upsert ${BULK_ROWS} rows through jsforce: ${seconds(bulkMs)} (target < 3 s)`);
    console.log(`peak RSS: ${peakRssMb()} MB`);
    if (queryMs >= 2000 || bulkMs >= 3000) process.exitCode = 1;
  } finally {
    await org.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(projectRoot, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
