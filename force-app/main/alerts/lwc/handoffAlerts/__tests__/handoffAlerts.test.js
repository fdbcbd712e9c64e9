import { createElement } from 'lwc';
import HandoffAlerts from 'c/handoffAlerts';
import getAlerts from '@salesforce/apex/HandoffAlertsController.getAlerts';
import resolveAlert from '@salesforce/apex/HandoffAlertsController.resolveAlert';
import { refreshApex } from '@salesforce/apex';
import { flush, query, queryAll, text, clearDocument } from 'test/jest-utils/dom';

const VIEW = require('./data/alerts.json');
const NOW = new Date('2026-11-23T09:00:00.000Z').getTime();

jest.mock(
  '@salesforce/apex/HandoffAlertsController.getAlerts',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true }
);
jest.mock('@salesforce/apex/HandoffAlertsController.resolveAlert', () => ({ default: jest.fn() }), {
  virtual: true
});
jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });

function render() {
  const element = createElement('c-handoff-alerts', { is: HandoffAlerts });
  document.body.appendChild(element);
  return element;
}

async function emit(view) {
  const element = render();
  getAlerts.emit(view);
  await flush();
  return element;
}

describe('c-handoff-alerts', () => {
  beforeEach(() => {
    jest.spyOn(Date, 'now').mockReturnValue(NOW);
  });

  afterEach(() => {
    clearDocument();
    jest.clearAllMocks();
    jest.restoreAllMocks();
  });

  it('shows a spinner until the alerts arrive', async () => {
    const element = render();

    expect(query(element, 'lightning-spinner')).not.toBeNull();
    expect(query(element, '.alert')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('lists open alerts with kind, since, occurrences, detail and a link to the record', async () => {
    const element = await emit(VIEW);

    const alerts = queryAll(element, '.alert');
    expect(alerts).toHaveLength(2);
    expect(text(element, '.count')).toBe('2 open alerts');
    expect(alerts[0].dataset.kind).toBe('RUN_FAILED');
    expect(alerts[0].querySelector('.heading').textContent).toBe('ALERT-000002: a capacity forecast run failed');
    expect(alerts[0].querySelector('.heading a').getAttribute('href')).toBe('/a0B000000000001AAA');
    expect(alerts[0].querySelector('.since').textContent).toMatch(/^Open since 2 h ago · /);
    expect(alerts[0].querySelector('.occurrences').textContent).toMatch(/^Seen 3 times · Notified 1 h ago$/);
    expect(alerts[0].querySelector('.detail').textContent).toMatch(/UNABLE_TO_LOCK_ROW/);
    expect(alerts[0].querySelector('.subject a').getAttribute('href')).toBe('/a0A000000000042AAA');
    expect(alerts[1].querySelector('.occurrences').textContent).toBe('Seen once · Not notified yet');
    expect(alerts[1].querySelector('.subject')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('reports stage rules naming a stage the org does not have', async () => {
    const element = await emit(VIEW);

    const stages = queryAll(element, '.unknown-stage');
    expect(stages).toHaveLength(1);
    expect(stages[0].textContent).toMatch(/^Handoff_Stage_Rule__mdt\.Signed: Stage_Name__c "Contract Signed"/);
  });

  it('says what an empty list means', async () => {
    const element = await emit({ alerts: [], canResolve: true, unknownStages: [] });

    expect(query(element, '.alert')).toBeNull();
    expect(text(element, '.no-alerts')).toMatch(/^No open alerts/);
    expect(query(element, '.unknown-stages')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('shows why the rules do not load', async () => {
    const element = await emit({
      alerts: [],
      canResolve: false,
      unknownStages: [],
      rulesError: 'Handoff_Stage_Rule__mdt.Bad: Engagement_Status__c "Running" must be one of Pipeline, Active, Lost'
    });

    expect(text(element, '.rules-error')).toMatch(/Engagement_Status__c "Running"/);
  });

  it('shows an error the user can read', async () => {
    const element = render();
    getAlerts.error({ body: { message: 'Access to entity Handoff_Alert__c denied' } });
    await flush();

    expect(query(element, 'c-error-panel')).not.toBeNull();
    expect(query(element, 'c-error-panel').friendlyMessage).toBe('Could not load the Handoff alerts');
    expect(query(element, '.alert')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('offers no resolve button to a user who may not edit alerts', async () => {
    const element = await emit({ ...VIEW, canResolve: false });

    expect(query(element, '.resolve')).toBeNull();
  });

  it('resolves an alert, tells the user, and refreshes the list', async () => {
    resolveAlert.mockResolvedValue({ id: 'a0B000000000001AAA', name: 'ALERT-000002', status: 'Resolved' });
    const element = await emit(VIEW);
    const toasts = jest.fn();
    element.addEventListener('lightning__showtoast', toasts);

    query(element, '.resolve').click();
    await flush();

    expect(resolveAlert).toHaveBeenCalledWith({ alertId: 'a0B000000000001AAA' });
    expect(toasts).toHaveBeenCalledTimes(1);
    expect(toasts.mock.calls[0][0].detail).toMatchObject({ title: 'ALERT-000002 resolved', variant: 'success' });
    expect(refreshApex).toHaveBeenCalledTimes(1);
  });

  it('names the alert and the reason when resolving fails', async () => {
    resolveAlert.mockRejectedValue({
      body: { message: 'Handoff_Alert__c ALERT-000002 is already Resolved (Status__c).' }
    });
    const element = await emit(VIEW);
    const toasts = jest.fn();
    element.addEventListener('lightning__showtoast', toasts);

    query(element, '.resolve').click();
    await flush();

    expect(toasts.mock.calls[0][0].detail).toMatchObject({
      title: 'Could not resolve the alert',
      message: 'Handoff_Alert__c ALERT-000002 is already Resolved (Status__c).',
      variant: 'error'
    });
    expect(refreshApex).not.toHaveBeenCalled();
    expect(query(element, '.resolve').disabled).toBe(false);
  });

  it('refreshes on demand', async () => {
    const element = await emit(VIEW);

    query(element, 'lightning-button-icon').click();
    await flush();

    expect(refreshApex).toHaveBeenCalledTimes(1);
  });
});
