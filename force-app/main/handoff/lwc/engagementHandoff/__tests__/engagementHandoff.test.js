import { createElement } from 'lwc';
import EngagementHandoff from 'c/engagementHandoff';
import getHandoff from '@salesforce/apex/HandoffController.getHandoff';
import updateChecklistItem from '@salesforce/apex/HandoffController.updateChecklistItem';
import { refreshApex } from '@salesforce/apex';
import { flush, query, queryAll, text, clearDocument } from 'test/jest-utils/dom';

const HANDOFF = require('./data/handoff.json');

jest.mock(
  '@salesforce/apex/HandoffController.getHandoff',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true }
);
jest.mock('@salesforce/apex/HandoffController.updateChecklistItem', () => ({ default: jest.fn() }), {
  virtual: true
});
jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });

function render() {
  const element = createElement('c-engagement-handoff', { is: EngagementHandoff });
  element.recordId = HANDOFF.sold.engagementId;
  document.body.appendChild(element);
  return element;
}

async function emit(handoff) {
  const element = render();
  getHandoff.emit(handoff);
  await flush();
  return element;
}

describe('c-engagement-handoff', () => {
  afterEach(() => {
    clearDocument();
    jest.clearAllMocks();
  });

  it('shows a spinner until the handoff arrives', async () => {
    const element = render();

    expect(query(element, 'lightning-spinner')).not.toBeNull();
    await expect(element).toBeAccessible();
  });

  it('shows what was sold', async () => {
    const element = await emit(HANDOFF);

    expect(getHandoff.getLastConfig()).toEqual({ engagementId: HANDOFF.sold.engagementId });
    expect(text(element, '.client')).toBe('Northwind Advisory');
    expect(text(element, '.status')).toBe('Active · Billable');
    expect(query(element, '.value lightning-formatted-number').value).toBe(250000);
    expect(text(element, '.billing')).toBe('Fixed Fee');
    expect(text(element, '.dates')).toBe('Nov 23, 2026 – Feb 26, 2027');
    expect(text(element, '.lead')).toBe('Priya Shah');
    await expect(element).toBeAccessible();
  });

  it('lists the phases and the changes since the handoff, newest first', async () => {
    const element = await emit(HANDOFF);

    expect(queryAll(element, '.phases tbody th').map((th) => th.textContent)).toEqual(['Discovery', 'Build']);
    const changes = queryAll(element, '.change p:first-child').map((p) => p.textContent.replace(/\s+/g, ' ').trim());
    expect(changes).toEqual(['Expected Start: 2026-11-16 → 2026-11-23', 'Contract Value: 200000 → 250000']);
    expect(text(element, '.change .slds-text-color_weak')).toMatch(/^Sam Rep, /);
  });

  it('shows the checklist with its completeness', async () => {
    const element = await emit(HANDOFF);

    expect(text(element, '.completeness')).toBe('1 of 3 done (33%)');
    expect(query(element, 'lightning-progress-bar').value).toBe(33);
    const boxes = queryAll(element, 'lightning-input');
    expect(boxes.map((box) => [box.label, box.checked])).toEqual([
      ['Promises beyond the contract?', true],
      ['Client contacts and decision makers?', false],
      ['Risks seen in the sale?', false]
    ]);
    expect(queryAll(element, 'lightning-textarea')[0].value).toBe('Two extra training days.');
    await expect(element).toBeAccessible();
  });

  it('ticks an item in user mode and refreshes the handoff', async () => {
    updateChecklistItem.mockResolvedValue(undefined);
    const element = await emit(HANDOFF);
    const toast = jest.fn();
    element.addEventListener('lightning__showtoast', toast);

    const box = queryAll(element, 'lightning-input')[1];
    box.checked = true;
    box.dispatchEvent(new CustomEvent('change'));
    await flush();

    expect(updateChecklistItem).toHaveBeenCalledWith({ itemId: 'a0E000000000002AAA', done: true, answer: null });
    expect(refreshApex).toHaveBeenCalledTimes(1);
    expect(toast.mock.calls[0][0].detail.variant).toBe('success');
  });

  it('saves an edited answer with the item state', async () => {
    updateChecklistItem.mockResolvedValue(undefined);
    const element = await emit(HANDOFF);
    const [, area] = queryAll(element, 'lightning-textarea');
    const [, button] = queryAll(element, 'lightning-button');
    expect(button.disabled).toBe(true);

    area.dispatchEvent(new CustomEvent('change', { detail: { value: 'Maria Lopez (CIO) decides.' } }));
    await flush();
    expect(button.disabled).toBe(false);
    button.click();
    await flush();

    expect(updateChecklistItem).toHaveBeenCalledWith({
      itemId: 'a0E000000000002AAA',
      done: false,
      answer: 'Maria Lopez (CIO) decides.'
    });
    expect(refreshApex).toHaveBeenCalledTimes(1);
  });

  it('explains why an item was not saved', async () => {
    updateChecklistItem.mockRejectedValue({
      body: { message: 'The checklist item was not saved: insufficient access rights on object id' }
    });
    const element = await emit(HANDOFF);

    const box = queryAll(element, 'lightning-input')[2];
    box.checked = true;
    box.dispatchEvent(new CustomEvent('change'));
    await flush();

    const panel = query(element, '.checklist c-error-panel');
    expect(panel.friendlyMessage).toBe('The checklist item was not saved');
    expect(panel.shadowRoot.textContent).toMatch(/insufficient access rights/);
    expect(refreshApex).not.toHaveBeenCalled();
    await expect(element).toBeAccessible();
  });

  it('shows the quality score and the notes', async () => {
    const element = await emit(HANDOFF);

    expect(text(element, '.quality-score')).toBe('4 / 5');
    expect(text(element, '.quality-notes')).toMatch(/one promise was missing/);
  });

  it('says when the handoff can be scored', async () => {
    const notYet = await emit({
      ...HANDOFF,
      quality: { score: null, notes: null, scorableFrom: '2027-02-21', scorable: false }
    });
    expect(text(notYet, '.quality-score')).toBe(
      'Not scored yet. The handoff can be rated from Feb 21, 2027, 90 days after the deal was won.'
    );

    const due = await emit({
      ...HANDOFF,
      quality: { score: null, notes: null, scorableFrom: '2026-11-01', scorable: true }
    });
    expect(text(due, '.quality-score')).toMatch(/Rate the handoff from 1 to 5/);
  });

  it('compares demand with assignments by role', async () => {
    const element = await emit(HANDOFF);

    const rows = queryAll(element, '.coverage table.by-role tbody tr').map((row) =>
      [...row.children].map((cell) => cell.textContent.trim())
    );
    expect(rows).toEqual([
      ['Developer', '80 h', '40 h', '40 h to staff', 'Ada Lovelace'],
      ['QA Engineer', '40 h', '40 h', 'Covered', 'Grace Hopper and Linus Pauling']
    ]);
  });

  it('tells the user what to do when a pipeline engagement has nothing yet', async () => {
    const element = await emit({
      ...HANDOFF,
      sold: { ...HANDOFF.sold, status: 'Pipeline', billable: false, handedOffAt: null },
      phases: [],
      changes: [],
      checklist: { items: [], done: 0, answered: 0, total: 0, completeness: 0 },
      quality: { score: null, notes: null, scorableFrom: null, scorable: false },
      coverage: [],
      weeks: [],
      nextGap: null
    });

    expect(text(element, '.status')).toBe('Pipeline · Non-billable (pipeline)');
    expect(text(element, '.handed-off')).toBe('Not yet: the deal is not won');
    expect(text(element, '.no-phases')).toMatch(/add products to the opportunity/);
    expect(query(element, '.changes')).toBeNull(); // no handoff yet, so no changes since it
    expect(text(element, '.tentative')).toMatch(/^Tentative: a pipeline placeholder for a deal not won yet/);
    expect(text(element, '.no-checklist')).toMatch(/created when the deal is won/);
    expect(text(element, '.no-coverage')).toMatch(/assign people/);
    expect(text(element, '.quality-score')).toBe('The handoff is rated 90 days after the deal is won.');
    await expect(element).toBeAccessible();
  });

  it('puts demand against assignments by week at the top, with the date the next gap bites', async () => {
    const element = await emit(HANDOFF);

    const sections = queryAll(element, 'section').map((section) => section.className.split(' ').pop());
    expect(sections[0]).toBe('coverage');
    expect(text(element, '.next-gap')).toBe('Next gap: Nov 25, 2026 (Developer, 20 h)');
    expect(queryAll(element, 'table.weekly thead th').map((th) => th.textContent)).toEqual([
      'Role (assigned/demand h)',
      'Nov 23',
      'Nov 30'
    ]);
    const cells = queryAll(element, 'table.weekly tbody td');
    expect(cells.map((cell) => cell.querySelector('span').textContent)).toEqual(['20/40', '20/40', '20/20', '20/20']);
    expect(cells[0].className).toBe('week-cell week-cell_short');
    expect(cells[2].className).toBe('week-cell');
    expect(cells[0].title).toBe('Developer, week of Nov 23: 20 h assigned of 40 h demand, short');
    expect(query(element, '.tentative')).toBeNull();
    expect(text(element, '.no-changes')).toBeUndefined(); // handed off, with changes listed
    await expect(element).toBeAccessible();

    const covered = await emit({ ...HANDOFF, nextGap: null });
    expect(text(covered, '.next-gap')).toBe('No gap ahead: assignments cover every week of demand from this week on.');
  });

  it('counts an item answered only when an answer is recorded', async () => {
    const element = await emit({
      ...HANDOFF,
      checklist: {
        ...HANDOFF.checklist,
        answered: 1,
        items: [
          { ...HANDOFF.checklist.items[0], answer: null, answered: false },
          { ...HANDOFF.checklist.items[1], answer: 'Maria Lopez (CIO).', answered: true },
          HANDOFF.checklist.items[2]
        ]
      }
    });

    expect(text(element, '.answered')).toBe('1 of 3 answered');
    expect(queryAll(element, '.answer-state').map((state) => state.textContent)).toEqual([
      'Ticked, no answer recorded',
      'Answered',
      'Not answered'
    ]);
  });

  it('collapses the checklist and remembers it for the session', async () => {
    window.sessionStorage.clear();
    const element = await emit(HANDOFF);
    const toggle = query(element, 'button.checklist-toggle');
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(query(element, '.checklist-body').hidden).toBe(false);

    toggle.click();
    await flush();
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(query(element, '.checklist-body').hidden).toBe(true);
    await expect(element).toBeAccessible();

    // The same engagement opened again in this session starts collapsed.
    clearDocument();
    const again = await emit(HANDOFF);
    expect(query(again, 'button.checklist-toggle').getAttribute('aria-expanded')).toBe('false');
    query(again, 'button.checklist-toggle').click();
    await flush();
    expect(query(again, '.checklist-body').hidden).toBe(false);
    expect(window.sessionStorage.getItem(`handoff.checklistCollapsed.${HANDOFF.sold.engagementId}`)).toBe('false');
  });

  it('tells the user what to do when the engagement is not visible', async () => {
    const element = await emit(null);

    expect(text(element, '.empty')).toMatch(/Ask its delivery lead for access/);
    await expect(element).toBeAccessible();
  });

  it('reduces an Apex error to readable text', async () => {
    const element = render();
    getHandoff.error({ message: 'Insufficient access to Handoff_Checklist_Item__c' });
    await flush();

    const panel = query(element, 'c-error-panel');
    expect(panel.shadowRoot.querySelector('[role="alert"]').textContent).toMatch(
      /Could not load the handoff.*Insufficient access to Handoff_Checklist_Item__c/
    );
    await expect(element).toBeAccessible();
  });
});
