import * as path from 'node:path';
import { startTestOrg, type TestOrg } from '../testing/test-org';
import { applyAlerts } from './alerts';
import { automationOf, type Automation } from './install';

// Starts a local org on a loopback port: a generous timeout, whatever else the machine runs.
jest.setTimeout(60_000);

const PROJECT_ROOT = path.resolve(__dirname, '../../../..');

describe('alerts: the forecast run trigger twin, over the REST API', () => {
  let testOrg: TestOrg;
  let automation: Automation;

  const writeRun = async (values: Record<string, unknown>) => {
    const response = await testOrg.api('/sobjects/Capacity_Forecast_Run__c', {
      method: 'POST',
      body: JSON.stringify({ Run_Key__c: `run-${Math.random().toString(36).slice(2)}`, ...values })
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  };
  const alerts = async () => {
    const soql = 'SELECT Incident_Key__c, Status__c, Occurrences__c, Detail__c, Notified_At__c FROM Handoff_Alert__c';
    const response = await testOrg.api(`/query?q=${encodeURIComponent(soql)}`);
    return ((await response.json()) as { records: Record<string, unknown>[] }).records;
  };

  beforeAll(async () => {
    testOrg = await startTestOrg({ projectRoot: PROJECT_ROOT });
    automation = automationOf(testOrg.org.store)!;
  });
  afterAll(async () => {
    await testOrg.close();
  });
  beforeEach(() => {
    testOrg.org.reset();
    automation.alertNotifications.splice(0);
  });

  it('a failed forecast run twice is one alert and one notification; resolved, the next failure notifies again', async () => {
    await writeRun({ Status__c: 'Failed', Error__c: 'INVALID_SESSION_ID: Session expired' });
    await writeRun({ Status__c: 'Failed', Error__c: 'REQUEST_LIMIT_EXCEEDED' });

    expect(await alerts()).toEqual([
      expect.objectContaining({ Incident_Key__c: 'RUN_FAILED', Status__c: 'Open', Occurrences__c: 2 })
    ]);
    expect((await alerts())[0]!.Detail__c).toContain('REQUEST_LIMIT_EXCEEDED');
    expect((await alerts())[0]!.Notified_At__c).toEqual(expect.any(String));
    expect(automation.alertNotifications).toHaveLength(1);
    expect(automation.alertNotifications[0]).toMatchObject({
      keys: ['RUN_FAILED'],
      group: 'Handoff_Delivery_Managers',
      title: 'Handoff alert: a capacity forecast run failed'
    });

    await writeRun({ Status__c: 'Completed' });
    expect((await alerts())[0]).toMatchObject({ Status__c: 'Resolved' });
    expect(automation.alertNotifications).toHaveLength(1);

    await writeRun({ Status__c: 'Failed', Error__c: 'UNABLE_TO_LOCK_ROW' });
    expect((await alerts())[0]).toMatchObject({ Status__c: 'Open', Occurrences__c: 1 });
    expect(automation.alertNotifications).toHaveLength(2);
  });

  it('a run updated to Failed raises; a heartbeat on a failed run does not count again', async () => {
    const id = await writeRun({ Status__c: 'Running' });
    expect(await alerts()).toEqual([]);
    const patch = (values: Record<string, unknown>) =>
      testOrg.api(`/sobjects/Capacity_Forecast_Run__c/${id}`, { method: 'PATCH', body: JSON.stringify(values) });
    expect((await patch({ Status__c: 'Failed', Error__c: 'boom' })).status).toBe(204);
    expect((await patch({ Heartbeat_At__c: '2026-12-03T10:00:00.000Z' })).status).toBe(204);
    expect(await alerts()).toEqual([expect.objectContaining({ Incident_Key__c: 'RUN_FAILED', Occurrences__c: 1 })]);
    expect(automation.alertNotifications).toHaveLength(1);
  });

  it('applyAlerts resolves only open incidents and keeps a key both raised and resolved open', () => {
    const store = testOrg.org.store;
    const now = '2026-12-03T10:00:00.000Z';
    expect(applyAlerts(store, [], ['FORECAST_STALE'], now)).toEqual({ opened: [], repeated: [], resolved: [] });
    const opened = applyAlerts(store, [{ kind: 'FORECAST_STALE', detail: 'stale' }], ['FORECAST_STALE'], now);
    expect(opened.opened).toHaveLength(1);
    expect(applyAlerts(store, [], ['FORECAST_STALE'], now).resolved).toEqual(opened.opened);
  });
});
