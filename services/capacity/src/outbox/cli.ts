import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { targetFrom } from '../cli';
import { SalesforceClient } from '../salesforce/client';
import { connect } from '../salesforce/connection';
import { OutboxConsumer } from './consumer';
import { startReceiver } from './receiver';

const HELP = `npm run outbox -- [options]

Delivers the integration outbox (Integration_Message__c) to an HTTP endpoint: claims Pending and Failed messages
that are due, POSTs each with its Idempotency-Key header, marks them Delivered, or Failed (retried with backoff),
or Dead Letter (owned by the Handoff Integration Operations queue) when their attempts run out.

  --endpoint <url>        where messages are POSTed (required unless --receive)
  --receive <port>        run the reference receiving endpoint on 127.0.0.1:<port> instead (de-duplicates by key);
                          with --endpoint omitted, --receive 0 --deliver delivers to it in the same process
  --deliver               with --receive: also run the consumer against that receiver
  --watch <seconds>       keep polling every <seconds> (default: drain what is due once, then exit)
  --batch <n>             messages claimed per round (default 50, at most 200)
  --lease <seconds>       how long a claim holds a message from other consumers (default 60)
  --backoff <seconds>     wait after a first failed attempt, doubled for each further one (default 30)
  --timeout <seconds>     one POST without a complete answer after this long fails (default 10)
  --target-org <alias>    a scratch org or sandbox the sf CLI is logged in to
  --jwt                   production: JWT bearer flow (HANDOFF_LOGIN_URL, HANDOFF_CLIENT_ID,
                          HANDOFF_USERNAME, HANDOFF_PRIVATE_KEY_FILE)
                          default: the local org started by npm start (.handoff/local-org.json)
`;

const seconds = (value: string | undefined, name: string, fallback: number): number => {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`--${name} must be a positive number, not "${value}"`);
  return parsed * 1000;
};

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      endpoint: { type: 'string' },
      receive: { type: 'string' },
      deliver: { type: 'boolean' },
      watch: { type: 'string' },
      batch: { type: 'string' },
      lease: { type: 'string' },
      backoff: { type: 'string' },
      timeout: { type: 'string' },
      'target-org': { type: 'string' },
      jwt: { type: 'boolean' },
      help: { type: 'boolean' }
    }
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  let endpoint = values.endpoint;
  if (values.receive !== undefined) {
    const receiver = await startReceiver({
      port: Number(values.receive),
      onApply: (applied) =>
        console.log(`applied ${applied.message} ${applied.topic} v${applied.payloadVersion} ${applied.key}`)
    });
    console.log(`reference receiver listening on ${receiver.url}`);
    if (!values.deliver) return new Promise<number>(() => undefined); // serves until Ctrl-C
    endpoint ??= receiver.url;
  }
  if (!endpoint) {
    console.error('--endpoint is required (or --receive <port> to run the reference receiver)');
    return 2;
  }
  const root = path.resolve(__dirname, '..', '..', '..', '..');
  const client = new SalesforceClient(await connect(targetFrom(values, root)));
  const consumer = new OutboxConsumer(client, {
    endpoint,
    batchSize: values.batch ? Number(values.batch) : undefined,
    leaseMs: seconds(values.lease, 'lease', 60_000),
    backoffMs: seconds(values.backoff, 'backoff', 30_000),
    timeoutMs: seconds(values.timeout, 'timeout', 10_000)
  });
  const watchMs = values.watch === undefined ? undefined : seconds(values.watch, 'watch', 10_000);
  for (;;) {
    const report = await consumer.drain();
    console.log(
      `${new Date().toISOString()} claimed ${report.claimed}, delivered ${report.delivered}, failed ${report.failed}, dead-lettered ${report.deadLettered}; ${client.apiCalls} API calls`
    );
    if (watchMs === undefined) return 0;
    await new Promise((resolve) => setTimeout(resolve, watchMs));
  }
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
