import { createElement } from 'lwc';
import DeliveryOutlook, { WHAT_IF_POLL_MS } from 'c/deliveryOutlook';
import getOutlook from '@salesforce/apex/DeliveryOutlookController.getOutlook';
import askStartWhatIf from '@salesforce/apex/DeliveryOutlookController.askStartWhatIf';
import getWhatIf from '@salesforce/apex/DeliveryOutlookController.getWhatIf';
import { query, queryAll, text, clearDocument } from 'test/jest-utils/dom';

/** Settles promises and pending renders; the poll's own timer stays faked until a test advances it. */
const flush = () => [1, 2, 3, 4, 5].reduce((settled) => settled.then(() => Promise.resolve()), Promise.resolve());

const OUTLOOK = require('./data/outlook.json');
const SCENARIO = 'a0X5g000001AbCdEAK';

jest.mock(
  '@salesforce/apex/DeliveryOutlookController.getOutlook',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true }
);
jest.mock('@salesforce/apex/DeliveryOutlookController.askStartWhatIf', () => ({ default: jest.fn() }), {
  virtual: true
});
jest.mock('@salesforce/apex/DeliveryOutlookController.getWhatIf', () => ({ default: jest.fn() }), { virtual: true });

async function render(outlook = OUTLOOK) {
  const element = createElement('c-delivery-outlook', { is: DeliveryOutlook });
  element.recordId = OUTLOOK.opportunityId;
  document.body.appendChild(element);
  getOutlook.emit(outlook);
  await flush();
  return element;
}

async function ask(element, date = '2027-01-04') {
  const input = query(element, 'lightning-input.what-if-date');
  input.value = date;
  input.dispatchEvent(new CustomEvent('change', { detail: { value: date } }));
  await flush();
  query(element, 'lightning-button.ask-what-if').click();
  await flush();
}

const COMPLETED = {
  scenarioId: SCENARIO,
  status: 'Completed',
  current: true,
  answerState: 'Staffable',
  staffable: true,
  plannedStart: '2027-01-04',
  shortfallHours: 0,
  overCommittedHours: 12,
  earliestFeasibleStart: '2027-01-04',
  shortRoles: []
};

describe('c-delivery-outlook: what if it started on', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] }));
  afterEach(() => {
    clearDocument();
    jest.clearAllMocks();
    jest.useRealTimers();
  });

  it('offers the question only while the deal is open and answered, and only with a date', async () => {
    const element = await render();
    expect(query(element, '.what-if')).not.toBeNull();
    expect(query(element, 'lightning-button.ask-what-if').disabled).toBe(true);
    jest.useRealTimers();
    await expect(element).toBeAccessible();
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    clearDocument();
    expect(query(await render({ ...OUTLOOK, state: 'notComputed', staffing: null }), '.what-if')).toBeNull();
  });

  it('asks, polls while the service computes, then shows the answer beside the baseline', async () => {
    askStartWhatIf.mockResolvedValue(SCENARIO);
    getWhatIf.mockResolvedValueOnce({ scenarioId: SCENARIO, status: 'Queued' }).mockResolvedValueOnce(COMPLETED);
    const element = await render();

    await ask(element);
    expect(askStartWhatIf).toHaveBeenCalledWith({ opportunityId: OUTLOOK.opportunityId, newStart: '2027-01-04' });
    expect(text(element, '.what-if-waiting')).toBe('Asking the capacity forecast…');
    expect(query(element, 'lightning-button.ask-what-if').disabled).toBe(true);

    jest.advanceTimersByTime(WHAT_IF_POLL_MS);
    await flush();
    expect(getWhatIf).toHaveBeenCalledTimes(2);
    expect(getWhatIf).toHaveBeenLastCalledWith({ scenarioId: SCENARIO });
    expect(query(element, '.what-if-waiting')).toBeNull();
    const rows = queryAll(element, '.what-if-answer tbody tr').map((row) =>
      [...row.children].map((cell) => cell.textContent.trim())
    );
    expect(rows).toEqual([
      ['Verdict', 'Cannot be staffed on time', 'Can be staffed'],
      ['Hours short for this deal', '80 h', '0 h'],
      ['Already over-committed without it', '48 h', '12 h'],
      ['Earliest start we can staff', 'Jan 4, 2027', 'Jan 4, 2027'],
      ['Roles short', 'Developer and QA Engineer', 'None']
    ]);
    expect(queryAll(element, '.what-if-answer thead th').map((th) => th.textContent.trim())).toEqual([
      '',
      'Now: Nov 23, 2026',
      'If it started on Jan 4, 2027'
    ]);
    jest.useRealTimers();
    await expect(element).toBeAccessible();
  });

  it('shows why the service could not answer', async () => {
    askStartWhatIf.mockResolvedValue(SCENARIO);
    getWhatIf.mockResolvedValue({
      scenarioId: SCENARIO,
      status: 'Failed',
      error: 'NO_BASELINE: no completed forecast run to compute the scenario against'
    });
    const element = await render();

    await ask(element);

    expect(text(element, '.what-if-failure')).toMatch(/could not answer: NO_BASELINE/);
    expect(query(element, '.what-if-answer')).toBeNull();
  });

  it('shows an Apex error as readable text', async () => {
    askStartWhatIf.mockRejectedValue({ body: { message: 'Choose a start date for the deal.' }, status: 400 });
    const element = await render();

    await ask(element);

    expect(query(element, 'c-error-panel')).not.toBeNull();
    expect(getWhatIf).not.toHaveBeenCalled();
  });
});
