import { LightningElement, wire } from 'lwc';
import getHeatmap from '@salesforce/apex/CapacityHeatmapController.getHeatmap';
import { formatAge, formatDate, formatHours, formatWeek } from 'c/handoffFormat';

/** The demand layers the forecast publishes; each is compared with capacity. */
const LAYERS = [
  { label: 'Confirmed', value: 'confirmed', noun: 'confirmed demand' },
  { label: 'Tentative', value: 'tentative', noun: 'tentative demand (confirmed and soft bookings)' },
  { label: 'Weighted', value: 'weighted', noun: 'weighted demand' },
  { label: 'Exposure', value: 'exposure', noun: 'exposure (all pipeline at 100%)' },
  { label: 'P90', value: 'p90', noun: 'P90 demand' }
];
const DIMENSIONS = [
  { label: 'Roles', value: 'Role' },
  { label: 'Practices', value: 'Practice' },
  { label: 'Roles by skill', value: 'Skill' }
];
const HORIZONS = [13, 26, 52, 104].map((weeks) => ({ label: `${weeks} weeks`, value: String(weeks) }));
/** Utilisation bands, by upper bound; colour is never the only signal: every cell shows its percentage. */
const BANDS = [
  { max: 0.7, className: 'cell cell_low', label: 'Under 70%' },
  { max: 0.9, className: 'cell cell_busy', label: '70 to 90%' },
  { max: 1, className: 'cell cell_full', label: '90 to 100%' },
  { max: Infinity, className: 'cell cell_over', label: 'Over 100%: demand exceeds capacity' }
];
const EMPTY_CELL = 'cell cell_none';
const KEY_MOVES = { ArrowRight: [0, 1], ArrowLeft: [0, -1], ArrowDown: [1, 0], ArrowUp: [-1, 0] };

const isBlank = (value) => value === null || value === undefined;

/**
 * Capacity heatmap: roles (or practices, or roles by skill) by weeks from the current forecast slot, coloured by utilisation (demand of
 * the chosen layer divided by capacity). One Apex call per filter change; cells are plain objects computed once per
 * data or layer change, and focus moves between cells without re-rendering the grid (roving tabindex set on the DOM),
 * so 60 rows x 104 weeks stay responsive.
 */
export default class CapacityHeatmap extends LightningElement {
  dimension = 'Role';
  horizonWeeks = 26;
  selectedRoles = [];
  selectedPractices = [];
  selectedSkills = [];
  layer = 'weighted';

  heatmap;
  error;
  loaded = false;
  columns = [];
  rows = [];

  /** The cell that holds tabindex 0; not used by the template, so moving it never re-renders. */
  activeRow = 0;
  activeCol = 0;

  layerOptions = LAYERS.map(({ label, value }) => ({ label, value }));
  dimensionOptions = DIMENSIONS;
  horizonOptions = HORIZONS;
  legend = BANDS.map((band) => ({
    key: band.className,
    className: `swatch ${band.className.replace('cell ', '')}`,
    label: band.label
  }));

  @wire(getHeatmap, {
    dimension: '$dimension',
    horizonWeeks: '$horizonWeeks',
    practices: '$selectedPractices',
    roles: '$selectedRoles',
    skills: '$selectedSkills'
  })
  receive({ data, error }) {
    if (data !== undefined || error !== undefined) this.loaded = true;
    this.heatmap = data ?? undefined;
    this.error = error;
    this.buildGrid();
  }

  renderedCallback() {
    this.placeRovingTabindex();
    this.labelActiveCell();
  }

  /**
   * Only the active cell carries its long description as aria-label (set on the DOM, no re-render); the others read
   * as their value under their row and column headers.
   */
  labelActiveCell() {
    const active = this.cellElement(this.activeRow, this.activeCol);
    this.template.querySelectorAll('td[aria-label]').forEach((cell) => {
      if (cell !== active) cell.removeAttribute('aria-label');
    });
    if (active) active.setAttribute('aria-label', this.labelOf(this.activeRow, this.activeCol));
  }

  get isLoading() {
    return !this.loaded;
  }

  get isNotComputed() {
    return this.loaded && !this.error && !this.heatmap?.computed;
  }

  get hasRows() {
    return this.rows.length > 0;
  }

  get isRoleDimension() {
    return this.dimension === 'Role';
  }

  get isSkillDimension() {
    return this.dimension === 'Skill';
  }

  get horizonValue() {
    return String(this.horizonWeeks);
  }

  get roleOptions() {
    return (this.heatmap?.roleOptions ?? []).map((role) => ({ label: role, value: role }));
  }

  get practiceOptions() {
    return (this.heatmap?.practiceOptions ?? []).map((practice) => ({ label: practice, value: practice }));
  }

  get skillOptions() {
    return (this.heatmap?.skillOptions ?? []).map((skill) => ({ label: skill, value: skill }));
  }

  get layerNoun() {
    return LAYERS.find((layer) => layer.value === this.layer).noun;
  }

  get gridLabel() {
    const rows = { Role: 'Roles', Practice: 'Practices', Skill: 'Roles by skill' }[this.dimension];
    const capacity = this.isSkillDimension ? 'the capacity of the people holding the skill' : 'capacity';
    return `${rows} by week: ${this.layerNoun} as a share of ${capacity}`;
  }

  get rowHeader() {
    return { Role: 'Role', Practice: 'Practice', Skill: 'Role / skill' }[this.dimension];
  }

  get isStale() {
    return Boolean(this.heatmap?.computed && this.heatmap.stale);
  }

  get staleMessage() {
    return `This forecast finished ${formatAge(this.heatmap.finishedAt)}, more than ${this.heatmap.staleAfterHours} hours ago, so it may be out of date. The Forecast Health panel says why the capacity service has not run since.`;
  }

  get forecastAge() {
    return this.heatmap?.finishedAt ? `Forecast from ${formatAge(this.heatmap.finishedAt)}` : '';
  }

  handleDimensionChange(event) {
    this.dimension = event.detail.value;
    this.resetActiveCell();
  }

  handleHorizonChange(event) {
    this.horizonWeeks = Number(event.detail.value);
  }

  handleRolesChange(event) {
    this.selectedRoles = [...event.detail.value];
    this.resetActiveCell();
  }

  handlePracticesChange(event) {
    this.selectedPractices = [...event.detail.value];
    this.resetActiveCell();
  }

  handleSkillsChange(event) {
    this.selectedSkills = [...event.detail.value];
    this.resetActiveCell();
  }

  handleLayerChange(event) {
    this.layer = event.detail.value;
    this.buildGrid();
  }

  /**
   * Precomputes every cell once per data or layer change: its text (the value, so the grid reads without colour) and
   * colour class. The long description (capacity, demand, shortage probability) is built only for the cell that is
   * focused or hovered: 6,240 descriptions per layer switch were most of a switch's cost.
   */
  buildGrid() {
    const heatmap = this.heatmap;
    if (!heatmap?.computed) {
      this.columns = [];
      this.rows = [];
      return;
    }
    const layer = LAYERS.find((candidate) => candidate.value === this.layer);
    this.columns = heatmap.weeks.map((week) => ({
      key: week,
      label: formatWeek(week),
      title: `Week of ${formatDate(week)}`
    }));
    this.rows = heatmap.rows.map((row, rowIndex) => ({
      key: row.name,
      name: row.name,
      cells: heatmap.weeks.map((week, colIndex) => cellOf(row, rowIndex, colIndex, layer))
    }));
  }

  /** The accessible description of one cell, for the current layer. */
  labelOf(rowIndex, colIndex) {
    const row = this.heatmap?.rows?.[rowIndex];
    const week = this.heatmap?.weeks?.[colIndex];
    if (!row || !week) return '';
    return describeCell(
      row,
      colIndex,
      formatDate(week),
      LAYERS.find((candidate) => candidate.value === this.layer)
    );
  }

  resetActiveCell() {
    this.activeRow = 0;
    this.activeCol = 0;
  }

  cellElement(row, col) {
    return this.template.querySelector(`td[data-row="${row}"][data-col="${col}"]`);
  }

  placeRovingTabindex() {
    if (!this.rows.length) return;
    this.activeRow = Math.min(this.activeRow, this.rows.length - 1);
    this.activeCol = Math.min(this.activeCol, this.columns.length - 1);
    const active = this.cellElement(this.activeRow, this.activeCol);
    this.template.querySelectorAll('td[tabindex="0"]').forEach((cell) => {
      if (cell !== active) cell.tabIndex = -1;
    });
    if (active) active.tabIndex = 0;
  }

  handleKeyDown(event) {
    const cell = event.target;
    if (!cell.dataset || cell.dataset.row === undefined) return;
    let row = Number(cell.dataset.row);
    let col = Number(cell.dataset.col);
    const lastRow = this.rows.length - 1;
    const lastCol = this.columns.length - 1;
    if (KEY_MOVES[event.key]) {
      row += KEY_MOVES[event.key][0];
      col += KEY_MOVES[event.key][1];
    } else if (event.key === 'Home') {
      col = 0;
      if (event.ctrlKey) row = 0;
    } else if (event.key === 'End') {
      col = lastCol;
      if (event.ctrlKey) row = lastRow;
    } else {
      return;
    }
    event.preventDefault();
    this.moveFocus(Math.max(0, Math.min(lastRow, row)), Math.max(0, Math.min(lastCol, col)));
  }

  moveFocus(row, col) {
    const from = this.cellElement(this.activeRow, this.activeCol);
    const to = this.cellElement(row, col);
    if (!to) return;
    if (from && from !== to) from.tabIndex = -1;
    to.tabIndex = 0;
    this.activeRow = row;
    this.activeCol = col;
    this.labelActiveCell();
    to.focus();
    this.showDetail(row, col);
  }

  handleFocusIn(event) {
    const { row, col } = event.target.dataset ?? {};
    if (row === undefined) return;
    if (Number(row) !== this.activeRow || Number(col) !== this.activeCol) {
      this.moveFocus(Number(row), Number(col));
      return;
    }
    this.showDetail(Number(row), Number(col));
  }

  handleMouseOver(event) {
    const cell = event.target.closest ? event.target.closest('td[data-row]') : undefined;
    if (!cell) return;
    this.showDetail(Number(cell.dataset.row), Number(cell.dataset.col));
  }

  /** Writes the cell's details into the detail region directly: hovering never re-renders the grid. */
  showDetail(row, col) {
    const detail = this.refs.detail;
    if (detail && this.rows[row]?.cells[col]) detail.textContent = this.labelOf(row, col);
  }
}

function cellOf(row, rowIndex, colIndex, layer) {
  const capacity = row.capacity?.[colIndex];
  const demand = row[layer.value]?.[colIndex];
  const base = { key: `${rowIndex}-${colIndex}`, row: rowIndex, col: colIndex };
  if (isBlank(capacity) && isBlank(demand)) {
    return { ...base, text: '', className: EMPTY_CELL };
  }
  const hours = demand ?? 0;
  if (!capacity) {
    const over = hours > 0;
    return {
      ...base,
      text: over ? `${formatHours(hours)} h` : '0%',
      className: over ? BANDS[BANDS.length - 1].className : BANDS[0].className
    };
  }
  const utilisation = hours / capacity;
  return {
    ...base,
    text: `${Math.round(utilisation * 100)}%`,
    className: BANDS.find((band) => utilisation <= band.max).className
  };
}

/** "Developer, week of Nov 30, 2026: weighted demand 200 h of 160 h capacity (125%), shortage probability 80%" */
function describeCell(row, colIndex, weekLabel, layer) {
  const capacity = row.capacity?.[colIndex];
  const demand = row[layer.value]?.[colIndex];
  const shortage = row.shortageProbability?.[colIndex];
  const where = `${row.name}, week of ${weekLabel}`;
  if (isBlank(capacity) && isBlank(demand)) return `${where}: no forecast`;
  const hours = demand ?? 0;
  const risk = isBlank(shortage) ? '' : `, shortage probability ${formatHours(shortage)}%`;
  if (!capacity) return `${where}: ${layer.noun} ${formatHours(hours)} h with no capacity${risk}`;
  const percent = Math.round((hours / capacity) * 100);
  return `${where}: ${layer.noun} ${formatHours(hours)} h of ${formatHours(capacity)} h capacity (${percent}%)${risk}`;
}
