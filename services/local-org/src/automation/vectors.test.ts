import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLocalOrg, type LocalOrg } from '../local-org';
import { automationOf } from './install';
import { readVectors, runVectorCase, storeDriver, VECTORS_FILE, type VectorOrg } from './vectors';

// Starts a local org on a loopback port: a generous timeout, whatever else the machine runs.
jest.setTimeout(60_000);

const PROJECT_ROOT = path.resolve(__dirname, '../../../..');
// HANDOFF_VECTORS points the test at another copy of the file (e.g. one with a planted wrong expectation).
const document = readVectors(process.env.HANDOFF_VECTORS ?? VECTORS_FILE);

describe('lifecycle vectors: every case through the store API', () => {
  let org: LocalOrg;
  let dataDir: string;
  let vectorOrg: VectorOrg;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-vectors-'));
    org = await createLocalOrg({ projectRoot: PROJECT_ROOT, dataDir });
    vectorOrg = { driver: storeDriver(org.store), store: org.store, userId: org.userId };
  });
  afterAll(async () => {
    await org.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    org.reset();
    automationOf(org.store)!.useRules(document.rules);
  });

  it('has cases', () => {
    expect(document.cases.length).toBeGreaterThanOrEqual(10);
  });

  it.each(document.cases.map((vector, index) => [index + 1, vector.name, vector] as const))(
    'case %i: %s',
    async (_index, _name, vector) => {
      expect(await runVectorCase(vectorOrg, document, vector)).toEqual([]);
    }
  );

  it('reports a case whose expectation is wrong', async () => {
    const vector = structuredClone(document.cases.find((candidate) => candidate.expect.phases?.length)!);
    vector.expect.phases![0]!.Hours__c = 1;
    vector.expect.events = [...vector.expect.events!].reverse();
    const mismatches = await runVectorCase(vectorOrg, document, vector);
    expect(mismatches).toEqual([
      expect.stringMatching(/phases .*: Hours__c expected 1 but was \d+/),
      expect.stringMatching(/lifecycle events in order/)
    ]);
  });

  it('reports a re-planned billed milestone, a missing billing message, a lost conflict and a write that should fail', async () => {
    const vector = structuredClone(
      document.cases.find((candidate) => candidate.name.startsWith('time and materials'))!
    );
    vector.expect.milestones![0]!.Amount__c = 12000;
    vector.expect.billingMessages!.push({ opportunity: 'deal', milestone: '02' });
    vector.expect.audits![1]!.Change_Type__c = 'Conflict';
    vector.steps.find((step) => step.error?.startsWith('Paid_Date__c'))!.fields = { Invoice_Status__c: 'Sent' };
    const mismatches = await runVectorCase(vectorOrg, document, vector);
    expect(mismatches).toEqual([
      expect.stringMatching(
        /erpWriteback expected to fail with "Paid_Date__c needs Invoice_Number__c" but it succeeded/
      ),
      expect.stringMatching(/milestone .*:01: Amount__c expected 12000 but was 10000/),
      expect.stringMatching(/billing messages: expected 2 but were 1/),
      expect.stringMatching(/billing messages: billing-ready:.*:02 exists/),
      expect.stringMatching(/audit 1: Change_Type__c expected "Conflict" but was "Billing"/)
    ]);
  });

  it('reports a booking that was not flagged, and one that should have been released', async () => {
    const vector = structuredClone(document.cases.find((candidate) => candidate.name.startsWith('won then lost'))!);
    vector.expect.assignments = [
      { ...vector.expect.assignments![0]!, Needs_Review__c: false },
      { assignment: 'soft', Booking_Type__c: 'Soft' }
    ];
    const mismatches = await runVectorCase(vectorOrg, document, vector);
    expect(mismatches).toEqual([
      expect.stringMatching(/bookings: number of rows expected 2 but was 1/),
      expect.stringMatching(/bookings hard: Needs_Review__c expected false but was true/),
      expect.stringMatching(/bookings: soft exists/),
      expect.stringMatching(/bookings soft: Booking_Type__c expected "Soft" but was undefined/)
    ]);
  });
});
