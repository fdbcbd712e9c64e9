import { createElement } from 'lwc';
import DeliveryOutlook from 'c/deliveryOutlook';
import getOutlook from '@salesforce/apex/DeliveryOutlookController.getOutlook';
import { flush, query, queryAll, text, clearDocument } from 'test/jest-utils/dom';

const OUTLOOK = require('./data/outlook.json');
const NO_LINE_ITEMS = require('./data/outlookNoLineItems.json');

jest.mock(
  '@salesforce/apex/DeliveryOutlookController.getOutlook',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true }
);

function render() {
  const element = createElement('c-delivery-outlook', { is: DeliveryOutlook });
  element.recordId = OUTLOOK.opportunityId;
  document.body.appendChild(element);
  return element;
}

async function emit(outlook) {
  const element = render();
  getOutlook.emit(outlook);
  await flush();
  return element;
}

describe('c-delivery-outlook', () => {
  afterEach(() => {
    clearDocument();
    jest.clearAllMocks();
    jest.restoreAllMocks();
  });

  it('shows a spinner until the outlook arrives', async () => {
    const element = render();

    expect(query(element, 'lightning-spinner')).not.toBeNull();
    await expect(element).toBeAccessible();
  });

  it('asks for the outlook of the record it sits on', async () => {
    render();
    await flush();

    expect(getOutlook.getLastConfig()).toEqual({ opportunityId: OUTLOOK.opportunityId });
  });

  it('shows the demand by role and week, hours and weighted hours', async () => {
    const element = await emit(OUTLOOK);

    const headers = queryAll(element, 'thead th').map((th) => th.textContent.trim());
    expect(headers).toEqual(['Role', 'Total (weighted)', 'Nov 23', 'Nov 30']);
    const rows = queryAll(element, 'tbody tr');
    expect(rows.map((row) => row.querySelector('th').textContent)).toEqual(['Business Analyst', 'Developer']);
    const developerCells = [...rows[1].querySelectorAll('td.week')].map((td) => td.textContent.replace(/\s+/g, ' '));
    expect(developerCells).toEqual(['40 (20)', '40 (20)']);
    expect(rows[0].querySelectorAll('td.week')[1].textContent.trim()).toBe('–');
    expect(text(element, '.grand-total')).toBe('120 h (60 h weighted)');
    await expect(element).toBeAccessible();
  });

  it('says the deal cannot be staffed on time, from when it can, and which roles are short', async () => {
    const element = await emit(OUTLOOK);

    expect(query(element, 'lightning-badge').label).toBe('Cannot be staffed on time');
    expect(query(element, 'lightning-badge').className).toContain('slds-theme_error');
    expect(text(element, '.planned-start')).toBe('Nov 23, 2026');
    expect(text(element, '.earliest-start')).toBe('Jan 4, 2027');
    const short = queryAll(element, '.roles-short li').map((li) => li.textContent);
    expect(short).toEqual([
      'Developer: 60 h short (and 48 h already over-committed) from the week of Nov 23; fits from Dec 21, 2026',
      'QA Engineer: 20 h short from the week of Nov 30; fits from Jan 4, 2027'
    ]);
    expect(element.shadowRoot.textContent).toContain('Roles short: Developer and QA Engineer');
    expect(text(element, '.shortfall-split')).toBe(
      "80 h short for this deal's own need; 48 h already over-committed without it."
    );
    expect(query(element, '.start-note')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('says when the demand lines were moved to the expected start, or when there is no expected start', async () => {
    const moved = await emit({
      ...OUTLOOK,
      staffing: { ...OUTLOOK.staffing, startBasis: 'Expected_Start_Shifted', startShiftDays: 14 }
    });
    expect(text(moved, '.start-note')).toBe(
      "Answered for the deal's expected start: its demand lines start 14 days before it, so they were moved to it."
    );
    clearDocument();
    // A deal brought forward: its lines start after the expected start and were moved back to it.
    const forward = await emit({
      ...OUTLOOK,
      staffing: { ...OUTLOOK.staffing, startBasis: 'Expected_Start_Shifted', startShiftDays: -1 }
    });
    expect(text(forward, '.start-note')).toBe(
      "Answered for the deal's expected start: its demand lines start 1 day after it, so they were moved to it."
    );
    clearDocument();
    const fromLines = await emit({ ...OUTLOOK, staffing: { ...OUTLOOK.staffing, startBasis: 'Demand_Lines' } });
    expect(text(fromLines, '.start-note')).toMatch(/^The deal has no expected start: answered for the start of its/);
  });

  it('says when a short role has no start within the horizon, and says nothing of it for older answers', async () => {
    // Apex leaves null properties out: the role without a start arrives without earliestFeasibleStart at all.
    const [developer, qa] = OUTLOOK.staffing.shortfalls;
    const withoutStart = ({ earliestFeasibleStart, ...rest }) => rest; // eslint-disable-line no-unused-vars
    const element = await emit({
      ...OUTLOOK,
      staffing: {
        ...OUTLOOK.staffing,
        shortfalls: [{ ...withoutStart(developer), noStartWithinHorizon: true }, withoutStart(qa)]
      }
    });

    expect(queryAll(element, '.roles-short li').map((li) => li.textContent)).toEqual([
      'Developer: 60 h short (and 48 h already over-committed) from the week of Nov 23; does not fit within the forecast horizon',
      'QA Engineer: 20 h short from the week of Nov 30'
    ]);
  });

  it('says a deal starting after the forecast horizon cannot be answered yet, and lists no roles short', async () => {
    const element = await emit({
      ...OUTLOOK,
      staffing: {
        ...OUTLOOK.staffing,
        answerState: 'Beyond_Horizon',
        staffable: false,
        shortRoles: [],
        shortfalls: [],
        earliestFeasibleStart: null,
        hoursBeyondHorizon: 120
      }
    });

    expect(query(element, 'lightning-badge').label).toBe('Starts after the forecast horizon');
    expect(text(element, '.beyond-horizon')).toMatch(/starts after the forecast horizon, which ends on May 23, 2027/);
    expect(query(element, '.roles-short')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('says which hours of a deal running past the horizon were not checked', async () => {
    const element = await emit({
      ...OUTLOOK,
      staffing: { ...OUTLOOK.staffing, answerState: 'Partly_Beyond_Horizon', hoursBeyondHorizon: 40 }
    });

    expect(query(element, 'lightning-badge').label).toBe('Cannot be staffed on time');
    expect(text(element, '.partly-beyond-horizon')).toMatch(
      /ends on May 23, 2027: only the weeks until then were checked; 40 h after it were not\./
    );
  });

  it('names the skill when the role has hours but its people holding the skill do not', async () => {
    const element = await emit({
      ...OUTLOOK,
      staffing: {
        ...OUTLOOK.staffing,
        shortRoles: [],
        shortSkills: ['Developer / Apex'],
        shortfalls: [
          { role: 'Developer', hours: 10, firstWeek: '2026-11-23' },
          {
            role: 'Developer',
            skill: 'Apex',
            hours: 30,
            overCommittedHours: 8,
            firstWeek: '2026-11-23',
            earliestFeasibleStart: '2026-12-28'
          }
        ]
      }
    });

    // The skill's own split and earliest start, not the role's.
    const short = queryAll(element, '.roles-short li').map((li) => li.textContent);
    expect(short).toEqual([
      'Developer holding Apex: 30 h short (and 8 h already over-committed) from the week of Nov 23; fits from Dec 28, 2026'
    ]);
    expect(element.shadowRoot.textContent).toContain('Roles short: Developer holding Apex');
    await expect(element).toBeAccessible();
  });

  it('says a staffable deal can be staffed and lists no roles short', async () => {
    const element = await emit({
      ...OUTLOOK,
      staffing: { ...OUTLOOK.staffing, staffable: true, shortRoles: [], shortfalls: [], earliestFeasibleStart: null }
    });

    expect(query(element, 'lightning-badge').label).toBe('Can be staffed');
    expect(query(element, '.roles-short')).toBeNull();
    expect(text(element, '.earliest-start')).toBe('Not within the forecast horizon');
  });

  it('links to the engagement and navigates there on click', async () => {
    const element = await emit(OUTLOOK);
    const link = query(element, 'a.engagement-link');

    expect(link.textContent).toBe('Open the engagement Northwind rollout');
    expect(link.getAttribute('href')).toBe('https://www.example.com');
    link.click();
    await expect(element).toBeAccessible();
  });

  it('warns when the forecast is stale', async () => {
    jest.spyOn(Date, 'now').mockReturnValue(new Date('2026-11-21T14:00:00.000Z').getTime());
    const element = await emit({ ...OUTLOOK, forecastStale: true });

    expect(text(element, '.stale')).toMatch(
      /finished 30 h ago, more than 24 hours ago: this answer may be out of date/
    );
    await expect(element).toBeAccessible();
  });

  it('notes when the expected start moved since the answer', async () => {
    const element = await emit({
      ...OUTLOOK,
      expectedStart: '2026-12-07',
      staffing: { ...OUTLOOK.staffing, answeredForOtherStart: true }
    });

    expect(text(element, '.other-start')).toBe(
      'The deal now starts on Dec 7, 2026; the next forecast run will answer for that date.'
    );
  });

  it('tells the user to add products when the deal has none', async () => {
    const element = await emit(NO_LINE_ITEMS);

    expect(text(element, '.no-line-items')).toMatch(/Add products to the opportunity/);
    expect(query(element, 'table')).toBeNull();
    expect(query(element, 'lightning-badge')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('explains when the deal has no engagement yet', async () => {
    const element = await emit({ ...NO_LINE_ITEMS, state: 'noEngagement' });

    expect(text(element, '.no-engagement')).toMatch(/reaches a pipeline stage/);
  });

  it('shows the demand and says the forecast has not answered yet', async () => {
    const element = await emit({ ...OUTLOOK, state: 'notComputed', staffing: null });

    expect(query(element, 'lightning-badge').label).toBe('Not computed yet');
    expect(text(element, '.not-computed')).toMatch(/will at its next run/);
    expect(queryAll(element, 'tbody tr')).toHaveLength(2);
    await expect(element).toBeAccessible();
  });

  it('says a won deal is no longer a question for the forecast', async () => {
    const element = await emit({ ...OUTLOOK, state: 'closed', staffing: null });

    expect(query(element, 'lightning-badge').label).toBe('Deal won');
    expect(text(element, '.closed')).toMatch(/Staff it from its engagement/);
    expect(query(element, '.lost')).toBeNull();
  });

  it('says a lost deal needs no people, without offering to staff it', async () => {
    const element = await emit({ ...OUTLOOK, state: 'lost', staffing: null, stageName: 'Closed Lost', probability: 0 });

    expect(query(element, 'lightning-badge').label).toBe('Deal lost');
    expect(text(element, '.lost')).toMatch(/was lost: its demand was released, so it needs no people/);
    expect(element.shadowRoot.textContent).not.toMatch(/Staff it from its engagement/);
    expect(query(element, '.what-if')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('shows stage, entered probability and forecast age beside the verdict', async () => {
    const element = await emit({
      ...OUTLOOK,
      forecastFinishedAt: new Date(Date.now() - 3 * 3600 * 1000).toISOString()
    });

    expect(text(element, '.deal-context')).toMatch(
      /^Proposal\/Price Quote · 50% entered probability · forecast 3 h ago$/
    );
  });

  it('totals every week over all roles', async () => {
    const element = await emit(OUTLOOK);

    const totals = queryAll(element, 'td.week-total').map((td) => td.textContent.replace(/\s+/g, ' ').trim());
    expect(totals).toEqual(['80 (40)', '40 (20)']);
  });

  it('says which probability weighted hours use', async () => {
    expect(text(await emit(OUTLOOK), '.weighted-note')).toMatch(
      /entered win probability, as the capacity forecast does/
    );
    clearDocument();
    expect(text(await emit({ ...OUTLOOK, probabilitySource: 'calibrated' }), '.weighted-note')).toMatch(
      /forecast weights by the probability calibrated/
    );
  });

  it('says the weeks shown are the ones the answer used when the lines were moved', async () => {
    const moved = {
      ...OUTLOOK,
      demandShiftDays: 14,
      staffing: { ...OUTLOOK.staffing, startBasis: 'Expected_Start_Shifted', startShiftDays: 14 }
    };
    expect(text(await emit(moved), '.demand-weeks-note')).toBe(
      "Weeks shown are the ones the forecast checked: the demand lines moved 14 days later, to the deal's expected start."
    );
    clearDocument();
    expect(query(await emit(OUTLOOK), '.demand-weeks-note')).toBeNull();
  });

  it('tells the user what to do when the deal is not visible', async () => {
    const element = await emit(null);

    expect(text(element, '.empty')).toMatch(/Ask its owner for access/);
    await expect(element).toBeAccessible();
  });

  it('reduces an Apex error to readable text', async () => {
    const element = render();
    getOutlook.error({ message: 'Insufficient permissions: secure query included inaccessible field' });
    await flush();

    const panel = query(element, 'c-error-panel');
    expect(panel.friendlyMessage).toBe('Could not load the delivery outlook');
    expect(panel.shadowRoot.querySelector('[role="alert"]').textContent).toMatch(
      /Insufficient permissions: secure query included inaccessible field/
    );
    await expect(element).toBeAccessible();
  });
});
