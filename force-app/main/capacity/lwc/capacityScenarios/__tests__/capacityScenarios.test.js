import { createElement } from 'lwc';
import CapacityScenarios, { describeChange, POLL_MS } from 'c/capacityScenarios';
import listScenarios from '@salesforce/apex/CapacityScenarioController.listScenarios';
import getScenario from '@salesforce/apex/CapacityScenarioController.getScenario';
import getEditorOptions from '@salesforce/apex/CapacityScenarioController.getEditorOptions';
import saveScenario from '@salesforce/apex/CapacityScenarioController.saveScenario';
import saveChange from '@salesforce/apex/CapacityScenarioController.saveChange';
import deleteChange from '@salesforce/apex/CapacityScenarioController.deleteChange';
import runScenario from '@salesforce/apex/CapacityScenarioController.runScenario';
import { query, queryAll, text, clearDocument } from 'test/jest-utils/dom';

const SCENARIOS = require('./data/scenarios.json');
const SCENARIO = require('./data/scenario.json');

/** Settles promises and renders; timers stay faked until a test advances them. */
const flush = () =>
  [1, 2, 3, 4, 5, 6, 7, 8].reduce((settled) => settled.then(() => Promise.resolve()), Promise.resolve());

jest.mock(
  '@salesforce/apex/CapacityScenarioController.getEditorOptions',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true }
);
jest.mock('@salesforce/apex/CapacityScenarioController.listScenarios', () => ({ default: jest.fn() }), {
  virtual: true
});
jest.mock('@salesforce/apex/CapacityScenarioController.getScenario', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/CapacityScenarioController.saveScenario', () => ({ default: jest.fn() }), {
  virtual: true
});
jest.mock('@salesforce/apex/CapacityScenarioController.saveChange', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/CapacityScenarioController.deleteChange', () => ({ default: jest.fn() }), {
  virtual: true
});
jest.mock('@salesforce/apex/CapacityScenarioController.runScenario', () => ({ default: jest.fn() }), { virtual: true });

async function render() {
  const element = createElement('c-capacity-scenarios', { is: CapacityScenarios });
  document.body.appendChild(element);
  getEditorOptions.emit({
    deals: [{ label: 'Northwind rollout', value: '0065g000001AbCdAAK' }],
    templates: [{ label: 'HO-IMPL', value: 'HO-IMPL' }]
  });
  await flush();
  return element;
}

async function openFirst(element) {
  query(element, 'button.open').click();
  await flush();
}

async function a11y(element) {
  jest.useRealTimers();
  await expect(element).toBeAccessible();
}

describe('c-capacity-scenarios', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] }));
  afterEach(() => {
    clearDocument();
    jest.clearAllMocks();
    jest.useRealTimers();
  });

  it('shows a spinner while the scenarios load', async () => {
    listScenarios.mockReturnValue(new Promise(() => undefined));
    const element = createElement('c-capacity-scenarios', { is: CapacityScenarios });
    document.body.appendChild(element);

    expect(query(element, 'lightning-spinner')).not.toBeNull();
    await a11y(element);
  });

  it('lists scenarios with status, changes, age and whether they are on the current forecast', async () => {
    listScenarios.mockResolvedValue(SCENARIOS);
    const element = await render();

    const rows = queryAll(element, 'table.scenarios tbody tr');
    expect(rows.map((row) => row.querySelector('th').textContent.trim())).toEqual([
      'Northwind slips a month',
      'Win Contoso',
      'Draft idea'
    ]);
    expect(queryAll(element, 'td.change-count').map((td) => td.textContent)).toEqual([
      '1 change',
      '2 changes',
      '0 changes'
    ]);
    expect(queryAll(element, 'td.baseline').map((td) => td.textContent)).toEqual([
      'On the current forecast',
      'A newer forecast ran: recompute',
      ''
    ]);
    expect(queryAll(element, 'lightning-badge').map((badge) => badge.label)).toEqual([
      'Completed',
      'Completed',
      'Draft'
    ]);
    await a11y(element);
  });

  it('tells the user how to start when there are none', async () => {
    listScenarios.mockResolvedValue([]);
    const element = await render();

    expect(text(element, '.empty')).toMatch(/No scenarios yet/);
    await a11y(element);
  });

  it('reduces an Apex error to readable text', async () => {
    listScenarios.mockRejectedValue({ body: { message: 'Insufficient access' }, status: 500 });
    const element = await render();

    expect(query(element, 'c-error-panel')).not.toBeNull();
  });

  it('creates a scenario and opens it', async () => {
    listScenarios.mockResolvedValue([]);
    saveScenario.mockResolvedValue(SCENARIO.id);
    getScenario.mockResolvedValue({ ...SCENARIO, changes: [], changeCount: 0 });
    const element = await render();
    expect(query(element, 'lightning-button.create').disabled).toBe(true);

    const name = query(element, 'lightning-input.new-name');
    name.value = 'Northwind slips a month';
    name.dispatchEvent(new CustomEvent('change', { detail: { value: 'Northwind slips a month' } }));
    await flush();
    query(element, 'lightning-button.create').click();
    await flush();

    expect(saveScenario).toHaveBeenCalledWith({ scenarioId: null, name: 'Northwind slips a month', description: null });
    expect(text(element, '.selected-name')).toBe('Northwind slips a month');
    expect(text(element, '.no-changes')).toMatch(/No changes yet/);
    expect(query(element, 'lightning-button.run').disabled).toBe(true);
  });

  it('shows the changes of the scenario opened, in words', async () => {
    listScenarios.mockResolvedValue(SCENARIOS);
    getScenario.mockResolvedValue(SCENARIO);
    const element = await render();
    await openFirst(element);

    expect(getScenario).toHaveBeenCalledWith({ scenarioId: SCENARIOS[0].id });
    expect(queryAll(element, '.change-text').map((span) => span.textContent)).toEqual([
      'Move Northwind rollout 28 days later',
      'Add 2 × HO-IMPL for Salesforce from Jan 4, 2027 at 60%'
    ]);
    await a11y(element);
  });

  it('adds a change with only the fields its type has, and shows a refusal naming the field', async () => {
    listScenarios.mockResolvedValue(SCENARIOS);
    getScenario.mockResolvedValue(SCENARIO);
    saveChange.mockRejectedValueOnce({
      body: {
        message: 'Scenario Change: New Start (or Shift Days) is required for a Shift Start change. (New_Start__c)'
      },
      status: 400
    });
    const element = await render();
    await openFirst(element);

    const deal = query(element, 'lightning-combobox.deal');
    deal.dispatchEvent(new CustomEvent('change', { detail: { value: '0065g000001AbCdAAK' } }));
    await flush();
    query(element, 'lightning-button.add').click();
    await flush();
    expect(saveChange).toHaveBeenLastCalledWith({
      change: expect.objectContaining({
        sobjectType: 'Scenario_Change__c',
        Scenario__c: SCENARIO.id,
        Type__c: 'Shift Start',
        Opportunity__c: '0065g000001AbCdAAK',
        New_Start__c: null,
        Demand_Template__c: null
      })
    });
    expect(query(element, 'c-error-panel')).not.toBeNull();

    // An Add Deal change names no deal, and offers the template fields.
    query(element, 'lightning-combobox.type').dispatchEvent(
      new CustomEvent('change', { detail: { value: 'Add Deal' } })
    );
    await flush();
    expect(query(element, 'lightning-combobox.deal')).toBeNull();
    expect(query(element, 'lightning-combobox.template').options).toEqual([{ label: 'HO-IMPL', value: 'HO-IMPL' }]);
    saveChange.mockResolvedValueOnce('a0Y5g000000AAACEA1');
    query(element, 'lightning-button.add').click();
    await flush();
    expect(saveChange).toHaveBeenLastCalledWith({
      change: expect.objectContaining({ Type__c: 'Add Deal', Opportunity__c: null })
    });
  });

  it('deletes a change', async () => {
    listScenarios.mockResolvedValue(SCENARIOS);
    getScenario.mockResolvedValue(SCENARIO);
    deleteChange.mockResolvedValue(undefined);
    const element = await render();
    await openFirst(element);

    query(element, 'lightning-button-icon.delete').click();
    await flush();

    expect(deleteChange).toHaveBeenCalledWith({ changeId: SCENARIO.changes[0].id });
  });

  it('runs the scenario and polls until the service has computed it', async () => {
    listScenarios.mockResolvedValue(SCENARIOS);
    getScenario
      .mockResolvedValueOnce(SCENARIO)
      .mockResolvedValueOnce({ ...SCENARIO, status: 'Queued' })
      .mockResolvedValueOnce({ ...SCENARIO, status: 'Completed', current: true });
    runScenario.mockResolvedValue(undefined);
    const element = await render();
    await openFirst(element);

    query(element, 'lightning-button.run').click();
    await flush();
    expect(runScenario).toHaveBeenCalledWith({ scenarioId: SCENARIO.id });
    expect(text(element, '.waiting')).toMatch(/computing this scenario/);

    jest.advanceTimersByTime(POLL_MS);
    await flush();
    expect(query(element, '.waiting')).toBeNull();
    expect(text(element, '.selected-baseline')).toBe('On the current forecast');
    expect(listScenarios).toHaveBeenCalledTimes(2);
  });

  it('shows why a scenario failed', async () => {
    listScenarios.mockResolvedValue(SCENARIOS);
    getScenario.mockResolvedValue({
      ...SCENARIO,
      status: 'Failed',
      error: 'INVALID_SCENARIO_CHANGE: Scenario_Change__c SC-000001 (a0Y5g000000AAAAEA1): Opportunity__c has no demand'
    });
    const element = await render();
    await openFirst(element);

    expect(text(element, '.failure')).toMatch(/SC-000001 .*Opportunity__c/);
  });
});

describe('describeChange', () => {
  it.each([
    [{ type: 'Include Deal', opportunityName: 'A' }, 'Count A as won'],
    [{ type: 'Exclude Deal', opportunityName: 'A' }, 'Leave A out'],
    [{ type: 'Shift Start', opportunityName: 'A', newStart: '2027-01-04' }, 'Start A on Jan 4, 2027'],
    [{ type: 'Shift Start', opportunityName: 'A', shiftDays: -7 }, 'Move A 7 days earlier'],
    [{ type: 'Set Probability', opportunityName: 'A', probability: 30 }, 'Weight A at 30%']
  ])('%j reads "%s"', (change, expected) => {
    expect(describeChange(change)).toBe(expected);
  });
});
