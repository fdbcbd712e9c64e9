import { createElement } from 'lwc';
import CapacityHeatmap from 'c/capacityHeatmap';
import getHeatmap from '@salesforce/apex/CapacityHeatmapController.getHeatmap';
import { flush, query, queryAll, clearDocument } from 'test/jest-utils/dom';

const HEATMAP = require('./data/heatmap.json');

jest.mock(
  '@salesforce/apex/CapacityHeatmapController.getHeatmap',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true }
);

function render() {
  const element = createElement('c-capacity-heatmap', { is: CapacityHeatmap });
  document.body.appendChild(element);
  return element;
}

const cell = (element, row, col) => query(element, `td[data-row="${row}"][data-col="${col}"]`);
const cellTexts = (element, row) => queryAll(element, `td[data-row="${row}"]`).map((td) => td.textContent.trim());

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

    expect(queryAll(element, 'thead th').map((th) => th.textContent)).toEqual(['Role', 'Nov 23', 'Nov 30', 'Dec 7']);
    expect(queryAll(element, 'tbody th').map((th) => th.textContent)).toEqual(['Developer', 'QA Engineer']);
    expect(cellTexts(element, 0)).toEqual(['75%', '125%', '']);
    expect(cellTexts(element, 1)).toEqual(['50%', '10 h', '75%']);
    expect(cell(element, 0, 0).className).toContain('cell_busy');
    expect(cell(element, 0, 1).className).toContain('cell_over');
    expect(cell(element, 0, 2).className).toContain('cell_none');
    expect(cell(element, 1, 0).className).toContain('cell_low');
    // Only the active cell carries its full description; moving focus moves it.
    expect(queryAll(element, 'td[aria-label]')).toEqual([cell(element, 0, 0)]);
    const describe = async (row, col) => {
      cell(element, row, col).dispatchEvent(new FocusEvent('focusin', { bubbles: true, composed: true }));
      await flush();
      expect(queryAll(element, 'td[aria-label]')).toEqual([cell(element, row, col)]);
      return cell(element, row, col).getAttribute('aria-label');
    };
    expect(await describe(0, 1)).toBe(
      'Developer, week of Nov 30, 2026: weighted demand 200 h of 160 h capacity (125%), shortage probability 80%'
    );
    expect(await describe(1, 1)).toBe(
      'QA Engineer, week of Nov 30, 2026: weighted demand 10 h with no capacity, shortage probability 95%'
    );
    expect(await describe(0, 2)).toBe('Developer, week of Dec 7, 2026: no forecast');
    expect(query(element, 'table').getAttribute('aria-label')).toBe(
      'Roles by week: weighted demand as a share of capacity'
    );
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

    await change(query(element, 'lightning-dual-listbox'), ['Developer']);
    expect(getHeatmap.getLastConfig()).toMatchObject({ dimension: 'Role', roles: ['Developer'] });
    await change(horizon, '52');
    expect(getHeatmap.getLastConfig()).toMatchObject({ horizonWeeks: 52 });
    await change(dimension, 'Practice');
    expect(getHeatmap.getLastConfig()).toMatchObject({ dimension: 'Practice' });
    const practices = query(element, 'lightning-dual-listbox');
    expect(practices.name).toBe('practices');
    expect(practices.options.map((option) => option.value)).toEqual(HEATMAP.practiceOptions);
    await change(practices, ['CRM']);
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
      'Roles by week: tentative demand (confirmed and soft bookings) as a share of capacity'
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
    const skills = query(element, 'lightning-dual-listbox');
    expect(skills.name).toBe('skills');
    expect(skills.options.map((option) => option.value)).toEqual(HEATMAP.skillOptions);
    expect(query(element, '.skill-note').textContent).toMatch(/never add them up/);
    expect(queryAll(element, 'thead th')[0].textContent).toBe('Role / skill');
    expect(queryAll(element, 'tbody th').map((th) => th.textContent)).toEqual(['Developer / Apex']);
    expect(query(element, 'table').getAttribute('aria-label')).toBe(
      'Roles by skill by week: weighted demand as a share of the capacity of the people holding the skill'
    );
    await change(skills, ['Apex']);
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
      'QA Engineer, week of Dec 7, 2026: weighted demand 60 h of 80 h capacity (75%), shortage probability 20%'
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

    expect(query(element, '.no-rows').textContent).toMatch(/Clear the role, practice or skill selection/);
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

  it('renders 60 rows x 104 weeks from one Apex call; focus and hover touch only the cells involved', async () => {
    const element = render();
    getHeatmap.emit(bigHeatmap(60, 104));
    await flush();

    expect(queryAll(element, 'td[role="gridcell"]')).toHaveLength(60 * 104);
    expect(queryAll(element, 'td[tabindex="0"]')).toHaveLength(1);
    expect(cell(element, 59, 103).textContent.trim()).toBe('30%');
    const mutations = [];
    const observer = new MutationObserver((records) => mutations.push(...records));
    observer.observe(query(element, 'table'), { attributes: true, childList: true, subtree: true });

    cell(element, 30, 50).focus();
    await key(cell(element, 30, 50), 'ArrowRight');
    cell(element, 10, 10).dispatchEvent(new MouseEvent('mouseover', { bubbles: true, composed: true }));
    await flush();
    observer.disconnect();
    expect(element.shadowRoot.activeElement).toBe(cell(element, 30, 51));
    expect(query(element, '.detail').textContent).toMatch(/^Role 10, week of Feb 1, 2027/);
    const touched = new Set(mutations.map((record) => `${record.target.dataset.row}-${record.target.dataset.col}`));
    expect([...touched].sort()).toEqual(['0-0', '30-50', '30-51']);
    // Focus moves the roving tabindex and the active cell's description; nothing else in the grid changes.
    expect(mutations.every((record) => ['tabindex', 'aria-label'].includes(record.attributeName))).toBe(true);

    await change(query(element, 'lightning-radio-group'), 'p90');
    expect(cell(element, 59, 103).textContent.trim()).toBe('38%');
    expect(queryAll(element, 'td[role="gridcell"]')).toHaveLength(60 * 104);
    expect(getHeatmap.getLastConfig()).toMatchObject({ horizonWeeks: 26 });
    // 6,240 cells rendered in jsdom: seconds of CPU, more on a shared machine than jest's 5 s default allows.
  }, 60_000);
});
