import { createElement } from 'lwc';
import ClientHierarchy from 'c/clientHierarchy';
import getHierarchy from '@salesforce/apex/ClientHierarchyController.getHierarchy';
import { flush, query, queryAll, text, clearDocument } from 'test/jest-utils/dom';

jest.mock(
  '@salesforce/apex/ClientHierarchyController.getHierarchy',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true }
);

const ENGAGEMENT = 'a01000000000001AAA';
const level = (id, name) => ({ id, name });
const HIERARCHY = {
  levels: [level('001A', 'Acme Retail UK'), level('001B', 'Acme Retail Europe'), level('001C', 'Acme Group')],
  isTop: true,
  continuesAbove: false,
  hidden: false
};

function render() {
  const element = createElement('c-client-hierarchy', { is: ClientHierarchy });
  element.recordId = ENGAGEMENT;
  document.body.appendChild(element);
  return element;
}

async function emit(data) {
  const element = render();
  getHierarchy.emit(data);
  await flush();
  return element;
}

describe('c-client-hierarchy', () => {
  afterEach(() => {
    clearDocument();
    jest.clearAllMocks();
  });

  it('shows a spinner until the hierarchy arrives', async () => {
    const element = render();

    expect(query(element, 'lightning-spinner')).not.toBeNull();
    await expect(element).toBeAccessible();
  });

  it('shows the client, its parents and the top-level parent, each linked', async () => {
    const element = await emit(HIERARCHY);

    expect(getHierarchy.getLastConfig()).toEqual({ engagementId: ENGAGEMENT });
    expect(text(element, '.top-text')).toBe('Part of Acme Group, its top-level parent.');
    expect(queryAll(element, '.level').map((item) => item.textContent.replace(/\s+/g, ' ').trim())).toEqual([
      'Client: Acme Retail UK',
      'Parent: Acme Retail Europe',
      'Top-level parent: Acme Group'
    ]);
    expect(query(element, '.top a').getAttribute('href')).toBe('/lightning/r/Account/001C/view');
    await expect(element).toBeAccessible();
  });

  it('says when the client has no parent', async () => {
    const element = await emit({ ...HIERARCHY, levels: [level('001A', 'Solo Ltd')] });

    expect(text(element, '.top-text')).toBe('The client has no parent account.');
  });

  it('says when the hierarchy goes on above what one read can show', async () => {
    const element = await emit({ ...HIERARCHY, isTop: false, continuesAbove: true });

    expect(text(element, '.top-text')).toBe(
      'The hierarchy goes on above Acme Group: open it to see the top-level parent.'
    );
    expect(query(element, '.top')).toBeNull();
  });

  it('says when a parent is not visible to the user', async () => {
    const element = await emit({ ...HIERARCHY, isTop: false, hidden: true });

    expect(text(element, '.top-text')).toBe('Above Acme Group is an account you do not have access to.');
  });

  it('says when the engagement has no client', async () => {
    const element = await emit({ ...HIERARCHY, levels: [] });

    expect(text(element, '.no-client')).toBe('No client account is set on this engagement.');
    await expect(element).toBeAccessible();
  });

  it('says when the engagement is not available', async () => {
    const element = await emit(null);

    expect(text(element, '.empty')).toContain('not available to you');
  });

  it('shows a load error', async () => {
    const element = render();
    getHierarchy.error({ message: 'boom' });
    await flush();

    expect(query(element, 'c-error-panel').friendlyMessage).toBe("Could not load the client's hierarchy");
    await expect(element).toBeAccessible();
  });
});
