import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { createLocalOrg, type LocalOrg } from '@handoff/local-org';
import express from 'express';
import { APEX_METHODS, AuraHandledError, currentRun, soqlString } from './adapters';
import { buildPreview } from './build';
import { prepareDemoOrg } from './demo-org';
import { parseSynthetic, syntheticHeatmap } from './synthetic';

const ROOT = path.resolve(__dirname, '..', '..');
const SLDS_ASSETS = path.join(ROOT, 'node_modules', '@salesforce-ux', 'design-system', 'assets');
const HEATMAP = 'CapacityHeatmapController.getHeatmap';

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Handoff preview</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="/assets/styles/salesforce-lightning-design-system.min.css" />
  </head>
  <body>
    <main id="root" class="slds-p-around_medium"></main>
    <script type="module" src="/build/preview.js"></script>
  </body>
</html>`;

export interface PreviewOptions {
  /** The local org whose records the preview shows (the one `npm start` runs, or one of a test). */
  org: LocalOrg;
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
}

export interface Preview {
  url: string;
  /** Page components force-app does not have yet. */
  missing: string[];
  buildMs: number;
  /** True when the components had not changed since the last build (node_modules/.cache/handoff-preview). */
  cached: boolean;
  close(): Promise<void>;
}

/** The pickers' choices: every deal and engagement, with a default of each that has something to show. */
function pickerRecords(org: LocalOrg) {
  const slot = String(currentRun(org)?.Slot__c ?? '');
  const [answered] = org.store.query(
    `SELECT Opportunity__c FROM Staffing_Answer__c WHERE Slot__c = ${soqlString(slot)} ORDER BY Opportunity__r.Name LIMIT 1`
  );
  const engagements = org.store.query('SELECT Id, Name, Status__c FROM Engagement__c ORDER BY Name LIMIT 2000');
  return {
    orgUrl: org.url,
    opportunities: org.store
      .query('SELECT Id, Name, StageName FROM Opportunity ORDER BY Name LIMIT 2000')
      .map((row) => ({ id: row.Id, label: `${row.Name} (${row.StageName})` })),
    engagements: engagements.map((row) => ({ id: row.Id, label: `${row.Name} (${row.Status__c})` })),
    defaults: {
      opportunityId: answered?.Opportunity__c,
      engagementId: engagements.find((row) => row.Status__c === 'Active')?.Id
    }
  };
}

/**
 * Serves the preview of the force-app components: the page, the compiled bundle, SLDS, the pickers' records and
 * `POST /apex/Class.method`, which the preview adapters answer from the org's records (adapters.ts).
 */
export async function startPreview({ org, port = 0 }: PreviewOptions): Promise<Preview> {
  const bundle = await buildPreview();
  const files = new Map(Object.entries(bundle.files));
  const app = express();
  app.use(express.json({ limit: '1mb' }));
  app.get('/', (_request, response) => void response.type('html').send(PAGE));
  app.get('/build/:file', (request, response) => {
    const code = files.get(String(request.params.file));
    if (code === undefined) response.sendStatus(404);
    else response.type('js').send(code);
  });
  app.use('/assets', express.static(SLDS_ASSETS, { fallthrough: false }));
  app.get('/preview/records', (_request, response) => void response.json(pickerRecords(org)));
  app.post('/apex/:method', (request, response) => {
    const name = String(request.params.method);
    const synthetic = name === HEATMAP ? parseSynthetic(request.query.synthetic) : undefined;
    const method = synthetic ? () => syntheticHeatmap(synthetic.rows, synthetic.weeks) : APEX_METHODS.get(name);
    const params: unknown = request.body ?? {};
    if (!method) {
      response.status(404).json({
        message: `The preview has no adapter for ${name}: add one to scripts/preview/adapters.ts.`,
        exceptionType: 'System.UnexpectedException'
      });
      return;
    }
    if (typeof params !== 'object' || params === null || Array.isArray(params)) {
      response
        .status(400)
        .json({ message: 'Apex parameters must be a JSON object.', exceptionType: 'System.JSONException' });
      return;
    }
    try {
      response.json({ result: method(org, params as Record<string, unknown>) ?? null });
    } catch (error) {
      const handled = error instanceof AuraHandledError;
      response.status(handled ? 400 : 500).json({
        message: error instanceof Error ? error.message : String(error),
        exceptionType: handled ? 'System.AuraHandledException' : 'System.UnexpectedException'
      });
    }
  });

  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    missing: bundle.missing,
    buildMs: bundle.buildMs,
    cached: bundle.cached,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })
  };
}

/**
 * `tsx scripts/preview/server.ts [--port N] [--data-dir DIR]`: a local org with the demo firm and one forecast, and
 * the preview on it. Without --data-dir the org lives in a temporary directory, deleted on exit.
 */
async function main() {
  const { values } = parseArgs({ options: { port: { type: 'string' }, 'data-dir': { type: 'string' } } });
  const temporary = values['data-dir'] ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-preview-'));
  const org = await createLocalOrg({ projectRoot: ROOT, dataDir: path.resolve(values['data-dir'] ?? temporary!) });
  await prepareDemoOrg(org);
  const preview = await startPreview({ org, port: Number(values.port ?? 0) });
  console.log(`Local org: ${org.url}`);
  console.log(`Preview:   ${preview.url}  (${preview.cached ? 'cached build' : `built in ${preview.buildMs} ms`})`);
  if (preview.missing.length) console.log(`Not in force-app yet: ${preview.missing.join(', ')}`);
  console.log('Ctrl-C stops both.');
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void Promise.all([preview.close(), org.close()]).then(() => {
        if (temporary) fs.rmSync(temporary, { recursive: true, force: true });
        process.exit(0);
      });
    });
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
