import { createElement } from 'lwc';
import IntegrationOutbox from 'c/integrationOutbox';
import getMessages from '@salesforce/apex/IntegrationOutboxController.getMessages';
import replay from '@salesforce/apex/IntegrationOutboxController.replay';
import { refreshApex } from '@salesforce/apex';
import { flush, query, queryAll, text, clearDocument } from 'test/jest-utils/dom';

const PAGE = require('./data/page.json');

jest.mock(
  '@salesforce/apex/IntegrationOutboxController.getMessages',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true }
);
jest.mock('@salesforce/apex/IntegrationOutboxController.replay', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });

function render() {
  const element = createElement('c-integration-outbox', { is: IntegrationOutbox });
  document.body.appendChild(element);
  return element;
}

async function emit(page) {
  const element = render();
  getMessages.emit(page);
  await flush();
  return element;
}

const change = (target, detail) => target.dispatchEvent(new CustomEvent('change', { detail }));

async function selectAndGiveReason(element, reason) {
  change(queryAll(element, 'lightning-input.select')[0], { checked: true });
  await flush();
  change(query(element, 'lightning-textarea.reason'), { value: reason });
  await flush();
}

describe('c-integration-outbox', () => {
  afterEach(() => {
    clearDocument();
    jest.clearAllMocks();
  });

  it('shows a spinner until the messages arrive', async () => {
    const element = render();

    expect(query(element, 'lightning-spinner')).not.toBeNull();
    await expect(element).toBeAccessible();
  });

  it('asks for dead letters of every topic first', async () => {
    render();
    await flush();

    expect(getMessages.getLastConfig()).toEqual({ status: 'Dead Letter', topic: '' });
  });

  it('lists messages with status, attempts, last error and past replays, and the counts by status', async () => {
    const element = await emit(PAGE);

    const rows = queryAll(element, 'tr.message');
    expect(rows).toHaveLength(3);
    expect(rows[0].querySelector('.name').textContent).toBe('MSG-000012');
    expect(rows[0].querySelector('.key').textContent).toBe('billing:a01000000000001AAA:invoice-7');
    expect(rows[0].querySelector('.topic').textContent).toBe('Billing Ready v1');
    expect(rows[0].querySelector('lightning-badge').label).toBe('Dead Letter');
    expect(rows[0].querySelector('lightning-badge').className).toContain('slds-theme_error');
    expect(rows[0].querySelector('.attempts').textContent).toBe('8 of 8');
    expect(rows[0].querySelector('.last-error').textContent).toMatch(/attempt 8: HTTP 503/);
    expect(rows[1].querySelector('.replayed').textContent).toMatch(/^Replayed .*: ERP maintenance window$/);
    expect(rows[2].querySelector('.when').textContent).toMatch(/^Delivered /);
    expect(queryAll(element, '.counts lightning-badge').map((badge) => badge.label)).toEqual([
      'Pending: 4',
      'Delivered: 120',
      'Dead Letter: 2'
    ]);
    await expect(element).toBeAccessible();
  });

  it('offers replay only for the messages the controller marks replayable', async () => {
    const element = await emit(PAGE);

    const rows = queryAll(element, 'tr.message');
    expect(rows.map((row) => row.querySelector('lightning-input.select') !== null)).toEqual([true, true, false]);
    expect(query(element, '.replay-button').disabled).toBe(true);
  });

  it('says what to do when no message matches', async () => {
    const element = await emit({ ...PAGE, messages: [], counts: [] });

    expect(text(element, '.empty')).toBe(
      'No Dead Letter messages. Choose another status or topic to see the rest of the outbox.'
    );
    expect(query(element, '.replay')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('shows a load failure as readable text', async () => {
    const element = render();
    getMessages.error({ message: 'Integration_Message__c.Status__c: "Lost" is not a value of the field.' });
    await flush();

    const panel = query(element, 'c-error-panel');
    expect(panel.friendlyMessage).toBe('Could not load the outbox');
    expect(query(element, 'table')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('filters by status and topic through the wire', async () => {
    const element = await emit(PAGE);

    change(query(element, '.status-filter'), { value: 'Failed' });
    change(query(element, '.topic-filter'), { value: 'Billing Ready' });
    await flush();

    expect(getMessages.getLastConfig()).toEqual({ status: 'Failed', topic: 'Billing Ready' });
    expect(query(element, '.status-filter').options.map((option) => option.value)).toEqual([
      '',
      'Pending',
      'Delivered',
      'Failed',
      'Dead Letter'
    ]);
  });

  it('does not replay without a reason, and says why', async () => {
    const element = await emit(PAGE);
    const reason = query(element, 'lightning-textarea.reason');
    reason.setCustomValidity = jest.fn();
    reason.reportValidity = jest.fn();
    change(queryAll(element, 'lightning-input.select')[0], { checked: true });
    await flush();

    query(element, '.replay-button').click();
    await flush();

    expect(replay).not.toHaveBeenCalled();
    expect(reason.setCustomValidity).toHaveBeenCalledWith(expect.stringMatching(/^Say why/));
    expect(reason.reportValidity).toHaveBeenCalled();
  });

  it('replays the selected messages with the reason, tells the user, and reloads', async () => {
    replay.mockResolvedValue(2);
    const element = await emit(PAGE);
    const toast = jest.fn();
    element.addEventListener('lightning__showtoast', toast);
    change(query(element, 'lightning-input.select-all'), { checked: true });
    await flush();
    expect(text(element, '.selection')).toBe('2 messages selected');
    change(query(element, 'lightning-textarea.reason'), { value: '  Billing endpoint fixed  ' });
    await flush();

    query(element, '.replay-button').click();
    await flush();

    expect(replay).toHaveBeenCalledWith({
      ids: ['a0B000000000001AAA', 'a0B000000000002AAA'],
      reason: 'Billing endpoint fixed'
    });
    expect(toast).toHaveBeenCalledTimes(1);
    expect(toast.mock.calls[0][0].detail).toMatchObject({ title: '2 messages replayed', variant: 'success' });
    expect(refreshApex).toHaveBeenCalledTimes(1);
    expect(text(element, '.selection')).toBe('0 messages selected');
    expect(query(element, '.replay-button').disabled).toBe(true);
  });

  it('shows a replay failure and lets the user dismiss it', async () => {
    replay.mockRejectedValue({ body: { message: 'Integration_Message__c MSG-000010: Status__c is Delivered' } });
    const element = await emit(PAGE);
    await selectAndGiveReason(element, 'retry');

    query(element, '.replay-button').click();
    await flush();

    const panel = query(element, '.replay-error c-error-panel');
    expect(panel.friendlyMessage).toBe('Could not replay the messages');
    expect(panel.errors.body.message).toMatch(/Status__c is Delivered/);
    expect(text(element, '.selection')).toBe('1 message selected');
    await expect(element).toBeAccessible();

    query(element, '.dismiss').click();
    await flush();
    expect(query(element, '.replay-error')).toBeNull();
  });
});
