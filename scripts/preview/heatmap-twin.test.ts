import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLocalOrg, type LocalOrg } from '@handoff/local-org';
import { APEX_METHODS, heatmapLimits } from './adapters';
import { mondayOf } from './weeks';

jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, '..', '..');

/** The heatmap twin on forecast rows as the capacity service writes them: Role rows beside overlapping Skill rows. */
describe('CapacityHeatmapController.getHeatmap twin: skills and the Tentative layer', () => {
  let org: LocalOrg;
  let dataDir: string;
  const getHeatmap = (params: Record<string, unknown>) =>
    APEX_METHODS.get('CapacityHeatmapController.getHeatmap')!(org, { horizonWeeks: 2, ...params }) as {
      dimension: string;
      truncated: boolean;
      rows: {
        name: string;
        role: string | null;
        skill: string | null;
        capacity: (number | null)[];
        tentative: (number | null)[];
      }[];
      skillOptions: string[];
    };

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-heatmap-twin-'));
    org = await createLocalOrg({ projectRoot: ROOT, dataDir });
    const week = mondayOf(new Date().toISOString().slice(0, 10));
    const [run] = org.store.seed('Capacity_Forecast_Run__c', [
      { Status__c: 'Completed', Slot__c: 'A', Finished_At__c: new Date().toISOString(), As_Of__c: week }
    ]);
    const row = (dimension: string, name: string, capacity: number, tentative: number, skill?: string) => ({
      Row_Key__c: `A:${dimension}:${name}:${week}`,
      Slot__c: 'A',
      Run__c: run,
      Dimension__c: dimension,
      Name__c: name,
      Skill__c: skill ?? null,
      Week_Start__c: week,
      Capacity_Hours__c: capacity,
      Confirmed_Hours__c: 40,
      Weighted_Hours__c: 60,
      Exposure_Hours__c: 80,
      Tentative_Hours__c: tentative
    });
    org.store.seed('Capacity_Forecast__c', [
      row('Role', 'Developer', 80, 50),
      // Skill rows overlap: a developer holding Apex and LWC counts in both (80 + 40 > the role's 80).
      row('Skill', 'Developer / Apex', 80, 45, 'Apex'),
      row('Skill', 'Developer / LWC', 40, 5, 'Lightning Web Components'),
      row('Skill', 'Trainer / Apex', 40, 0, 'Apex')
    ]);
  });
  afterAll(async () => {
    await org.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('reads role rows only for the Role dimension, with the Tentative layer', () => {
    const heatmap = getHeatmap({ dimension: 'Role' });
    expect(heatmap.rows.map((row) => row.name)).toEqual(['Developer']);
    expect(heatmap.rows[0]!.capacity[0]).toBe(80);
    expect(heatmap.rows[0]!.tentative[0]).toBe(50);
  });

  it('reads Skill rows by role and skill, filtered on the skill', () => {
    expect(getHeatmap({ dimension: 'skill' }).rows.map((row) => row.name)).toEqual([
      'Developer / Apex',
      'Developer / LWC',
      'Trainer / Apex'
    ]);
    const apex = getHeatmap({ dimension: 'Skill', skills: ['Apex'], roles: ['Developer'] });
    expect(apex.dimension).toBe('Skill');
    expect(apex.rows.map((row) => [row.name, row.tentative[0]])).toEqual([
      ['Developer / Apex', 45],
      ['Trainer / Apex', 0]
    ]);
    expect(apex.skillOptions).toContain('Apex');
  });

  it('gives skill rows their role and skill, for the drill-down', () => {
    const row = getHeatmap({ dimension: 'Skill' }).rows[1]!;
    expect([row.name, row.role, row.skill]).toEqual(['Developer / LWC', 'Developer', 'Lightning Web Components']);
  });

  it('flags rows cut at the cell limit and leaves out the row that lost weeks', () => {
    const saved = heatmapLimits.maxCells;
    try {
      heatmapLimits.maxCells = 2;
      const cut = getHeatmap({ dimension: 'Skill', horizonWeeks: 1 });
      expect(cut.truncated).toBe(true);
      expect(cut.rows.map((row) => row.name)).toEqual(['Developer / Apex']);
      heatmapLimits.maxCells = 3;
      expect(getHeatmap({ dimension: 'Skill', horizonWeeks: 1 }).truncated).toBe(false);
    } finally {
      heatmapLimits.maxCells = saved;
    }
  });
});
