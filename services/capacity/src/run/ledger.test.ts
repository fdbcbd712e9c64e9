import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLocalOrg, type LocalOrg } from '@handoff/local-org';
import { SalesforceClient } from '../salesforce/client';
import { connect } from '../salesforce/connection';
import { SalesforceError } from '../salesforce/errors';
import { OrgRequestLedger } from './ledger';

jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const RUN = 'Capacity_Forecast_Run__c';

/** The request ledger against the local org, which keeps DateTime fields to the second as the org does. */
describe('request ledger', () => {
  let org: LocalOrg;
  let dataDir: string;

  const client = async () =>
    new SalesforceClient(await connect({ kind: 'local', instanceUrl: org.url, accessToken: org.accessToken }), {
      backoffMs: 5
    });
  /** A client whose next create of a run record is saved by the org, but whose answer never arrives. */
  const losingTheNextCreate = async () => {
    const real = await client();
    let armed = true;
    const lossy = Object.create(real) as SalesforceClient;
    lossy.request = async <T>(spec: Parameters<SalesforceClient['request']>[0]): Promise<T> => {
      const lose = armed && spec.method === 'POST' && spec.url.endsWith(`/sobjects/${RUN}`);
      const answer = await real.request<T>(spec).catch((error: unknown) => error);
      if (lose) {
        armed = false;
        throw new SalesforceError(`${spec.method} ${spec.url} failed after 1 attempt(s): socket hang up`, 'ECONNRESET');
      }
      if (answer instanceof Error) throw answer;
      return answer as T;
    };
    return lossy;
  };
  const records = (runKey: string) =>
    org.store.query(`SELECT Status__c, Accept_Mark__c FROM ${RUN} WHERE Run_Key__c = '${runKey}'`);

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-ledger-'));
    org = await createLocalOrg({ projectRoot: ROOT, dataDir });
  });
  afterAll(async () => {
    await org.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(() => org.reset());

  it('recognises its own accept whose answer was lost, by its mark, so the request still runs', async () => {
    const runKey = randomUUID();
    const lossy = await losingTheNextCreate();
    const ledger = new OrgRequestLedger(async () => lossy);
    // Undefined: this accept recorded it (the coordinator starts the run), not "accepted before" (a replay).
    await expect(ledger.accept({ runKey, trigger: 'Manual' })).resolves.toBeUndefined();
    const [row] = records(runKey);
    expect(row).toMatchObject({ Status__c: 'Queued' });
    expect(String(row!.Accept_Mark__c)).toHaveLength(36);
  });

  it('takes a record another accept made for that id as accepted before, even when its own answer was lost', async () => {
    const runKey = randomUUID();
    await new OrgRequestLedger(client).accept({ runKey, trigger: 'Manual' });
    const lossy = await losingTheNextCreate();
    const replay = await new OrgRequestLedger(async () => lossy).accept({ runKey, trigger: 'Manual' });
    expect(replay).toMatchObject({ runKey, status: 'Queued', trigger: 'Manual' });
    expect(records(runKey)).toHaveLength(1);
  });

  it('keeps DateTime values to the second, as the org does (why the accept is not recognised by its time)', async () => {
    const runKey = randomUUID();
    const ledger = await client();
    await ledger.request({
      method: 'POST',
      url: `/services/data/v${ledger.version}/sobjects/${RUN}`,
      body: { Run_Key__c: runKey, Status__c: 'Queued', Heartbeat_At__c: '2026-12-03T09:10:11.987Z' },
      idempotent: false
    });
    const [row] = org.store.query(`SELECT Heartbeat_At__c FROM ${RUN} WHERE Run_Key__c = '${runKey}'`);
    expect(Date.parse(String(row!.Heartbeat_At__c))).toBe(Date.parse('2026-12-03T09:10:11.000Z'));
  });
});
