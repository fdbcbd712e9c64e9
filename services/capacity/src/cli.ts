import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { SalesforceClient } from './salesforce/client';
import { connect, type Target } from './salesforce/connection';
import { runForecast } from './run/runner';
import { formatSummary, formatWrites } from './run/summary';

const HELP = `npm run forecast -- [options]

Runs one capacity forecast and writes it to the org.

  --target-org <alias>    a scratch org or sandbox the sf CLI is logged in to
  --jwt                   production: JWT bearer flow (HANDOFF_LOGIN_URL, HANDOFF_CLIENT_ID,
                          HANDOFF_USERNAME, HANDOFF_PRIVATE_KEY_FILE)
                          default: the local org started by npm start (.handoff/local-org.json)
  --trials <n>            Monte Carlo trials (default 2000)
  --horizon <weeks>       1-104 (default 26)
  --as-of <YYYY-MM-DD>    forecast date (default today)
  --resume-bulk-job <id>  poll this Bulk 2.0 job instead of submitting the forecast rows again
  --probability <source>  entered | calibrated: which win probability weights pipeline demand
                          (default: Probability_Source__c of the Default Handoff Setting)
  --calibration-window <months>
                          closed deals of this many months calibrate probabilities and slip (default 24)
`;

export function targetFrom(values: { 'target-org'?: string; jwt?: boolean }, root: string): Target {
  if (values['target-org']) return { kind: 'alias', alias: values['target-org'] };
  if (values.jwt) {
    const env = (name: string) => {
      const value = process.env[name];
      if (!value) throw new Error(`--jwt needs ${name}`);
      return value;
    };
    return {
      kind: 'jwt',
      loginUrl: process.env.HANDOFF_LOGIN_URL ?? 'https://login.salesforce.com',
      clientId: env('HANDOFF_CLIENT_ID'),
      username: env('HANDOFF_USERNAME'),
      privateKeyFile: env('HANDOFF_PRIVATE_KEY_FILE')
    };
  }
  const file = path.join(root, '.handoff', 'local-org.json');
  if (!fs.existsSync(file))
    throw new Error('no local org is running: start one with `npm start`, or pass --target-org');
  const { url, accessToken, refreshToken } = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    url: string;
    accessToken: string;
    refreshToken?: string;
  };
  // With the refresh token, a session that expired since npm start wrote the file is renewed, not a failed run.
  return { kind: 'local', instanceUrl: url, accessToken, refreshToken };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'target-org': { type: 'string' },
      jwt: { type: 'boolean' },
      trials: { type: 'string' },
      horizon: { type: 'string' },
      'as-of': { type: 'string' },
      'resume-bulk-job': { type: 'string' },
      probability: { type: 'string' },
      'calibration-window': { type: 'string' },
      help: { type: 'boolean' }
    }
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const probability = values.probability?.toLowerCase();
  if (probability !== undefined && probability !== 'entered' && probability !== 'calibrated') {
    console.error(`--probability must be entered or calibrated, not "${values.probability}"`);
    return 2;
  }
  const window = values['calibration-window'] === undefined ? undefined : Number(values['calibration-window']);
  if (window !== undefined && !(Number.isInteger(window) && window >= 1 && window <= 120)) {
    console.error(
      `--calibration-window must be a whole number of months from 1 to 120, not "${values['calibration-window']}"`
    );
    return 2;
  }
  const root = path.resolve(__dirname, '..', '..', '..');
  const client = new SalesforceClient(await connect(targetFrom(values, root)));
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`.padStart(7);
  const outcome = await runForecast(client, {
    trigger: 'CLI',
    trials: values.trials ? Number(values.trials) : undefined,
    horizonWeeks: values.horizon ? Number(values.horizon) : undefined,
    asOf: values['as-of'],
    resumeBulkJobId: values['resume-bulk-job'],
    probabilitySource: probability,
    calibrationWindowMonths: window,
    onProgress: (stage, detail) => console.log(`${elapsed()}  ${stage.padEnd(8)} ${detail ?? ''}`)
  });
  console.log(
    `\n${outcome.runName ?? `run ${outcome.runKey}`}: ${outcome.status} in ${outcome.durationMs} ms; read ${outcome.rowsRead} rows, ${formatWrites(outcome)}; ${outcome.apiCalls} API calls, ${outcome.retries} retries`
  );
  if (outcome.summary) for (const line of formatSummary(outcome.summary, outcome.runName)) console.log(line);
  if (outcome.error) console.error(`\n${outcome.error.errorCode}: ${outcome.error.message}`);
  return outcome.status === 'Completed' ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error((error as Error).message);
      process.exit(2);
    }
  );
}
