import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { automationOf, createLocalOrg, type LocalOrg } from '@handoff/local-org';
import { SalesforceClient } from '../salesforce/client';
import { connect } from '../salesforce/connection';
import { runForecast, type RunOptions } from './runner';

jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const AS_OF = '2026-11-23';

/**
 * Runs against the local org with opportunity history: four deals that entered Prospecting at 10% in March 2026,
 * three won (each closing two weeks after the close date entered then), one lost; and an open Prospecting deal
 * entered at 50% with 400 developer hours over the weeks of 11-30 and 12-07.
 */
describe('forecast runs calibrated from opportunity history', () => {
  let org: LocalOrg;
  let dataDir: string;

  const run = async (extra: Partial<RunOptions> = {}) => {
    const connection = await connect({ kind: 'local', instanceUrl: org.url, accessToken: org.accessToken });
    return runForecast(new SalesforceClient(connection, { backoffMs: 5 }), {
      trigger: 'Manual',
      asOf: AS_OF,
      horizonWeeks: 6,
      trials: 400,
      seed: 9,
      ...extra
    });
  };
  const developerWeek = (monday: string) =>
    org.store.query(
      `SELECT Weighted_Hours__c, Weighted_Entered_Hours__c, Weighted_Calibrated_Hours__c, P90_Hours__c FROM Capacity_Forecast__c WHERE Dimension__c = 'Role' AND Name__c = 'Developer' AND Week_Start__c = ${monday} ORDER BY LastModifiedDate DESC LIMIT 1`
    )[0];

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-calibration-'));
    org = await createLocalOrg({ projectRoot: ROOT, dataDir });
    org.reset();
    // The history is loaded as a migration would: automation off, each save at its past moment.
    const automation = automationOf(org.store)!;
    automation.bypassed = true;
    const opened = new Date('2026-03-02T10:00:00.000Z');
    const closed = new Date('2026-04-13T10:00:00.000Z');
    const past = org.store.seed(
      'Opportunity',
      ['H1', 'H2', 'H3', 'H4'].map((Name) => ({
        Name,
        StageName: 'Prospecting',
        Probability: 10,
        CloseDate: '2026-04-01'
      })),
      { system: true, now: opened }
    );
    org.store.write(
      past.map((id, index) => ({
        kind: 'update' as const,
        object: 'Opportunity',
        id,
        values:
          index < 3
            ? { StageName: 'Closed Won', CloseDate: '2026-04-15' }
            : { StageName: 'Closed Lost', CloseDate: '2026-04-13' }
      })),
      { system: true, now: closed }
    );
    automation.bypassed = false;

    org.store.seed('Resource__c', [
      ...['Ada', 'Brian', 'Chen', 'Dana'].map((Name) => ({
        Name,
        Primary_Role__c: 'Developer',
        Weekly_Capacity_Hours__c: 40
      }))
    ]);
    const [deal] = org.store.seed('Opportunity', [
      { Name: 'Maybe rollout', StageName: 'Prospecting', Probability: 50, CloseDate: '2026-11-20' }
    ]);
    const [pipeline] = org.store.seed('Engagement__c', [
      {
        Name: 'Maybe rollout',
        Status__c: 'Pipeline',
        Opportunity_Key__c: deal,
        Win_Probability__c: 50,
        Expected_Start__c: '2026-11-30'
      }
    ]);
    org.store.seed('Resource_Demand__c', [
      {
        Engagement__c: pipeline,
        Role__c: 'Developer',
        Total_Hours__c: 400,
        Start_Date__c: '2026-11-30',
        End_Date__c: '2026-12-11',
        Status__c: 'Open',
        Probability__c: 50
      }
    ]);
  });
  afterAll(async () => {
    await org.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('weights by the calibrated probability the Default setting chooses, and writes both weighted values', async () => {
    const outcome = await run();
    expect(outcome.status).toBe('Completed');
    // Prospecting: 3 of 4 won; the Default setting's prior weight 10 shrinks toward the entered 50%:
    // (3 + 10 x 0.5) / (4 + 10) = 0.571429; 200 h a week x 0.571429 = 114.29 h, entered 200 x 0.5 = 100 h.
    expect(developerWeek('2026-11-30')).toMatchObject({
      Weighted_Hours__c: 114.29,
      Weighted_Entered_Hours__c: 100,
      Weighted_Calibrated_Hours__c: 114.29
    });
    // The three won deals closed two weeks after the date entered: every won trial starts the deal two weeks late,
    // so P90 demand sits in the weeks of 12-14 and 12-21, none in 11-30.
    expect(developerWeek('2026-11-30')!.P90_Hours__c).toBe(0);
    expect(developerWeek('2026-12-14')!.P90_Hours__c).toBe(200);

    const calibration = outcome.summary!.calibration!;
    expect(calibration).toMatchObject({ probabilitySource: 'calibrated', deals: 4, won: 3, priorWeight: 10 });
    // Entered: 3 x (0.1 - 1)² + 0.1² = 2.44, over 4 = 0.61. Calibrated, leave-one-out: a won deal from the other 2
    // of 3, (2 + 10 x 0.1) / 13 = 0.2308, error 0.5917; the lost one from 3 of 3, (3 + 1) / 13 = 0.3077, error
    // 0.0947; (3 x 0.5917 + 0.0947) / 4 = 0.467.
    expect(calibration.brier).toEqual({ entered: 0.61, calibrated: 0.467, observations: 4 });
    expect(calibration.slip).toEqual([
      expect.objectContaining({ stage: 'Prospecting', count: 3, p50Weeks: 2, lateShare: 1 }),
      expect.objectContaining({ stage: 'all', count: 3, meanWeeks: 2 })
    ]);
    const [record] = org.store.query(
      `SELECT Summary__c FROM Capacity_Forecast_Run__c WHERE Run_Key__c = '${outcome.runKey}'`
    );
    expect(JSON.parse(String(record!.Summary__c)).calibration).toMatchObject({ deals: 4, won: 3 });
  });

  it('weights by the entered probability when the run asks for it', async () => {
    const outcome = await run({ probabilitySource: 'entered' });
    expect(outcome.summary!.calibration!.probabilitySource).toBe('entered');
    expect(developerWeek('2026-11-30')).toMatchObject({
      Weighted_Hours__c: 100,
      Weighted_Entered_Hours__c: 100,
      Weighted_Calibrated_Hours__c: 114.29
    });
  });
});
