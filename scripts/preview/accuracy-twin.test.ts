import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLocalOrg, type LocalOrg } from '@handoff/local-org';
import { APEX_METHODS } from './adapters';

jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, '..', '..');

interface Accuracy {
  rows: { role: string | null; leadWeeks: number; weightedBias: number; weightedErrorPct: number | null }[];
  roles: string[];
  weeksOfRuns: number;
  firstSnapshotWeek: string | null;
  minimumWeeksOfRuns: number;
  calibration: null | {
    probabilitySource: string;
    brierCalibrated: number;
    reliability: { bucket: string; enteredCount: number; calibratedObserved: number | null }[];
  };
}

/** The ForecastAccuracyController twin on the records the capacity service writes. */
describe('ForecastAccuracyController.getAccuracy twin', () => {
  let org: LocalOrg;
  let dataDir: string;
  const getAccuracy = () => APEX_METHODS.get('ForecastAccuracyController.getAccuracy')!(org, {}) as Accuracy;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-accuracy-twin-'));
    org = await createLocalOrg({ projectRoot: ROOT, dataDir });
  });
  beforeEach(() => org.reset());
  afterAll(async () => {
    await org.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('says how many weeks of runs there are before any accuracy', () => {
    org.store.seed('Forecast_Snapshot__c', [
      {
        Snapshot_Key__c: '2026-11-23:Developer',
        As_Of__c: '2026-11-23',
        Week_Start__c: '2026-11-23',
        Role__c: 'Developer',
        Weeks__c: '{"c":[1],"w":[1]}'
      }
    ]);
    expect(getAccuracy()).toEqual({
      rows: [],
      roles: [],
      weeksOfRuns: 1,
      firstSnapshotWeek: '2026-11-23',
      lastSnapshotWeek: '2026-11-23',
      minimumWeeksOfRuns: 2,
      calibration: null
    });
  });

  it('reads all roles first, then roles and lead times in order, with the reliability table of the current run', () => {
    const accuracy = (role: string | null, lead: number, bias: number) => ({
      Accuracy_Key__c: role === null ? `All:${lead}` : `Role:${role}:${lead}`,
      Role__c: role,
      Lead_Weeks__c: lead,
      Weeks_Compared__c: 4,
      Actual_Hours__c: 0,
      Weighted_Bias_Hours__c: bias,
      Weighted_Error_Pct__c: null
    });
    org.store.seed('Forecast_Accuracy__c', [
      accuracy('Trainer', 1, 3),
      accuracy('Developer', 2, -2),
      accuracy(null, 2, 5),
      accuracy('Developer', 1, 4),
      accuracy(null, 1, 6)
    ]);
    org.store.seed('Capacity_Forecast_Run__c', [
      {
        Run_Key__c: 'older',
        Status__c: 'Completed',
        Finished_At__c: '2026-11-20T09:00:00.000Z',
        Summary__c: '{"calibration":{"probabilitySource":"entered","brier":{},"reliability":[]}}'
      },
      {
        Run_Key__c: 'current',
        Status__c: 'Completed',
        Finished_At__c: '2026-11-23T09:00:00.000Z',
        Summary__c:
          '{"calibration":{"probabilitySource":"calibrated","deals":12,"brier":{"entered":0.3,"calibrated":0.2},' +
          '"reliability":[{"bucket":"70-80%","entered":{"count":9,"predicted":0.75,"observed":0.4},' +
          '"calibrated":{"count":0,"predicted":null,"observed":null}}]}}'
      }
    ]);

    const result = getAccuracy();

    expect(result.rows.map((row) => [row.role, row.leadWeeks, row.weightedBias])).toEqual([
      [null, 1, 6],
      [null, 2, 5],
      ['Developer', 1, 4],
      ['Developer', 2, -2],
      ['Trainer', 1, 3]
    ]);
    expect(result.rows[0]!.weightedErrorPct).toBeNull();
    expect(result.roles).toEqual(['Developer', 'Trainer']);
    expect(result.weeksOfRuns).toBe(0);
    expect(result.calibration).toMatchObject({
      probabilitySource: 'calibrated',
      brierCalibrated: 0.2,
      reliability: [{ bucket: '70-80%', enteredCount: 9, calibratedObserved: null }]
    });
  });

  it('refuses a run summary that is not the service JSON, naming the run and the field', () => {
    org.store.seed('Capacity_Forecast_Run__c', [
      {
        Run_Key__c: 'bad',
        Status__c: 'Completed',
        Finished_At__c: '2026-11-23T09:00:00.000Z',
        Summary__c: '{"calibration":{"reliability":"no"}}'
      }
    ]);
    expect(() => getAccuracy()).toThrow(
      'Capacity_Forecast_Run__c bad: Summary__c is not the summary the capacity service writes'
    );
  });
});
