import { createElement } from 'lwc';
import EngagementSummary from 'c/engagementSummary';
import getSummary from '@salesforce/apex/EngagementSummaryController.getSummary';

const SUMMARY = require('./data/summary.json');

jest.mock(
  '@salesforce/apex/EngagementSummaryController.getSummary',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true }
);

function render() {
  const element = createElement('c-engagement-summary', { is: EngagementSummary });
  element.recordId = SUMMARY.id;
  document.body.appendChild(element);
  return element;
}

const flush = () => Promise.resolve();
const text = (element, selector) => element.shadowRoot.querySelector(selector)?.textContent.trim();

describe('c-engagement-summary', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  it('shows a spinner until the summary arrives', async () => {
    const element = render();
    expect(element.shadowRoot.querySelector('lightning-spinner')).not.toBeNull();
    await expect(element).toBeAccessible();
  });

  it('shows what was sold once the summary arrives', async () => {
    const element = render();
    getSummary.emit(SUMMARY);
    await flush();

    expect(element.shadowRoot.querySelector('lightning-spinner')).toBeNull();
    expect(text(element, '.client')).toBe('Northwind Advisory');
    expect(text(element, '.deal')).toBe('Northwind ERP rollout (Closed Won)');
    expect(text(element, '.status')).toBe('Active · Billable');
    expect(element.shadowRoot.querySelector('lightning-badge.tentative')).toBeNull();
    expect(element.shadowRoot.querySelector('lightning-formatted-number').value).toBe(250000);
    await expect(element).toBeAccessible();
  });

  it('labels a pipeline placeholder as non-billable', async () => {
    const element = render();
    getSummary.emit({ ...SUMMARY, status: 'Pipeline', billable: false });
    await flush();

    expect(text(element, '.status')).toBe('Pipeline · Non-billable (pipeline)');
    expect(element.shadowRoot.querySelector('lightning-badge.tentative').label).toBe('Tentative: deal not won');
  });

  it('tells the user what to do when the engagement is not visible', async () => {
    const element = render();
    getSummary.emit(null);
    await flush();

    expect(text(element, '.empty')).toMatch(/not available to you/);
    await expect(element).toBeAccessible();
  });

  it('reduces an Apex error to readable text', async () => {
    const element = render();
    getSummary.error({ message: 'Insufficient access to Engagement__c' });
    await flush();

    const alert = element.shadowRoot.querySelector('[role="alert"]');
    expect(alert.textContent).toMatch(/Could not load the engagement: Insufficient access to Engagement__c/);
    await expect(element).toBeAccessible();
  });
});
