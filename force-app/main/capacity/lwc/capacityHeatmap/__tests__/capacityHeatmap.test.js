import { createElement } from 'lwc';
import CapacityHeatmap from 'c/capacityHeatmap';
import getHeatmap from '@salesforce/apex/CapacityHeatmapController.getHeatmap';
import getCellDetail from '@salesforce/apex/CapacityHeatmapController.getCellDetail';
import getScenarios from '@salesforce/apex/CapacityHeatmapController.getScenarios';
import getScenarioHeatmap from '@salesforce/apex/CapacityHeatmapController.getScenarioHeatmap';
import { flush, query, queryAll, clearDocument } from 'test/jest-utils/dom';

const HEATMAP = require('./data/heatmap.json');

// Accessibility checks (axe) over the grid and the dialog take seconds on a shared 2-core machine.
jest.setTimeout(30_000);

jest.mock(
  '@salesforce/apex/CapacityHeatmapController.getHeatmap',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true }
);
jest.mock(
  '@salesforce/apex/CapacityHeatmapController.getScenarios',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true }
);
jest.mock(
  '@salesforce/apex/CapacityHeatmapController.getScenarioHeatmap',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true }
);
jest.mock('@salesforce/apex/CapacityHeatmapController.getCellDetail', () => ({ default: jest.fn() }), {
  virtual: true
});

const DETAIL = {
  dimension: 'Role',
  name: 'Developer',
  weekStart: '2026-11-30',
  lines: [
    {
      demandId: 'a01000000000001AAA',
      role: 'Developer',
      skill: 'Apex',
      hours: 40,
      totalHours: 80,
      probability: 100,
      confirmed: true,
      startDate: '2026-11-30',
      endDate: '2026-12-11',
      engagementId: 'a02000000000001AAA',
      engagementName: 'Acme CRM rollout',
      engagementStatus: 'Active',
      opportunityId: '006000000000001AAA',
      opportunityName: 'Acme CRM rollout',
      stage: 'Closed Won'
    },
    {
      demandId: 'a01000000000002AAA',
      role: 'Developer',
      hours: 30,
      totalHours: 30,
      probability: 40,
      confirmed: false,
      startDate: '2026-11-30',
      endDate: '2026-12-04',
      engagementId: 'a02000000000002AAA',
      engagementName: 'Globex platform',
      engagementStatus: 'Pipeline',
      opportunityId: '006000000000002AAA',
      opportunityName: 'Globex platform',
      stage: 'Proposal/Price Quote'
    }
  ],
  linesTruncated: false,
  assignments: [
    {
      assignmentId: 'a03000000000001AAA',
      resourceId: 'a04000000000001AAA',
      resourceName: 'Ada Lovelace',
      hoursPerWeek: 32,
      bookingType: 'Hard',
      startDate: '2026-11-30',
      endDate: '2026-12-11',
      engagementId: 'a02000000000001AAA',
      engagementName: 'Acme CRM rollout'
    }
  ],
  assignmentsTruncated: false,
  assignmentsVisible: true
};

function render() {
  const element = createElement('c-capacity-heatmap', { is: CapacityHeatmap });
  document.body.appendChild(element);
  return element;
}

const cell = (element, row, col) => query(element, `td[data-row="${row}"][data-col="${col}"]`);
const cellTexts = (element, row) =>
  queryAll(element, `td[data-row="${row}"] .pct`).map((span) => span.textContent.trim());
const gapTexts = (element, row) =>
  queryAll(element, `td[data-row="${row}"] .gap`).map((span) => span.textContent.trim());

async function emit(heatmap) {
  const element = render();
  getHeatmap.emit(heatmap);
  await flush();
  return element;
}

function change(target, value) {
  target.dispatchEvent(new CustomEvent('change', { detail: { value } }));
  return flush();
}

function key(target, name, options = {}) {
  target.dispatchEvent(new KeyboardEvent('keydown', { key: name, bubbles: true, composed: true, ...options }));
  return flush();
}

/** A forecast of `rows` roles over `weeks` weeks, every cell filled. */
function bigHeatmap(rows, weeks) {
  const monday = Date.UTC(2026, 10, 23);
  const weekList = Array.from({ length: weeks }, (_, index) =>
    new Date(monday + index * 7 * 86400000).toISOString().slice(0, 10)
  );
  const layer = (factor) => Array.from({ length: weeks }, (_, index) => (index % 10) * factor);
  return {
    ...HEATMAP,
    horizonWeeks: weeks,
    weeks: weekList,
    rows: Array.from({ length: rows }, (_, index) => ({
      name: `Role ${String(index).padStart(2, '0')}`,
      capacity: Array(weeks).fill(40),
      confirmed: layer(2),
      weighted: layer(4),
      exposure: layer(6),
      tentative: layer(3),
      p50: layer(4),
      p90: layer(5),
      shortageProbability: layer(10)
    }))
  };
}

describe('c-capacity-heatmap', () => {
  afterEach(() => {
    clearDocument();
    jest.clearAllMocks();
    jest.restoreAllMocks();
  });

  it('shows a spinner until the forecast arrives, and asks for 26 weeks of roles', async () => {
    const element = render();
    await flush();

    expect(query(element, 'lightning-spinner')).not.toBeNull();
    expect(getHeatmap.getLastConfig()).toEqual({
      dimension: 'Role',
      horizonWeeks: 26,
      practices: [],
      roles: [],
      skills: []
    });
    await expect(element).toBeAccessible();
  });

  it('shows rows by week, each cell with its utilisation as text and colour', async () => {
    const element = await emit(HEATMAP);

    expect(queryAll(element, 'thead th').map((th) => th.textContent)).toEqual([
      'Role',
      'Nov 232026',
      'Nov 302026',
      'Dec 72026'
    ]);
    expect(queryAll(element, 'thead .week-year').map((span) => span.textContent)).toEqual(['2026', '2026', '2026']);
    expect(queryAll(element, 'tbody th').map((th) => th.textContent)).toEqual(['Developer', 'QA Engineer']);
    expect(cellTexts(element, 0)).toEqual(['75%', '125%', '']);
    expect(cellTexts(element, 1)).toEqual(['50%', '10 h', '75%']);
    // The hours gap beside each percentage: + free, − (minus sign) short.
    expect(gapTexts(element, 0)).toEqual(['+40 h', '\u221240 h', '']);
    expect(gapTexts(element, 1)).toEqual(['+40 h', '\u221210 h', '+20 h']);
    expect(cell(element, 0, 0).className).toContain('cell_busy');
    expect(cell(element, 0, 1).className).toContain('cell_over');
    expect(cell(element, 0, 2).className).toContain('cell_none');
    expect(cell(element, 1, 0).className).toContain('cell_idle');
    // Only the active cell carries its full description; moving focus moves it.
    expect(queryAll(element, 'td[aria-label]')).toEqual([cell(element, 0, 0)]);
    const describe = async (row, col) => {
      cell(element, row, col).dispatchEvent(new FocusEvent('focusin', { bubbles: true, composed: true }));
      await flush();
      expect(queryAll(element, 'td[aria-label]')).toEqual([cell(element, row, col)]);
      return cell(element, row, col).getAttribute('aria-label');
    };
    expect(await describe(0, 1)).toBe(
      'Developer, week of Nov 30, 2026: weighted demand 200 h of 160 h capacity (125%), 40 h short, shortage probability 80%'
    );
    expect(await describe(1, 1)).toBe(
      'QA Engineer, week of Nov 30, 2026: weighted demand 10 h with no capacity, shortage probability 95%'
    );
    expect(await describe(0, 2)).toBe('Developer, week of Dec 7, 2026: no forecast');
    expect(query(element, 'table').getAttribute('aria-label')).toBe(
      'Roles by week: weighted demand as a share of capacity, with the hours free or short'
    );
    expect(query(element, 'table').getAttribute('aria-rowcount')).toBe('3');
    expect(query(element, 'table').getAttribute('aria-colcount')).toBe('4');
    expect(query(element, '.probability-note').textContent).toMatch(/entered on each deal.*\(Entered\)/);
    expect(query(element, '.truncated')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('switches the demand layer without asking Apex again', async () => {
    const element = await emit(HEATMAP);
    const calls = getHeatmap.getLastConfig();

    await change(query(element, 'lightning-radio-group'), 'p90');
    expect(cellTexts(element, 0)).toEqual(['90%', '150%', '']);
    await change(query(element, 'lightning-radio-group'), 'confirmed');
    expect(cellTexts(element, 0)).toEqual(['38%', '63%', '']);
    await change(query(element, 'lightning-radio-group'), 'exposure');
    expect(cellTexts(element, 1)).toEqual(['100%', '20 h', '150%']);
    expect(query(element, 'table').getAttribute('aria-label')).toMatch(/exposure \(all pipeline at 100%\)/);
    expect(getHeatmap.getLastConfig()).toBe(calls);
  });

  it('filters by dimension, horizon, roles and practices through the wire', async () => {
    const element = await emit(HEATMAP);
    const [dimension, horizon] = queryAll(element, 'lightning-combobox');

    const pill = (label) => queryAll(element, '.pills button').find((button) => button.textContent.trim() === label);
    expect(queryAll(element, '.pills button').map((button) => button.textContent.trim())).toEqual([
      'All',
      ...HEATMAP.roleOptions
    ]);
    expect(pill('All').getAttribute('aria-pressed')).toBe('true');
    pill('Developer').click();
    await flush();
    expect(getHeatmap.getLastConfig()).toMatchObject({ dimension: 'Role', roles: ['Developer'] });
    expect(pill('Developer').getAttribute('aria-pressed')).toBe('true');
    expect(pill('All').getAttribute('aria-pressed')).toBe('false');
    await change(horizon, '52');
    expect(getHeatmap.getLastConfig()).toMatchObject({ horizonWeeks: 52 });
    await change(dimension, 'Practice');
    expect(getHeatmap.getLastConfig()).toMatchObject({ dimension: 'Practice' });
    expect(query(element, 'legend').textContent).toMatch(/Practices shown/);
    expect(queryAll(element, '.pills button').map((button) => button.textContent.trim())).toEqual([
      'All',
      ...HEATMAP.practiceOptions
    ]);
    pill('CRM').click();
    await flush();
    expect(getHeatmap.getLastConfig()).toEqual({
      dimension: 'Practice',
      horizonWeeks: 52,
      practices: ['CRM'],
      roles: ['Developer'],
      skills: []
    });
  });

  it('shows the Tentative layer: confirmed work plus soft bookings', async () => {
    const element = await emit(HEATMAP);
    const calls = getHeatmap.getLastConfig();

    await change(query(element, 'lightning-radio-group'), 'tentative');
    // Developer 80 / 160 = 50%, 150 / 160 = 94%; QA 30 / 80 = 38%, 10 h with no capacity, 45 / 80 = 56%.
    expect(cellTexts(element, 0)).toEqual(['50%', '94%', '']);
    expect(cellTexts(element, 1)).toEqual(['38%', '10 h', '56%']);
    expect(query(element, 'table').getAttribute('aria-label')).toBe(
      'Roles by week: tentative demand (confirmed and soft bookings) as a share of capacity, with the hours free or short'
    );
    expect(query(element, 'lightning-radio-group').options.map((option) => option.label)).toEqual([
      'Confirmed',
      'Tentative',
      'Weighted',
      'Exposure',
      'P90'
    ]);
    expect(getHeatmap.getLastConfig()).toBe(calls);
    await expect(element).toBeAccessible();
  });

  it('shows roles by skill with a skill filter and says the rows overlap', async () => {
    const element = await emit(HEATMAP);
    const [dimension] = queryAll(element, 'lightning-combobox');

    await change(dimension, 'Skill');
    expect(getHeatmap.getLastConfig()).toMatchObject({ dimension: 'Skill' });
    getHeatmap.emit({
      ...HEATMAP,
      dimension: 'Skill',
      rows: [{ ...HEATMAP.rows[0], name: 'Developer / Apex' }]
    });
    await flush();
    expect(queryAll(element, '.pills button').map((button) => button.textContent.trim())).toEqual([
      'All',
      ...HEATMAP.skillOptions
    ]);
    expect(query(element, '.skill-note').textContent).toMatch(/never add them up/);
    expect(queryAll(element, 'thead th')[0].textContent).toBe('Role / skill');
    expect(queryAll(element, 'tbody th').map((th) => th.textContent)).toEqual(['Developer / Apex']);
    expect(query(element, 'table').getAttribute('aria-label')).toBe(
      'Roles by skill by week: weighted demand as a share of the capacity of the people holding the skill, with the hours free or short'
    );
    queryAll(element, '.pills button')
      .find((button) => button.textContent.trim() === 'Apex')
      .click();
    await flush();
    expect(getHeatmap.getLastConfig()).toMatchObject({ dimension: 'Skill', skills: ['Apex'] });
    await expect(element).toBeAccessible();
  });

  it('moves focus between cells with the arrow keys (roving tabindex)', async () => {
    const element = await emit(HEATMAP);
    const detail = query(element, '.detail');

    expect(cell(element, 0, 0).tabIndex).toBe(0);
    expect(queryAll(element, 'td[tabindex="0"]')).toHaveLength(1);

    cell(element, 0, 0).focus();
    await key(cell(element, 0, 0), 'ArrowRight');
    expect(cell(element, 0, 1).tabIndex).toBe(0);
    expect(cell(element, 0, 0).tabIndex).toBe(-1);
    expect(element.shadowRoot.activeElement).toBe(cell(element, 0, 1));
    expect(detail.textContent).toMatch(/^Developer, week of Nov 30, 2026: weighted demand 200 h/);

    await key(cell(element, 0, 1), 'ArrowDown');
    expect(element.shadowRoot.activeElement).toBe(cell(element, 1, 1));
    await key(cell(element, 1, 1), 'ArrowDown');
    expect(element.shadowRoot.activeElement).toBe(cell(element, 1, 1));
    await key(cell(element, 1, 1), 'End');
    expect(element.shadowRoot.activeElement).toBe(cell(element, 1, 2));
    await key(cell(element, 1, 2), 'Home', { ctrlKey: true });
    expect(element.shadowRoot.activeElement).toBe(cell(element, 0, 0));
    await key(cell(element, 0, 0), 'ArrowLeft');
    expect(element.shadowRoot.activeElement).toBe(cell(element, 0, 0));
    expect(queryAll(element, 'td[tabindex="0"]')).toHaveLength(1);
    await expect(element).toBeAccessible();
  });

  it('shows capacity, demand and shortage probability of the hovered cell', async () => {
    const element = await emit(HEATMAP);

    cell(element, 1, 2).dispatchEvent(new MouseEvent('mouseover', { bubbles: true, composed: true }));
    await flush();

    expect(query(element, '.detail').textContent).toBe(
      'QA Engineer, week of Dec 7, 2026: weighted demand 60 h of 80 h capacity (75%), 20 h free, shortage probability 20%'
    );
  });

  it('warns when the forecast is stale', async () => {
    jest.spyOn(Date, 'now').mockReturnValue(new Date('2026-11-24T12:00:00.000Z').getTime());
    const element = await emit({ ...HEATMAP, stale: true });

    expect(query(element, '.stale').textContent).toMatch(
      /finished 30 h ago, more than 24 hours ago, so it may be out of date/
    );
    await expect(element).toBeAccessible();
  });

  it('says when no forecast has been computed yet', async () => {
    const element = await emit({ ...HEATMAP, computed: false, weeks: [], rows: [] });

    expect(query(element, '.not-computed').textContent).toMatch(/No capacity forecast yet/);
    expect(query(element, 'table')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('tells the user how to widen filters that match nothing', async () => {
    const element = await emit({ ...HEATMAP, rows: [] });

    expect(query(element, '.no-rows').textContent).toMatch(/Pick other roles, practices or skills \(or All\)/);
    await expect(element).toBeAccessible();
  });

  it('reduces an Apex error to readable text', async () => {
    const element = render();
    getHeatmap.error({ message: 'Unknown heatmap dimension "x": use Role or Practice.' });
    await flush();

    const panel = query(element, 'c-error-panel');
    expect(panel.shadowRoot.textContent).toMatch(/Could not load the capacity forecast.*use Role or Practice/);
    await expect(element).toBeAccessible();
  });

  it('renders only the rows and weeks in view of 60 x 104, and moves the window with the keyboard', async () => {
    const element = render();
    getHeatmap.emit(bigHeatmap(60, 104));
    await flush();

    const rendered = queryAll(element, 'td[role="gridcell"]').length;
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan((60 * 104) / 10);
    expect(query(element, 'table').getAttribute('aria-rowcount')).toBe('61');
    expect(query(element, 'table').getAttribute('aria-colcount')).toBe('105');
    expect(cell(element, 0, 0).getAttribute('aria-colindex')).toBe('2');
    expect(query(element, '.scroll-cue').textContent).toMatch(
      /^Weeks 1 to \d+ of 104 in view: scroll right for more\.$/
    );
    expect(query(element, '.grid-scroll').className).toContain('more-right');
    expect(cell(element, 59, 103)).toBeNull();

    cell(element, 0, 0).focus();
    await key(cell(element, 0, 0), 'End', { ctrlKey: true });
    await flush();
    expect(element.shadowRoot.activeElement).toBe(cell(element, 59, 103));
    expect(cell(element, 59, 103).querySelector('.pct').textContent).toBe('30%');
    expect(cell(element, 0, 0)).toBeNull();
    expect(queryAll(element, 'td[tabindex="0"]')).toHaveLength(1);

    await change(query(element, 'lightning-radio-group'), 'p90');
    expect(cell(element, 59, 103).querySelector('.pct').textContent).toBe('38%');
    expect(getHeatmap.getLastConfig()).toMatchObject({ horizonWeeks: 26 });
  }, 60_000);

  it('offers only the horizons the forecast computed', async () => {
    const element = await emit({ ...HEATMAP, horizonWeeks: 13, computedHorizonWeeks: 20 });
    const horizon = queryAll(element, 'lightning-combobox')[1];

    expect(horizon.options.map((option) => option.value)).toEqual(['13', '20']);
    expect(horizon.value).toBe('13');
    expect(horizon.fieldLevelHelp).toBe('The current forecast covers 20 weeks.');
  });

  it('says "not computed" for P90 where the simulation did not run, and why P90 can exceed Exposure', async () => {
    const practice = { ...HEATMAP.rows[0], name: 'CRM', role: null, p90: [null, null, null] };
    const element = await emit({ ...HEATMAP, dimension: 'Practice', rows: [practice] });
    await change(queryAll(element, 'lightning-combobox')[0], 'Practice');

    await change(query(element, 'lightning-radio-group'), 'p90');
    expect(cellTexts(element, 0)).toEqual(['not', 'not', '']);
    expect(gapTexts(element, 0)).toEqual(['computed', 'computed', '']);
    expect(cell(element, 0, 0).className).toBe('cell cell_none cell_not-computed');
    expect(query(element, '.p90-note').textContent).toMatch(/can exceed its Exposure.*role rows only/);
    expect(cell(element, 0, 0).getAttribute('aria-label')).toBe(
      'CRM, week of Nov 23, 2026: P90 demand not computed for this row'
    );
    await expect(element).toBeAccessible();
  });

  it('says so when rows were cut at the cell limit, and which probability Weighted uses', async () => {
    const element = await emit({ ...HEATMAP, truncated: true, maxCells: 12000, probabilitySource: 'calibrated' });

    expect(query(element, '.truncated').textContent).toBe(
      'Only the first 2 rows are shown: these filters match more than 12,000 forecast cells. Choose fewer roles or a shorter horizon to see the others.'
    );
    expect(query(element, '.probability-note').textContent).toMatch(/calibrated win probability.*\(Calibrated\)/);
    await expect(element).toBeAccessible();
  });

  it('opens the deals, engagements and bookings behind a cell on Enter, and gives focus back on Escape', async () => {
    getCellDetail.mockResolvedValue(DETAIL);
    const element = await emit({ ...HEATMAP, rows: [{ ...HEATMAP.rows[0], role: 'Developer' }, HEATMAP.rows[1]] });

    cell(element, 0, 1).focus();
    await key(cell(element, 0, 1), 'Enter');
    await flush();
    expect(getCellDetail).toHaveBeenCalledWith({
      dimension: 'Role',
      name: 'Developer',
      skill: null,
      weekStart: '2026-11-30'
    });
    const dialog = query(element, 'section[role="dialog"]');
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(query(element, '.slds-modal__title').textContent).toBe('Developer, week of Nov 30, 2026');
    const rows = queryAll(element, 'table.detail-lines tbody tr').map((tr) =>
      [...tr.querySelectorAll('th, td')].map((td) => td.textContent.trim())
    );
    expect(rows).toEqual([
      ['Acme CRM rollout', 'Acme CRM rollout', 'Developer / Apex', 'Closed Won (Confirmed)', '100%', '40 h'],
      ['Globex platform', 'Globex platform', 'Developer', 'Proposal/Price Quote (Pipeline)', '40%', '30 h']
    ]);
    expect(query(element, 'table.detail-lines a').getAttribute('href')).toBe(
      '/lightning/r/Opportunity/006000000000001AAA/view'
    );
    expect(query(element, '.lines-total').textContent).toBe(
      '2 demand lines: 40 h confirmed and 30 h of pipeline at 100% this week.'
    );
    expect(queryAll(element, 'table.detail-bookings tbody tr').map((tr) => tr.textContent)).toEqual([
      'Ada LovelaceAcme CRM rolloutHard32 h a week'
    ]);
    expect(element.shadowRoot.activeElement).toBe(query(element, 'button.close'));
    await expect(element).toBeAccessible();

    // Tab from the last focusable element wraps to the first; Shift+Tab from the first to the last.
    const focusable = queryAll(element, '.detail-dialog a[href], .detail-dialog button');
    focusable[focusable.length - 1].focus();
    await key(focusable[focusable.length - 1], 'Tab');
    expect(element.shadowRoot.activeElement).toBe(focusable[0]);
    await key(focusable[0], 'Tab', { shiftKey: true });
    expect(element.shadowRoot.activeElement).toBe(focusable[focusable.length - 1]);

    await key(dialog, 'Escape');
    await flush();
    expect(query(element, 'section[role="dialog"]')).toBeNull();
    expect(element.shadowRoot.activeElement).toBe(cell(element, 0, 1));
  });

  it('opens a cell on click, says when bookings are not readable, and reduces a drill-down error to text', async () => {
    getCellDetail.mockResolvedValueOnce({ ...DETAIL, lines: [], assignments: [], assignmentsVisible: false });
    const skillRow = { ...HEATMAP.rows[0], name: 'Developer / Apex', role: 'Developer', skill: 'Apex' };
    const element = await emit({ ...HEATMAP, dimension: 'Skill', rows: [skillRow] });
    await change(queryAll(element, 'lightning-combobox')[0], 'Skill');

    cell(element, 0, 0).click();
    await flush();
    expect(getCellDetail).toHaveBeenLastCalledWith({
      dimension: 'Skill',
      name: 'Developer',
      skill: 'Apex',
      weekStart: '2026-11-23'
    });
    expect(query(element, '.no-lines').textContent).toMatch(/No demand lines/);
    expect(query(element, '.bookings-hidden').textContent).toMatch(/do not include bookings/);
    query(element, 'button.close').click();
    await flush();
    expect(query(element, 'section[role="dialog"]')).toBeNull();

    getCellDetail.mockRejectedValueOnce({ body: { message: 'Choose a heatmap row: the skill of "x" is missing.' } });
    cell(element, 0, 1).click();
    await flush();
    expect(query(element, '.detail-dialog c-error-panel')).not.toBeNull();
    await expect(element).toBeAccessible();
  });

  it('shows a spinner in the dialog while a cell loads', async () => {
    getCellDetail.mockReturnValue(new Promise(() => {}));
    const element = await emit(HEATMAP);

    cell(element, 0, 0).click();
    await flush();
    expect(query(element, '.detail-dialog lightning-spinner')).not.toBeNull();
  });

  describe('beside a scenario', () => {
    const SCENARIOS = [
      { id: 'a05000000000001AAA', name: 'Win Globex', current: true, status: 'Completed' },
      { id: 'a05000000000002AAA', name: 'Old plan', current: false, status: 'Completed' }
    ];

    it('offers no picker when there are no computed scenarios', async () => {
      const element = await emit(HEATMAP);
      getScenarios.emit([]);
      await flush();
      expect(queryAll(element, 'lightning-combobox').map((box) => box.name)).toEqual(['dimension', 'horizon']);
    });

    it('shows scenario minus forecast hours per cell for the layer, and says which scenario', async () => {
      const element = await emit(HEATMAP);
      getScenarios.emit(SCENARIOS);
      await flush();
      const picker = queryAll(element, 'lightning-combobox').find((box) => box.name === 'scenario');
      expect(picker.options.map((option) => option.label)).toEqual([
        'None: the forecast only',
        'Win Globex',
        'Old plan (needs a recompute)'
      ]);

      await change(picker, SCENARIOS[0].id);
      expect(getScenarioHeatmap.getLastConfig()).toEqual({
        scenarioId: SCENARIOS[0].id,
        dimension: 'Role',
        horizonWeeks: 26,
        practices: [],
        roles: [],
        skills: []
      });
      getScenarioHeatmap.emit({
        scenario: SCENARIOS[0],
        dimension: 'Role',
        needsRecompute: false,
        weeks: HEATMAP.weeks,
        rows: [{ ...HEATMAP.rows[0], weighted: [144, 200, null] }]
      });
      await flush();

      // Developer: 144 - 120 = +24 h, 200 - 200 = 0; QA Engineer has no scenario row.
      expect(cellTexts(element, 0)).toEqual(['75%', '125%', '']);
      expect(gapTexts(element, 0)).toEqual(['\u0394 +24 h', '\u0394 0 h', '']);
      expect(gapTexts(element, 1)).toEqual(['\u0394 n/a', '\u0394 n/a', '\u0394 n/a']);
      expect(cell(element, 0, 0).className).toContain('cell_changed');
      expect(cell(element, 0, 1).className).not.toContain('cell_changed');
      expect(query(element, '.scenario-note').textContent).toMatch(/scenario "Win Globex" minus the forecast's/);
      expect(cell(element, 0, 0).getAttribute('aria-label')).toMatch(
        /; scenario "Win Globex": 144 h, 24 h more than the forecast$/
      );
      await change(query(element, 'lightning-radio-group'), 'exposure');
      expect(gapTexts(element, 0)).toEqual(['\u0394 0 h', '\u0394 0 h', '']);
      await expect(element).toBeAccessible();

      await change(picker, '');
      expect(gapTexts(element, 0)).toEqual(['\u221280 h', '\u2212240 h', '']);
    });

    it('asks for a recompute when the scenario was computed on an earlier run', async () => {
      const element = await emit(HEATMAP);
      getScenarios.emit(SCENARIOS);
      await flush();
      await change(
        queryAll(element, 'lightning-combobox').find((box) => box.name === 'scenario'),
        SCENARIOS[1].id
      );
      getScenarioHeatmap.emit({ scenario: SCENARIOS[1], needsRecompute: true, weeks: [], rows: [] });
      await flush();

      expect(query(element, '.recompute').textContent).toMatch(/"Old plan" was computed on an earlier forecast run/);
      expect(gapTexts(element, 0)).toEqual(['+40 h', '\u221240 h', '']);
      await expect(element).toBeAccessible();
    });
  });
});
