import { createElement } from 'lwc';
import BillingMilestones from 'c/billingMilestones';
import getBilling from '@salesforce/apex/BillingMilestonesController.getBilling';
import markComplete from '@salesforce/apex/BillingMilestonesController.markComplete';
import { refreshApex } from '@salesforce/apex';

const BILLING = require('./data/billing.json');

jest.mock(
  '@salesforce/apex/BillingMilestonesController.getBilling',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true }
);
jest.mock('@salesforce/apex/BillingMilestonesController.markComplete', () => ({ default: jest.fn() }), {
  virtual: true
});
jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });

function render() {
  const element = createElement('c-billing-milestones', { is: BillingMilestones });
  element.recordId = BILLING.engagementId;
  document.body.appendChild(element);
  return element;
}

// A few microtask turns: the wire, the imperative call and the refresh each resolve on one.
const flush = () =>
  Promise.resolve()
    .then(() => Promise.resolve())
    .then(() => Promise.resolve())
    .then(() => Promise.resolve());
const all = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];
const text = (element, selector) => element.shadowRoot.querySelector(selector)?.textContent.trim();

function tick(element, index) {
  const box = all(element, 'lightning-input')[index];
  box.checked = true;
  box.dispatchEvent(new CustomEvent('change'));
}

describe('c-billing-milestones', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  it('shows a spinner until the billing arrives', async () => {
    const element = render();
    expect(element.shadowRoot.querySelector('lightning-spinner')).not.toBeNull();
    await expect(element).toBeAccessible();
  });

  it('shows the milestones with what was invoiced and paid to date', async () => {
    const element = render();
    getBilling.emit(BILLING);
    await flush();

    expect(element.shadowRoot.querySelector('lightning-spinner')).toBeNull();
    expect(text(element, '.billing-type')).toBe('Time & Materials');
    expect(element.shadowRoot.querySelector('.invoiced lightning-formatted-number').value).toBe(10000);
    expect(element.shadowRoot.querySelector('.paid lightning-formatted-number').value).toBe(0);
    expect(all(element, 'tr.milestone').map((row) => row.querySelector('.name').textContent)).toEqual([
      'Month 2026-04',
      'Month 2026-05',
      'Month 2026-06'
    ]);
    expect(text(element, 'tr.milestone .invoice')).toBe('INV-1001 (Sent)');
    expect(all(element, 'lightning-input').map((box) => box.disabled)).toEqual([true, false, false]);
    expect(element.shadowRoot.querySelector('lightning-button').disabled).toBe(true);
    await expect(element).toBeAccessible();
  });

  it('marks the chosen planned milestones complete and reloads', async () => {
    markComplete.mockResolvedValue(2);
    const element = render();
    getBilling.emit(BILLING);
    await flush();

    tick(element, 1);
    tick(element, 2);
    await flush();
    const button = element.shadowRoot.querySelector('lightning-button');
    expect(button.label).toBe('Mark 2 complete');
    button.click();
    await flush();

    expect(markComplete).toHaveBeenCalledWith({ milestoneIds: ['a0Axx0000004Cd2EAE', 'a0Axx0000004Cd3EAE'] });
    expect(refreshApex).toHaveBeenCalled();
    expect(text(element, '.saved')).toBe('2 milestones marked complete: billing is notified.');
    await expect(element).toBeAccessible();
  });

  it('says why marking complete failed', async () => {
    markComplete.mockRejectedValue({ body: { message: 'You cannot mark billing milestones complete: no access' } });
    const element = render();
    getBilling.emit(BILLING);
    await flush();

    tick(element, 1);
    await flush();
    element.shadowRoot.querySelector('lightning-button').click();
    await flush();

    const panel = element.shadowRoot.querySelector('c-error-panel');
    expect(panel.friendlyMessage).toBe('Could not mark the milestones complete');
    expect(panel.errors).toEqual({ body: { message: 'You cannot mark billing milestones complete: no access' } });
    expect(element.shadowRoot.querySelector('.saved')).toBeNull();
  });

  it('tells the user how milestones come about when there are none', async () => {
    const element = render();
    getBilling.emit({ ...BILLING, billingType: null, milestones: [] });
    await flush();

    expect(text(element, '.billing-type')).toBe('No billing type');
    expect(text(element, '.no-milestones')).toMatch(/planned when the deal is won/);
    expect(element.shadowRoot.querySelector('lightning-button')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('tells the user what to do when the engagement is not visible', async () => {
    const element = render();
    getBilling.emit(null);
    await flush();

    expect(text(element, '.empty')).toMatch(/not available to you/);
  });

  it('reduces a load error to readable text', async () => {
    const element = render();
    getBilling.error({ message: 'Insufficient access to Billing_Milestone__c' });
    await flush();

    const panel = element.shadowRoot.querySelector('c-error-panel');
    expect(panel.friendlyMessage).toBe('Could not load the billing milestones');
    await expect(element).toBeAccessible();
  });
});
