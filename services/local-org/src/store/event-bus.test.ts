import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLocalOrg, type LocalOrg } from '../local-org';
import type { DeliveredEvent } from './event-bus';

// Starts a local org on a loopback port.
jest.setTimeout(60_000);

const PROJECT_ROOT = path.resolve(__dirname, '../../../..');
const EVENT = 'Handoff_Lifecycle_Event__e';

describe('platform event delivery', () => {
  let org: LocalOrg;
  let dataDir: string;
  let batches: DeliveredEvent[][];
  let unsubscribe: () => void;

  const publish = (count: number, options: { allOrNone?: boolean; failLast?: boolean } = {}) =>
    org.store.write(
      [
        ...Array.from({ length: count }, (_unused, index) => ({
          kind: 'insert' as const,
          object: EVENT,
          values: { Event_Type__c: 'ValueChanged', Opportunity_Id__c: `deal-${index}` }
        })),
        ...(options.failLast
          ? [{ kind: 'insert' as const, object: 'Account', values: { Name: null } as Record<string, unknown> }]
          : [])
      ],
      { allOrNone: options.allOrNone }
    );

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-event-bus-'));
    org = await createLocalOrg({ projectRoot: PROJECT_ROOT, dataDir });
  });
  afterAll(async () => {
    await org.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    batches = [];
    unsubscribe = org.events.subscribe(EVENT, (events) => {
      batches.push(events);
    });
  });
  afterEach(() => unsubscribe());

  it('delivers after the commit, not during the save, in publication order and batches of 200', async () => {
    publish(450);
    expect(batches).toEqual([]);
    await org.events.idle();

    expect(batches.map((batch) => batch.length)).toEqual([200, 200, 50]);
    const delivered = batches.flat();
    expect(delivered.map((event) => event.payload.Opportunity_Id__c)).toEqual(
      Array.from({ length: 450 }, (_unused, index) => `deal-${index}`)
    );
    expect(delivered.map((event) => event.id)).toEqual(
      org.store
        .publishedEvents(EVENT)
        .slice(-450)
        .map((event) => event.id)
    );
    const replayIds = delivered.map((event) => event.replayId);
    expect(replayIds).toEqual([...replayIds].sort((a, b) => a - b));
  });

  it('delivers nothing a rolled-back save published', async () => {
    const results = publish(3, { allOrNone: true, failLast: true });
    expect(results.at(-1)!.success).toBe(false);
    await org.events.idle();
    expect(batches).toEqual([]);
  });

  it('honours a smaller batch size and keeps delivering after a handler fails', async () => {
    const small: number[] = [];
    const stop = org.events.subscribe(
      EVENT,
      (events) => {
        small.push(events.length);
        if (small.length === 1) throw new Error('trigger failed');
      },
      { batchSize: 2 }
    );
    publish(5);
    await org.events.idle();
    stop();
    expect(small).toEqual([2, 2, 1]);
    expect(org.events.failures.at(-1)).toEqual({ object: EVENT, events: 2, message: 'trigger failed' });
  });

  it('refuses a batch size the platform does not allow', () => {
    expect(() => org.events.subscribe(EVENT, () => undefined, { batchSize: 2001 })).toThrow(/1 to 2000/);
  });
});
