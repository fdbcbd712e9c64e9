import * as fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLocalOrg, type LocalOrg } from '@handoff/local-org';
import { RunCoordinator } from '../run/coordinator';
import { runForecast, type RunTrigger } from '../run/runner';
import { SalesforceClient } from '../salesforce/client';
import { connect } from '../salesforce/connection';
import { createApp } from './app';

// Starts a local org and the service on loopback ports and runs real forecasts: generous, whatever the machine.
jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const SECRET = 'lifecycle-requests-test-secret-0123456789';

/**
 * The local org's twin of HandoffLifecycleEventTrigger and CapacityForecastRequest against the real service: lifecycle
 * events the automation publishes reach the service as signed POST /runs, debounced as the Apex debounces them, and a
 * request the service does not accept is a Failed run in the org.
 */
describe('lifecycle events request forecast runs', () => {
  let org: LocalOrg;
  let dataDir: string;
  let server: Server;
  let serviceUrl: string;
  const triggers: RunTrigger[] = [];
  const coordinator = new RunCoordinator(async (runKey, trigger) => {
    triggers.push(trigger);
    const client = new SalesforceClient(
      await connect({ kind: 'local', instanceUrl: org.url, accessToken: org.accessToken })
    );
    return runForecast(client, { runKey, trigger, asOf: '2026-11-23', horizonWeeks: 8, trials: 100, seed: 3 });
  });

  const deals = (count: number) =>
    org.store.write(
      Array.from({ length: count }, (_unused, index) => ({
        kind: 'insert' as const,
        object: 'Opportunity',
        values: { Name: `Deal ${index}`, StageName: 'Proposal/Price Quote', Probability: 40, CloseDate: '2026-12-31' }
      }))
    );
  const runs = () =>
    org.store
      .query('SELECT Status__c, Trigger__c, Error__c FROM Capacity_Forecast_Run__c ORDER BY CreatedDate, Run_Key__c')
      .map(({ attributes: _attributes, ...fields }) => fields);
  const settle = async () => {
    await org.events.idle();
    await org.capacityRequests!.idle();
    await coordinator.settled();
  };

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-lifecycle-requests-'));
    org = await createLocalOrg({ projectRoot: ROOT, dataDir });
    server = createApp(coordinator, { secret: SECRET, org: org.url }).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    serviceUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await org.close();
    await coordinator.settled();
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await settle();
    org.reset();
    org.capacityRequests!.sent.length = 0;
    triggers.length = 0;
    org.useCapacityService({ url: serviceUrl, secret: SECRET });
  });

  it('sends one signed request for a published event, and the service runs a Lifecycle Event forecast', async () => {
    expect(deals(1)[0]!.success).toBe(true);
    expect(org.store.publishedEvents('Handoff_Lifecycle_Event__e')).toHaveLength(1);
    await settle();

    expect(org.capacityRequests!.sent).toEqual([
      { requestId: expect.stringMatching(/^[0-9a-f-]{36}$/), eventCount: 1, status: 202 }
    ]);
    expect(triggers).toEqual(['Lifecycle Event']);
    expect(runs()).toEqual([expect.objectContaining({ Status__c: 'Completed', Trigger__c: 'Lifecycle Event' })]);
  });

  it('coalesces a burst: 250 deals saved at once make one request for the first batch of 200', async () => {
    expect(deals(250).every((result) => result.success)).toBe(true);
    expect(org.store.publishedEvents('Handoff_Lifecycle_Event__e')).toHaveLength(250);
    await settle();

    // Batches of 200 and 50; the second finds the first request still waiting, as alreadyWaiting() would.
    expect(org.capacityRequests!.sent).toEqual([expect.objectContaining({ eventCount: 200, status: 202 })]);
    expect(triggers).toEqual(['Lifecycle Event']);
  });

  it('records a Failed run when the service is down', async () => {
    const closed = await new Promise<number>((resolve) => {
      const probe = createApp(coordinator, { secret: SECRET, org: org.url }).listen(0, '127.0.0.1', () => {
        const port = (probe.address() as AddressInfo).port;
        probe.close(() => resolve(port));
      });
    });
    org.useCapacityService({ url: `http://127.0.0.1:${closed}`, secret: SECRET });
    deals(3);
    await settle();

    expect(triggers).toEqual([]);
    expect(runs()).toEqual([
      {
        Status__c: 'Failed',
        Trigger__c: 'Lifecycle Event',
        Error__c: expect.stringMatching(/^Could not request a forecast run \(3 lifecycle events\): .*ECONNREFUSED/)
      }
    ]);
  });

  it('records a Failed run with the answer when the service refuses the request (wrong secret)', async () => {
    org.useCapacityService({ url: serviceUrl, secret: 'not-the-secret-the-service-holds-0123456789' });
    deals(1);
    await settle();

    expect(triggers).toEqual([]);
    expect(org.capacityRequests!.sent).toEqual([expect.objectContaining({ status: 401 })]);
    expect(runs()).toEqual([
      {
        Status__c: 'Failed',
        Trigger__c: 'Lifecycle Event',
        Error__c:
          'Could not request a forecast run (1 lifecycle events): HTTP 401 from the capacity service: ' +
          '{"error":"unauthorized","message":"wrong X-Handoff-Signature"}'
      }
    ]);
  });

  it('delivers nothing once the named credential is cleared', async () => {
    org.useCapacityService(undefined);
    deals(1);
    await settle();
    expect(org.capacityRequests!.sent).toEqual([]);
    expect(runs()).toEqual([]);
  });
});
