import { forecast } from './forecast';
import { cell, input, line, person } from './fixtures';
import { addedDealId, applyScenario, ScenarioInputError, type ScenarioChange, type ScenarioTemplate } from './scenario';

const OPP = '006000000000001AAA';
const pipeline = (id: string, extra = {}) =>
  line(id, { opportunityId: OPP, layer: 'pipeline', probability: 50, hours: 80, ...extra });
const base = () =>
  input({
    resources: [person('a'), person('b', 'Trainer')],
    demand: [pipeline('p1'), line('c1', { hours: 40 })],
    opportunities: [
      { id: OPP, probability: 50, expectedStart: '2026-01-05', stage: 'Proposal', stageSince: '2025-12-01' }
    ]
  });
const change = (extra: Partial<ScenarioChange>): ScenarioChange => ({
  id: 'a0X000000000001',
  name: 'SC-000001',
  type: 'Shift Start',
  opportunityId: OPP,
  ...extra
});
const TEMPLATES: ScenarioTemplate[] = [
  {
    productCode: 'HO-IMPL',
    role: 'Developer',
    hoursPerUnit: 60,
    durationWeeks: 2,
    startOffsetWeeks: 0,
    scaleDuration: true
  },
  {
    productCode: 'HO-IMPL',
    role: 'Trainer',
    skill: 'LMS',
    hoursPerUnit: 10,
    durationWeeks: 1,
    startOffsetWeeks: 1,
    scaleDuration: false
  },
  {
    productCode: 'HO-TRAIN',
    role: 'Trainer',
    hoursPerUnit: 8,
    durationWeeks: 1,
    startOffsetWeeks: 0,
    scaleDuration: false
  }
];
const weightedDeveloper = async (changes: ScenarioChange[]) => {
  const result = await forecast(applyScenario(base(), changes, TEMPLATES));
  return [0, 1, 2, 3].map((week) => cell(result.grids.weighted, result.roles, result.weeks.length, 'Developer', week));
};

describe('applyScenario', () => {
  it('leaves the input as it was and returns it unchanged without changes', () => {
    const given = base();
    const copy = JSON.parse(JSON.stringify(given)) as unknown;
    const applied = applyScenario(given, [change({ newStart: '2026-01-19' })]);
    expect(given).toEqual(copy);
    expect(applyScenario(given, [])).toEqual(given);
    expect(applied).not.toEqual(given);
  });

  it('Shift Start moves the deal and its expected start to New Start, and the forecast with them', async () => {
    const applied = applyScenario(base(), [change({ newStart: '2026-01-19' })]);
    expect(applied.demand.find((l) => l.id === 'p1')).toMatchObject({ start: '2026-01-19', end: '2026-01-30' });
    expect(applied.demand.find((l) => l.id === 'c1')).toMatchObject({ start: '2026-01-05' });
    expect(applied.opportunities![0]!.expectedStart).toBe('2026-01-19');
    // 40 confirmed hours and 80 x 50% pipeline hours, each spread over two weeks: 20 + 20 a week.
    expect(await weightedDeveloper([])).toEqual([40, 40, 0, 0]);
    expect(await weightedDeveloper([change({ newStart: '2026-01-19' })])).toEqual([20, 20, 20, 20]);
    expect(await weightedDeveloper([change({ newStart: undefined, shiftDays: 7 })])).toEqual([20, 40, 20, 0]);
  });

  it('moves the staffing answer to the new start (Start Basis stays Expected Start)', async () => {
    const result = await forecast(applyScenario(base(), [change({ newStart: '2026-02-02' })]));
    expect(result.staffing[0]).toMatchObject({
      opportunityId: OPP,
      plannedStart: '2026-02-02',
      startBasis: 'Expected_Start'
    });
  });

  it('Exclude Deal drops the deal; Include Deal counts it as won', async () => {
    expect(await weightedDeveloper([change({ type: 'Exclude Deal' })])).toEqual([20, 20, 0, 0]);
    const included = applyScenario(base(), [change({ type: 'Include Deal' })]);
    expect(included.demand.find((l) => l.id === 'p1')).toMatchObject({ layer: 'confirmed', probability: 100 });
    expect(included.opportunities).toEqual([]);
    expect(await weightedDeveloper([change({ type: 'Include Deal' })])).toEqual([60, 60, 0, 0]);
  });

  it('Set Probability weights the deal at it and drops its stage so calibration keeps it', async () => {
    const applied = applyScenario(base(), [change({ type: 'Set Probability', probability: 25 })]);
    expect(applied.opportunities![0]).toEqual({ id: OPP, probability: 25, expectedStart: '2026-01-05' });
    expect(await weightedDeveloper([change({ type: 'Set Probability', probability: 25 })])).toEqual([30, 30, 0, 0]);
  });

  it('Add Deal adds a pipeline deal with the lines of the product code demand templates', () => {
    const applied = applyScenario(
      base(),
      [
        change({
          type: 'Add Deal',
          opportunityId: undefined,
          demandTemplate: 'ho-impl',
          units: 2,
          practice: 'Salesforce',
          startDate: '2026-02-02',
          probability: 40
        })
      ],
      TEMPLATES
    );
    const id = addedDealId(change({}));
    const added = applied.demand.filter((l) => l.opportunityId === id);
    expect(added).toEqual([
      expect.objectContaining({
        role: 'Developer',
        hours: 120,
        start: '2026-02-02',
        end: '2026-03-01',
        probability: 40,
        layer: 'pipeline',
        practice: 'Salesforce'
      }),
      expect.objectContaining({ role: 'Trainer', skill: 'LMS', hours: 20, start: '2026-02-09', end: '2026-02-15' })
    ]);
    expect(applied.opportunities!.find((deal) => deal.id === id)).toMatchObject({
      probability: 40,
      expectedStart: '2026-02-02'
    });
  });

  it.each([
    [{ type: 'Shift Start', newStart: undefined, shiftDays: undefined }, 'New_Start__c'],
    [{ type: 'Shift Start', newStart: '2026-13-45' }, 'New_Start__c'],
    [{ type: 'Shift Start', newStart: undefined, shiftDays: 1.5 }, 'Shift_Days__c'],
    [{ type: 'Exclude Deal', opportunityId: undefined }, 'Opportunity__c'],
    [{ type: 'Include Deal', opportunityId: '006000000000999AAA' }, 'Opportunity__c'],
    [{ type: 'Set Probability', probability: 120 }, 'Probability__c'],
    [{ type: 'Set Probability', probability: undefined }, 'Probability__c'],
    [{ type: 'Add Deal', demandTemplate: undefined, startDate: '2026-02-02', practice: 'X' }, 'Demand_Template__c'],
    [{ type: 'Add Deal', demandTemplate: 'HO-NONE', startDate: '2026-02-02', practice: 'X' }, 'Demand_Template__c'],
    [{ type: 'Add Deal', demandTemplate: 'HO-TRAIN', practice: 'X' }, 'Start_Date__c'],
    [{ type: 'Add Deal', demandTemplate: 'HO-TRAIN', startDate: '2026-02-02' }, 'Practice__c'],
    [{ type: 'Add Deal', demandTemplate: 'HO-TRAIN', startDate: '2026-02-02', practice: 'X', units: 0 }, 'Units__c'],
    [{ type: 'Rename Deal' }, 'Type__c']
  ] as [Partial<ScenarioChange>, string][])('refuses %j naming the change and %s', (extra, field) => {
    let error: unknown;
    try {
      applyScenario(base(), [change(extra)], TEMPLATES);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ScenarioInputError);
    expect((error as ScenarioInputError).field).toBe(field);
    expect((error as Error).message).toContain(`Scenario_Change__c SC-000001 (a0X000000000001): ${field}`);
  });

  it('refuses Set Probability on a won deal', () => {
    expect(() =>
      applyScenario(base(), [change({ opportunityId: 'opp-c1', type: 'Set Probability', probability: 10 })])
    ).toThrow(/Opportunity__c opp-c1 is won/);
  });

  it('refuses a template role the firm does not have', () => {
    expect(() =>
      applyScenario(
        base(),
        [change({ type: 'Add Deal', demandTemplate: 'HO-X', startDate: '2026-02-02', practice: 'X' })],
        [{ ...TEMPLATES[0]!, productCode: 'HO-X', role: 'Astronaut' }]
      )
    ).toThrow(/Demand_Template__c "HO-X" creates demand for role "Astronaut"/);
  });
});
