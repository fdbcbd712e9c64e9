import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLocalOrg, type LocalOrg } from '@handoff/local-org';
import { SalesforceClient } from '../salesforce/client';
import { connect } from '../salesforce/connection';
import { OPERATIONS_QUEUE, OutboxConsumer, type ConsumerOptions } from './consumer';
import { startReceiver, type Receiver } from './receiver';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

interface StoredMessage {
  Id: string;
  Idempotency_Key__c: string;
  Status__c: string;
  Attempts__c: number;
  Last_Error__c: string | null;
  Next_Attempt_At__c: string | null;
  Delivered_At__c: string | null;
  OwnerId: string;
}

/**
 * The reference consumer against the local org and the reference receiver, with faults injected on both sides:
 * whatever fails, every message ends Delivered (or Dead Letter when it runs out of attempts), and the receiver
 * applies each key exactly once.
 */
describe('OutboxConsumer against the local org', () => {
  let org: LocalOrg;
  let dataDir: string;
  let receiver: Receiver;
  let sf: SalesforceClient;
  let clock: number;
  const now = () => new Date(clock);

  const consumer = (options: Partial<ConsumerOptions> = {}) =>
    new OutboxConsumer(sf, {
      endpoint: receiver.url,
      now,
      leaseMs: 60_000,
      backoffMs: 10_000,
      timeoutMs: 1_000,
      ...options
    });

  async function enqueue(count: number, prefix: string, maxAttempts = 8): Promise<string[]> {
    const keys = Array.from({ length: count }, (_, i) => `${prefix}:${i}`);
    for (let start = 0; start < keys.length; start += 200) {
      const results = await sf.request<{ success: boolean; errors: unknown[] }[]>({
        method: 'POST',
        url: '/composite/sobjects',
        body: {
          allOrNone: true,
          records: keys.slice(start, start + 200).map((key, i) => ({
            attributes: { type: 'Integration_Message__c' },
            Idempotency_Key__c: key,
            Topic__c: 'Engagement Lifecycle',
            Payload_Version__c: 1,
            Payload__c: JSON.stringify({ eventType: 'Won', sequence: start + i }),
            Status__c: 'Pending',
            Attempts__c: 0,
            Max_Attempts__c: maxAttempts,
            Next_Attempt_At__c: new Date(clock).toISOString()
          }))
        },
        idempotent: false
      });
      expect(results.every((result) => result.success)).toBe(true);
    }
    return keys;
  }

  async function stored(prefix: string): Promise<StoredMessage[]> {
    const soql =
      'SELECT Id, Idempotency_Key__c, Status__c, Attempts__c, Last_Error__c, Next_Attempt_At__c, Delivered_At__c,' +
      ` OwnerId FROM Integration_Message__c WHERE Idempotency_Key__c LIKE '${prefix}:%' ORDER BY Name`;
    const page = await sf.request<{ records: StoredMessage[] }>({
      method: 'GET',
      url: `/query?q=${encodeURIComponent(soql)}`,
      idempotent: true
    });
    return page.records;
  }

  const appliedKeys = (prefix: string) => receiver.applied.map((a) => a.key).filter((k) => k.startsWith(`${prefix}:`));

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-outbox-'));
    org = await createLocalOrg({ projectRoot: ROOT, dataDir });
    sf = new SalesforceClient(await connect({ kind: 'local', instanceUrl: org.url, accessToken: org.accessToken }), {
      sleep: async () => undefined
    });
  });
  afterAll(async () => {
    await receiver?.close();
    await org.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    clock = Date.parse('2026-03-02T09:00:00Z');
    org.faults.clear();
    await receiver?.close();
    receiver = await startReceiver();
  });

  it('delivers each due message once with its Idempotency-Key and marks it Delivered', async () => {
    const keys = await enqueue(120, 'plain');
    const report = await consumer({ batchSize: 50 }).drain();
    expect(report).toMatchObject({ claimed: 120, delivered: 120, failed: 0, deadLettered: 0 });
    expect(appliedKeys('plain').sort()).toEqual([...keys].sort());
    expect(receiver.duplicates).toBe(0);
    const rows = await stored('plain');
    expect(rows.map((row) => row.Status__c)).toEqual(keys.map(() => 'Delivered'));
    expect(rows.every((row) => row.Attempts__c === 1 && row.Delivered_At__c && row.Last_Error__c === null)).toBe(true);
    // A second pass finds nothing due.
    expect(await consumer().drain()).toMatchObject({ claimed: 0 });
  });

  it('retries after endpoint 500s with backoff, then delivers; nothing applied twice', async () => {
    const keys = await enqueue(10, 'http500');
    receiver.faults.fail = 10;
    const first = await consumer().round();
    expect(first).toMatchObject({ claimed: 10, delivered: 0, failed: 10 });
    const failed = await stored('http500');
    expect(failed.every((row) => row.Status__c === 'Failed' && row.Attempts__c === 1)).toBe(true);
    expect(failed[0]!.Last_Error__c).toMatch(/attempt 1: HTTP 500/);
    // Backed off: not due until 10 s later.
    expect(Date.parse(failed[0]!.Next_Attempt_At__c!)).toBe(clock + 10_000);
    expect(await consumer().round()).toMatchObject({ claimed: 0 });
    clock += 10_000;
    expect(await consumer().drain()).toMatchObject({ delivered: 10 });
    expect(appliedKeys('http500').sort()).toEqual([...keys].sort());
    expect((await stored('http500')).every((row) => row.Status__c === 'Delivered' && row.Attempts__c === 2)).toBe(true);
  });

  it('counts a timeout as a failed attempt and delivers on the retry', async () => {
    await enqueue(3, 'timeout');
    receiver.faults.hang = 3;
    expect(await consumer({ timeoutMs: 300 }).round()).toMatchObject({ failed: 3 });
    expect((await stored('timeout'))[0]!.Last_Error__c).toMatch(/no complete answer within 300 ms/);
    clock += 10_000;
    expect(await consumer().drain()).toMatchObject({ delivered: 3 });
    expect(appliedKeys('timeout')).toHaveLength(3);
  });

  it('a connection dropped mid-response after the receiver applied is retried, and applied once', async () => {
    const keys = await enqueue(4, 'drop');
    receiver.faults.dropMidResponse = 4;
    expect(await consumer().round()).toMatchObject({ failed: 4, delivered: 0 });
    expect(appliedKeys('drop')).toHaveLength(4); // applied, but the consumer never saw the answer
    clock += 10_000;
    receiver.faults.failAfterApply = 2; // and two more answers lost after applying
    await consumer().drain();
    clock += 20_000;
    await consumer().drain();
    expect((await stored('drop')).every((row) => row.Status__c === 'Delivered')).toBe(true);
    expect(appliedKeys('drop').sort()).toEqual([...keys].sort());
    expect(receiver.duplicates).toBe(6);
  });

  it('a consumer that dies between POST and mark: redelivered after its lease, applied once', async () => {
    const keys = await enqueue(25, 'crash');
    const crashing = consumer({
      beforeMark: () => {
        throw new Error('consumer process killed');
      }
    });
    await expect(crashing.round()).rejects.toThrow('consumer process killed');
    expect(appliedKeys('crash')).toHaveLength(25);
    expect((await stored('crash')).every((row) => row.Status__c === 'Pending')).toBe(true);
    // Within the lease nobody takes them; after it, another consumer does.
    clock += 30_000;
    expect(await consumer().round()).toMatchObject({ claimed: 0 });
    clock += 30_000;
    expect(await consumer().drain()).toMatchObject({ delivered: 25 });
    expect(appliedKeys('crash').sort()).toEqual([...keys].sort());
    expect(receiver.duplicates).toBe(25);
    expect((await stored('crash')).every((row) => row.Status__c === 'Delivered')).toBe(true);
  });

  it('two consumers at once: every message delivered, each applied exactly once', async () => {
    const keys = await enqueue(150, 'pair');
    receiver.faults.fail = 7;
    receiver.faults.dropMidResponse = 3;
    const [a, b] = [consumer({ batchSize: 20, concurrency: 3 }), consumer({ batchSize: 20, concurrency: 3 })];
    await Promise.all([a.drain(), b.drain()]);
    clock += 10_000;
    await Promise.all([a.drain(), b.drain()]);
    const rows = await stored('pair');
    expect(rows.filter((row) => row.Status__c !== 'Delivered')).toEqual([]);
    expect(appliedKeys('pair').sort()).toEqual([...keys].sort());
    expect(new Set(appliedKeys('pair')).size).toBe(150);
  });

  it('Salesforce faults while claiming and marking are retried; nothing is lost', async () => {
    const keys = await enqueue(30, 'orgfault');
    org.faults.set({ failNext: { count: 2, status: 503, match: { method: 'PATCH', path: '/composite/sobjects' } } });
    expect(await consumer().drain()).toMatchObject({ delivered: 30 });
    org.faults.clear();
    expect(appliedKeys('orgfault').sort()).toEqual([...keys].sort());
    expect((await stored('orgfault')).every((row) => row.Status__c === 'Delivered')).toBe(true);
  });

  it('moves a message to Dead Letter, owned by the operations queue, when its attempts run out', async () => {
    await enqueue(2, 'dead', 3);
    receiver.faults.fail = 100;
    const worker = consumer();
    for (let attempt = 0; attempt < 3; attempt++) {
      await worker.drain();
      clock += 60_000;
    }
    const queueId = await worker.operationsQueue();
    const queue = org.store.query(`SELECT DeveloperName, Type FROM Group WHERE Id = '${queueId}'`)[0];
    expect(queue).toMatchObject({ DeveloperName: OPERATIONS_QUEUE, Type: 'Queue' });
    const rows = await stored('dead');
    expect(rows.map((row) => [row.Status__c, row.Attempts__c, row.OwnerId])).toEqual([
      ['Dead Letter', 3, queueId],
      ['Dead Letter', 3, queueId]
    ]);
    expect(rows[0]!.Last_Error__c).toMatch(/attempt 3: HTTP 500/);
    expect(appliedKeys('dead')).toEqual([]);
    // Nothing dead is claimed again.
    expect(await worker.drain()).toMatchObject({ claimed: 0 });
  });

  it('sends a message the endpoint refuses (4xx) straight to Dead Letter instead of retrying it', async () => {
    await enqueue(1, 'refused');
    const strict = await startReceiver({ versions: () => false });
    await consumer({ endpoint: strict.url }).drain();
    await strict.close();
    const [row] = await stored('refused');
    expect(row).toMatchObject({ Status__c: 'Dead Letter', Attempts__c: 1 });
    expect(row!.Last_Error__c).toMatch(/HTTP 422/);
  });
});
