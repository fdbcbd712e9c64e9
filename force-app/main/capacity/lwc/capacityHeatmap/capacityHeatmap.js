import { LightningElement, wire } from 'lwc';
import getHeatmap from '@salesforce/apex/CapacityHeatmapController.getHeatmap';
import getCellDetail from '@salesforce/apex/CapacityHeatmapController.getCellDetail';
import getScenarios from '@salesforce/apex/CapacityHeatmapController.getScenarios';
import getScenarioHeatmap from '@salesforce/apex/CapacityHeatmapController.getScenarioHeatmap';
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
const HORIZONS = [13, 26, 52, 104];
/**
 * Utilisation bands, by upper bound. An idle bench has its own colour so it never reads as healthy; colour is never
 * the only signal: every cell shows its percentage and its hours gap.
 */
const BANDS = [
  { max: 0.5, className: 'cell cell_idle', label: 'Under 50%: bench idle' },
  { max: 0.7, className: 'cell cell_low', label: '50 to 70%' },
  { max: 0.9, className: 'cell cell_busy', label: '70 to 90%' },
  { max: 1, className: 'cell cell_full', label: '90 to 100%' },
  { max: Infinity, className: 'cell cell_over', label: 'Over 100%: demand exceeds capacity' }
];
const EMPTY_CELL = 'cell cell_none';
const NOT_COMPUTED_CELL = 'cell cell_none cell_not-computed';
const KEY_MOVES = { ArrowRight: [0, 1], ArrowLeft: [0, -1], ArrowDown: [1, 0], ArrowUp: [-1, 0] };

/** Windowing: fixed sizes (kept in step with the CSS) let the grid render only the rows and weeks in view. */
const ROW_HEIGHT = 40;
const COL_WIDTH = 80;
const ROW_HEADER_WIDTH = 176;
/** Rows and weeks rendered beyond each edge, so a small scroll shows cells at once. */
const BUFFER = 3;
/** The view when the page has no layout yet (first render, jest): about a laptop screen. */
const DEFAULT_VIEW_ROWS = 14;
const DEFAULT_VIEW_COLS = 14;
const MINUS = '\u2212';
const FOCUSABLE = 'a[href], button:not([disabled])';

const isBlank = (value) => value === null || value === undefined;
const recordUrl = (object, id) => (id ? `/lightning/r/${object}/${id}/view` : undefined);

/**
 * Capacity heatmap: roles (or practices, or roles by skill) by weeks from the current forecast slot, coloured by
 * utilisation (demand of the chosen layer divided by capacity), each cell with the hours free or short beside its
 * percentage. Click or Enter on a cell opens the demand lines, deals and bookings behind it. Only the rows and weeks
 * in view are rendered (windowing): 60 rows x 104 weeks render about 400 cells, and a layer switch recomputes those.
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

  /** The scenario compared with the baseline; undefined (no Apex call) when none is picked. */
  scenarioId;
  scenarios = [];
  scenarioHeatmap;
  scenarioError;
  /** Scenario rows by name, aligned to the same weeks as the baseline. */
  scenarioRows = new Map();

  /** The window: first and last (exclusive) row and week rendered. */
  view = { firstRow: 0, lastRow: 0, firstCol: 0, lastCol: 0 };
  /** The rows and weeks fully in view (without the buffer), for the scroll cue. */
  seen = { firstCol: 0, lastCol: 0 };
  visibleColumns = [];
  visibleRows = [];

  /** The cell that holds tabindex 0; not used by the template, so moving it never re-renders. */
  activeRow = 0;
  activeCol = 0;
  pendingFocus;
  scrollFrame;
  pendingMeasure;
  focusDialog = false;
  hasRendered = false;

  detail;
  detailError;
  detailLoading = false;
  detailCell;

  layerOptions = LAYERS.map(({ label, value }) => ({ label, value }));
  dimensionOptions = DIMENSIONS;
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
    if (data) this.startMeasure('first-render');
    this.computeView();
  }

  @wire(getScenarios)
  receiveScenarios({ data }) {
    // Without scenarios (or without access to them) the picker is simply not shown.
    this.scenarios = data ?? [];
  }

  @wire(getScenarioHeatmap, {
    scenarioId: '$scenarioId',
    dimension: '$dimension',
    horizonWeeks: '$horizonWeeks',
    practices: '$selectedPractices',
    roles: '$selectedRoles',
    skills: '$selectedSkills'
  })
  receiveScenario({ data, error }) {
    this.scenarioHeatmap = data ?? undefined;
    this.scenarioError = error;
    this.scenarioRows = new Map((data && !data.needsRecompute ? data.rows : []).map((row) => [row.name, row]));
    this.buildVisible();
  }

  renderedCallback() {
    this.hasRendered = true;
    this.finishMeasure();
    if (this.focusDialog) {
      // The dialog takes focus when it opens; Escape or Close gives it back to the cell.
      const close = this.template.querySelector('.detail-dialog button.close');
      if (close) {
        this.focusDialog = false;
        close.focus();
      }
      return;
    }
    if (this.detailOpen) return;
    // The window follows the grid's real size once it has one (the first render uses a default view).
    if (this.scroller()) this.computeView();
    this.placeRovingTabindex();
    this.labelActiveCell();
    if (this.pendingFocus) {
      const { row, col } = this.pendingFocus;
      const cell = this.cellElement(row, col);
      if (cell) {
        this.pendingFocus = undefined;
        this.moveFocus(row, col);
      }
    }
  }

  disconnectedCallback() {
    if (this.scrollFrame) cancelAnimationFrame(this.scrollFrame);
  }

  // --- performance marks: the browser test reads them ---

  startMeasure(name) {
    if (typeof performance === 'undefined' || !performance.mark) return;
    this.pendingMeasure = `capacityHeatmap:${name}`;
    performance.mark(`${this.pendingMeasure}:start`);
  }

  finishMeasure() {
    const name = this.pendingMeasure;
    if (!name || !this.visibleRows.length) return;
    this.pendingMeasure = undefined;
    performance.measure(name, `${name}:start`);
  }

  // --- state read by the template ---

  get isLoading() {
    return !this.loaded;
  }

  get isNotComputed() {
    return this.loaded && !this.error && !this.heatmap?.computed;
  }

  get rowCount() {
    return this.heatmap?.computed ? this.heatmap.rows.length : 0;
  }

  get weekCount() {
    return this.heatmap?.computed ? this.heatmap.weeks.length : 0;
  }

  get hasRows() {
    return this.rowCount > 0;
  }

  get isSkillDimension() {
    return this.dimension === 'Skill';
  }

  get horizonValue() {
    return String(this.heatmap?.horizonWeeks ?? this.horizonWeeks);
  }

  /** Only horizons the current run computed; its own horizon too when it is not one of the usual four. */
  get horizonOptions() {
    const computed = this.heatmap?.computedHorizonWeeks;
    const weeks = computed ? HORIZONS.filter((value) => value <= computed) : HORIZONS;
    if (computed && !weeks.includes(computed)) weeks.push(computed);
    return weeks.map((value) => ({ label: `${value} weeks`, value: String(value) }));
  }

  get horizonHelp() {
    const computed = this.heatmap?.computedHorizonWeeks;
    return computed ? `The current forecast covers ${computed} weeks.` : '';
  }

  get filterLabel() {
    return { Role: 'Roles', Practice: 'Practices', Skill: 'Skills' }[this.dimension];
  }

  get selectedFilter() {
    return { Role: this.selectedRoles, Practice: this.selectedPractices, Skill: this.selectedSkills }[this.dimension];
  }

  get filterOptions() {
    const options = {
      Role: this.heatmap?.roleOptions,
      Practice: this.heatmap?.practiceOptions,
      Skill: this.heatmap?.skillOptions
    }[this.dimension];
    return options ?? [];
  }

  /** Compact toggle pills: none pressed shows every row. */
  get filterPills() {
    const selected = new Set(this.selectedFilter);
    return this.filterOptions.map((value) => ({
      value,
      pressed: selected.has(value) ? 'true' : 'false',
      className: selected.has(value) ? 'slds-button slds-button_brand pill' : 'slds-button slds-button_neutral pill'
    }));
  }

  get allPillPressed() {
    return this.selectedFilter.length ? 'false' : 'true';
  }

  get allPillClass() {
    return this.selectedFilter.length ? 'slds-button slds-button_neutral pill' : 'slds-button slds-button_brand pill';
  }

  get layerNoun() {
    return LAYERS.find((layer) => layer.value === this.layer).noun;
  }

  get gridLabel() {
    const rows = { Role: 'Roles', Practice: 'Practices', Skill: 'Roles by skill' }[this.dimension];
    const capacity = this.isSkillDimension ? 'the capacity of the people holding the skill' : 'capacity';
    return `${rows} by week: ${this.layerNoun} as a share of ${capacity}, with the hours free or short`;
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

  get isTruncated() {
    return Boolean(this.heatmap?.computed && this.heatmap.truncated);
  }

  get truncatedMessage() {
    const limit = formatHours(this.heatmap.maxCells);
    return `Only the first ${this.rowCount} rows are shown: these filters match more than ${limit} forecast cells. Choose fewer ${this.filterLabel.toLowerCase()} or a shorter horizon to see the others.`;
  }

  get forecastAge() {
    return this.heatmap?.finishedAt ? `Forecast from ${formatAge(this.heatmap.finishedAt)}` : '';
  }

  get probabilityNote() {
    const calibrated = this.heatmap?.probabilitySource === 'calibrated';
    const which = calibrated
      ? 'the calibrated win probability (the win rate of past deals at the same stage)'
      : 'the win probability entered on each deal';
    return `Weighted: confirmed work plus pipeline hours times ${which}, as the Probability Source setting says (${calibrated ? 'Calibrated' : 'Entered'}).`;
  }

  get isP90Layer() {
    return this.layer === 'p90';
  }

  get p90Note() {
    const rows = this.dimension === 'Role' ? '' : ' P90 is computed for role rows only: these rows say "not computed".';
    return `P90: the demand of the worst 1 in 10 simulated outcomes, where deals are won or lost and slip. Slip moves demand between weeks, so a week's P90 can exceed its Exposure (all pipeline at 100% on its planned dates).${rows}`;
  }

  /** "Weeks 1 to 12 of 104 in view: scroll right for more." */
  get scrollCue() {
    const total = this.weekCount;
    const { firstCol, lastCol } = this.seen;
    if (!total || (firstCol === 0 && lastCol >= total)) return '';
    const more = lastCol < total ? 'scroll right for more' : 'scroll left for earlier weeks';
    return `Weeks ${firstCol + 1} to ${Math.min(lastCol, total)} of ${total} in view: ${more}.`;
  }

  get scrollClass() {
    return this.seen.lastCol < this.weekCount ? 'grid-scroll more-right' : 'grid-scroll';
  }

  get ariaRowCount() {
    return this.rowCount + 1;
  }

  get ariaColCount() {
    return this.weekCount + 1;
  }

  get tableStyle() {
    return `width: ${ROW_HEADER_WIDTH + this.weekCount * COL_WIDTH}px`;
  }

  get hasLeadSpacer() {
    return this.view.firstCol > 0;
  }

  get leadStyle() {
    return `width: ${this.view.firstCol * COL_WIDTH}px`;
  }

  get hasTrailSpacer() {
    return this.view.lastCol < this.weekCount;
  }

  get trailStyle() {
    return `width: ${(this.weekCount - this.view.lastCol) * COL_WIDTH}px`;
  }

  get hasTopSpacer() {
    return this.view.firstRow > 0;
  }

  get topStyle() {
    return `height: ${this.view.firstRow * ROW_HEIGHT}px`;
  }

  get hasBottomSpacer() {
    return this.view.lastRow < this.rowCount;
  }

  get bottomStyle() {
    return `height: ${(this.rowCount - this.view.lastRow) * ROW_HEIGHT}px`;
  }

  get spacerColspan() {
    return this.view.lastCol - this.view.firstCol + 1 + (this.hasLeadSpacer ? 1 : 0) + (this.hasTrailSpacer ? 1 : 0);
  }

  // --- filters ---

  handleDimensionChange(event) {
    this.dimension = event.detail.value;
    this.resetActiveCell();
  }

  handleHorizonChange(event) {
    this.horizonWeeks = Number(event.detail.value);
  }

  handlePillClick(event) {
    const value = event.currentTarget.dataset.value;
    const selected = new Set(this.selectedFilter);
    if (value === undefined) selected.clear();
    else if (selected.has(value)) selected.delete(value);
    else selected.add(value);
    const next = [...selected];
    if (this.dimension === 'Role') this.selectedRoles = next;
    else if (this.dimension === 'Practice') this.selectedPractices = next;
    else this.selectedSkills = next;
    this.resetActiveCell();
  }

  get hasScenarios() {
    return this.scenarios.length > 0;
  }

  get scenarioOptions() {
    return [
      { label: 'None: the forecast only', value: '' },
      ...this.scenarios.map((scenario) => ({
        label: scenario.current ? scenario.name : `${scenario.name} (needs a recompute)`,
        value: scenario.id
      }))
    ];
  }

  get scenarioValue() {
    return this.scenarioId ?? '';
  }

  /** True when a scenario computed on the current run is shown beside the baseline. */
  get isComparing() {
    return Boolean(this.scenarioId && this.scenarioHeatmap && !this.scenarioHeatmap.needsRecompute);
  }

  get needsRecompute() {
    return Boolean(this.scenarioId && this.scenarioHeatmap?.needsRecompute);
  }

  get recomputeMessage() {
    const name = this.scenarioHeatmap.scenario?.name;
    return `Scenario "${name}" was computed on an earlier forecast run, so its hours cannot be set beside this forecast. Recompute it from the scenario to compare.`;
  }

  get scenarioNote() {
    const name = this.scenarioHeatmap?.scenario?.name;
    return `Beside each percentage: \u0394, the ${this.layerNoun} hours of scenario "${name}" minus the forecast's (+ more demand, \u2212 less).`;
  }

  handleScenarioChange(event) {
    this.scenarioId = event.detail.value || undefined;
    if (!this.scenarioId) {
      this.scenarioHeatmap = undefined;
      this.scenarioRows = new Map();
      this.buildVisible();
    }
  }

  handleLayerChange(event) {
    this.layer = event.detail.value;
    this.startMeasure('layer-switch');
    this.buildVisible();
  }

  // --- windowing ---

  /** The window from the scroll position, or the default view when there is no layout yet. */
  computeView() {
    const scroller = this.scroller();
    const height = scroller?.clientHeight ?? 0;
    const width = scroller?.clientWidth ?? 0;
    const rowsInView = height > 0 ? Math.ceil(height / ROW_HEIGHT) : DEFAULT_VIEW_ROWS;
    const colsInView = width > 0 ? Math.max(1, Math.ceil((width - ROW_HEADER_WIDTH) / COL_WIDTH)) : DEFAULT_VIEW_COLS;
    const topRow = scroller ? Math.floor(scroller.scrollTop / ROW_HEIGHT) : 0;
    const leftCol = scroller ? Math.floor(scroller.scrollLeft / COL_WIDTH) : 0;
    const rows = this.rowCount;
    const weeks = this.weekCount;
    const view = {
      firstRow: Math.max(0, topRow - BUFFER),
      lastRow: Math.min(rows, topRow + rowsInView + BUFFER),
      firstCol: Math.max(0, leftCol - BUFFER),
      lastCol: Math.min(weeks, leftCol + colsInView + BUFFER)
    };
    // Whole weeks in view, for the scroll cue.
    const fullCols = width > 0 ? Math.max(1, Math.floor((width - ROW_HEADER_WIDTH) / COL_WIDTH)) : colsInView;
    const seen = { firstCol: Math.min(leftCol, weeks), lastCol: Math.min(weeks, leftCol + fullCols) };
    if (seen.firstCol !== this.seen.firstCol || seen.lastCol !== this.seen.lastCol) this.seen = seen;
    const same = Object.keys(view).every((key) => view[key] === this.view[key]);
    if (same && this.visibleRows.length === view.lastRow - view.firstRow) return;
    this.view = view;
    this.buildVisible();
  }

  /** The scroll container once rendered; this.refs may only be read after a render. */
  scroller() {
    return this.hasRendered ? this.refs?.scroller : undefined;
  }

  handleScroll() {
    if (this.scrollFrame) return;
    // One window update per frame, however many scroll events arrive.
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this.scrollFrame = requestAnimationFrame(() => {
      this.scrollFrame = undefined;
      this.computeView();
    });
  }

  /** Builds only the cells in the window: their text, hours gap and colour for the current layer. */
  buildVisible() {
    const heatmap = this.heatmap;
    if (!heatmap?.computed) {
      this.visibleColumns = [];
      this.visibleRows = [];
      return;
    }
    const layer = LAYERS.find((candidate) => candidate.value === this.layer);
    const { firstRow, lastRow, firstCol, lastCol } = this.view;
    const columns = [];
    for (let col = firstCol; col < lastCol; col++) {
      const week = heatmap.weeks[col];
      columns.push({
        key: week,
        label: formatWeek(week),
        year: week.slice(0, 4),
        title: `Week of ${formatDate(week)}`,
        ariaColIndex: col + 2
      });
    }
    const rows = [];
    for (let rowIndex = firstRow; rowIndex < lastRow; rowIndex++) {
      const row = heatmap.rows[rowIndex];
      const cells = [];
      const scenario = this.isComparing ? (this.scenarioRows.get(row.name) ?? null) : undefined;
      for (let col = firstCol; col < lastCol; col++) cells.push(cellOf(row, rowIndex, col, layer, scenario));
      rows.push({ key: row.name, name: row.name, ariaRowIndex: rowIndex + 2, cells });
    }
    this.visibleColumns = columns;
    this.visibleRows = rows;
  }

  /** Scrolls so that a cell is in the window (keyboard moves past the rendered edge). */
  scrollIntoWindow(row, col) {
    const scroller = this.scroller();
    if (!scroller) return;
    const { firstRow, lastRow, firstCol, lastCol } = this.view;
    if (row >= firstRow + 1 && row < lastRow - 1 && col >= firstCol + 1 && col < lastCol - 1) return;
    scroller.scrollTop = Math.max(0, row * ROW_HEIGHT - (scroller.clientHeight || 0) / 2);
    scroller.scrollLeft = Math.max(0, col * COL_WIDTH - ((scroller.clientWidth || 0) - ROW_HEADER_WIDTH) / 2);
    this.computeView();
  }

  // --- focus and keys ---

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

  /** The accessible description of one cell, for the current layer. */
  labelOf(rowIndex, colIndex) {
    const row = this.heatmap?.rows?.[rowIndex];
    const week = this.heatmap?.weeks?.[colIndex];
    if (!row || !week) return '';
    const layer = LAYERS.find((candidate) => candidate.value === this.layer);
    const text = describeCell(row, colIndex, formatDate(week), layer);
    if (!this.isComparing) return text;
    return `${text}; ${describeScenario(this.scenarioRows.get(row.name), colIndex, row, layer, this.scenarioHeatmap.scenario.name)}`;
  }

  resetActiveCell() {
    this.activeRow = 0;
    this.activeCol = 0;
  }

  cellElement(row, col) {
    return this.template.querySelector(`td[data-row="${row}"][data-col="${col}"]`);
  }

  /** One cell in the grid is tabbable: the active one, or the first in the window when it scrolled away. */
  placeRovingTabindex() {
    if (!this.visibleRows.length) return;
    this.activeRow = Math.min(this.activeRow, this.rowCount - 1);
    this.activeCol = Math.min(this.activeCol, this.weekCount - 1);
    let active = this.cellElement(this.activeRow, this.activeCol);
    if (!active && !this.pendingFocus) {
      this.activeRow = this.view.firstRow;
      this.activeCol = this.view.firstCol;
      active = this.cellElement(this.activeRow, this.activeCol);
    }
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
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      this.openDetail(row, col);
      return;
    }
    const lastRow = this.rowCount - 1;
    const lastCol = this.weekCount - 1;
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
    this.scrollIntoWindow(row, col);
    const to = this.cellElement(row, col);
    if (!to) {
      // Rendered on the next cycle: renderedCallback focuses it.
      this.pendingFocus = { row, col };
      this.activeRow = row;
      this.activeCol = col;
      return;
    }
    const from = this.cellElement(this.activeRow, this.activeCol);
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

  handleCellClick(event) {
    const cell = event.target.closest ? event.target.closest('td[data-row]') : undefined;
    if (!cell) return;
    this.openDetail(Number(cell.dataset.row), Number(cell.dataset.col));
  }

  /** Writes the cell's details into the detail region directly: hovering never re-renders the grid. */
  showDetail(row, col) {
    const detail = this.hasRendered ? this.refs?.detail : undefined;
    if (detail && this.heatmap?.rows?.[row] && this.heatmap.weeks[col]) detail.textContent = this.labelOf(row, col);
  }

  // --- drill-down ---

  get detailOpen() {
    return Boolean(this.detailCell);
  }

  get detailTitle() {
    const cell = this.detailCell;
    return cell ? `${cell.name}, week of ${formatDate(cell.week)}` : '';
  }

  get detailSummary() {
    const cell = this.detailCell;
    return cell ? this.labelOf(cell.row, cell.col) : '';
  }

  get detailLines() {
    return (this.detail?.lines ?? []).map((line) => ({
      key: line.demandId,
      deal: line.opportunityName ?? line.engagementName,
      dealUrl: line.opportunityId
        ? recordUrl('Opportunity', line.opportunityId)
        : recordUrl('Engagement__c', line.engagementId),
      engagement: line.engagementName,
      engagementUrl: recordUrl('Engagement__c', line.engagementId),
      what: [line.role, line.skill].filter(Boolean).join(' / '),
      stage: line.stage ?? line.engagementStatus,
      probability: isBlank(line.probability) ? '' : `${formatHours(line.probability)}%`,
      kind: line.confirmed ? 'Confirmed' : 'Pipeline',
      hours: `${formatHours(line.hours)} h`,
      dates: `${formatDate(line.startDate)} to ${formatDate(line.endDate)}`
    }));
  }

  get hasDetailLines() {
    return this.detailLines.length > 0;
  }

  get detailLinesTotal() {
    const lines = this.detail?.lines ?? [];
    const sum = (items) => formatHours(Math.round(items.reduce((total, line) => total + line.hours, 0) * 10) / 10);
    const confirmed = lines.filter((line) => line.confirmed);
    const pipeline = lines.filter((line) => !line.confirmed);
    return `${lines.length} demand ${lines.length === 1 ? 'line' : 'lines'}: ${sum(confirmed)} h confirmed and ${sum(pipeline)} h of pipeline at 100% this week.`;
  }

  get detailBookings() {
    return (this.detail?.assignments ?? []).map((booking) => ({
      key: booking.assignmentId,
      person: booking.resourceName,
      personUrl: recordUrl('Resource__c', booking.resourceId),
      engagement: booking.engagementName,
      engagementUrl: recordUrl('Engagement__c', booking.engagementId),
      hours: `${formatHours(booking.hoursPerWeek)} h a week`,
      type: booking.bookingType,
      dates: `${formatDate(booking.startDate)} to ${formatDate(booking.endDate)}`
    }));
  }

  get hasDetailBookings() {
    return this.detailBookings.length > 0;
  }

  get bookingsHidden() {
    return this.detail && !this.detail.assignmentsVisible;
  }

  get detailTruncated() {
    return Boolean(this.detail?.linesTruncated || this.detail?.assignmentsTruncated);
  }

  async openDetail(row, col) {
    const data = this.heatmap?.rows?.[row];
    const week = this.heatmap?.weeks?.[col];
    if (!data || !week) return;
    this.activeRow = row;
    this.activeCol = col;
    this.detailCell = { row, col, name: data.name, week };
    this.detail = undefined;
    this.detailError = undefined;
    this.detailLoading = true;
    this.focusDialog = true;
    const request = {
      dimension: this.heatmap.dimension,
      name: this.heatmap.dimension === 'Practice' ? data.name : (data.role ?? data.name),
      skill: data.skill ?? null,
      weekStart: week
    };
    try {
      const detail = await getCellDetail(request);
      if (this.detailCell?.row === row && this.detailCell.col === col) this.detail = detail;
    } catch (error) {
      this.detailError = error;
    } finally {
      this.detailLoading = false;
    }
  }

  closeDetail() {
    const { row, col } = this.detailCell ?? {};
    this.detailCell = undefined;
    this.detail = undefined;
    this.detailError = undefined;
    if (row !== undefined) this.pendingFocus = { row, col };
  }

  /** Escape closes; Tab and Shift+Tab stay inside the dialog (the page behind is inert while it is open). */
  handleDialogKeyDown(event) {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      this.closeDetail();
      return;
    }
    if (event.key !== 'Tab') return;
    const focusable = [
      ...this.template.querySelectorAll(`.detail-dialog ${FOCUSABLE.split(', ').join(', .detail-dialog ')}`)
    ];
    if (!focusable.length) return;
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    const current = this.template.activeElement;
    if (event.shiftKey && (current === first || !focusable.includes(current))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (current === last || !focusable.includes(current))) {
      event.preventDefault();
      first.focus();
    }
  }
}

function gapText(capacity, hours) {
  const gap = Math.round((capacity ?? 0) - hours);
  if (gap === 0) return '0 h';
  return gap > 0 ? `+${formatHours(gap)} h` : `${MINUS}${formatHours(-gap)} h`;
}

/**
 * The cell of a row in a week; with a scenario (its row, or null when it has none), the gap line shows the scenario's
 * demand minus the baseline's instead of the hours free or short.
 */
function cellOf(row, rowIndex, colIndex, layer, scenario) {
  const cell = baselineCell(row, rowIndex, colIndex, layer);
  if (scenario === undefined || (cell.className === EMPTY_CELL && !cell.text)) return cell;
  const delta = scenarioDelta(scenario, row, colIndex, layer);
  if (delta === undefined) return { ...cell, gap: '\u0394 n/a' };
  const rounded = Math.round(delta);
  const sign = rounded > 0 ? '+' : rounded < 0 ? MINUS : '';
  return {
    ...cell,
    gap: `\u0394 ${sign}${formatHours(Math.abs(rounded))} h`,
    className: rounded === 0 ? cell.className : `${cell.className} cell_changed`
  };
}

/** Scenario demand minus baseline demand for the layer; undefined when either side has no value. */
function scenarioDelta(scenario, row, colIndex, layer) {
  const theirs = scenario?.[layer.value]?.[colIndex];
  const ours = row[layer.value]?.[colIndex];
  return isBlank(theirs) || isBlank(ours) ? undefined : theirs - ours;
}

function describeScenario(scenario, colIndex, row, layer, name) {
  const delta = scenarioDelta(scenario, row, colIndex, layer);
  if (delta === undefined) return `scenario "${name}" has no value for this week`;
  const hours = scenario[layer.value][colIndex];
  const rounded = Math.round(delta);
  const change =
    rounded === 0
      ? 'the same as the forecast'
      : `${formatHours(Math.abs(rounded))} h ${rounded > 0 ? 'more' : 'less'} than the forecast`;
  return `scenario "${name}": ${formatHours(hours)} h, ${change}`;
}

function baselineCell(row, rowIndex, colIndex, layer) {
  const capacity = row.capacity?.[colIndex];
  const demand = row[layer.value]?.[colIndex];
  const base = { key: `${rowIndex}-${colIndex}`, row: rowIndex, col: colIndex, ariaColIndex: colIndex + 2 };
  if (isBlank(capacity) && isBlank(demand)) {
    return { ...base, text: '', gap: '', className: EMPTY_CELL };
  }
  if (isBlank(demand) && layer.value === 'p90') {
    // P90 comes from the simulation, which runs for role rows: a missing value is not zero demand.
    return { ...base, text: 'not', gap: 'computed', className: NOT_COMPUTED_CELL };
  }
  const hours = demand ?? 0;
  if (!capacity) {
    const over = hours > 0;
    return {
      ...base,
      text: over ? `${formatHours(hours)} h` : '0 h',
      gap: over ? gapText(0, hours) : 'no people',
      className: over ? BANDS[BANDS.length - 1].className : EMPTY_CELL
    };
  }
  const utilisation = hours / capacity;
  return {
    ...base,
    text: `${Math.round(utilisation * 100)}%`,
    gap: gapText(capacity, hours),
    className: BANDS.find((band) => utilisation <= band.max).className
  };
}

/** "Developer, week of Nov 30, 2026: weighted demand 200 h of 160 h capacity (125%), 40 h short, shortage probability 80%" */
function describeCell(row, colIndex, weekLabel, layer) {
  const capacity = row.capacity?.[colIndex];
  const demand = row[layer.value]?.[colIndex];
  const shortage = row.shortageProbability?.[colIndex];
  const where = `${row.name}, week of ${weekLabel}`;
  if (isBlank(capacity) && isBlank(demand)) return `${where}: no forecast`;
  if (isBlank(demand) && layer.value === 'p90') return `${where}: P90 demand not computed for this row`;
  const hours = demand ?? 0;
  const risk = isBlank(shortage) ? '' : `, shortage probability ${formatHours(shortage)}%`;
  if (!capacity) return `${where}: ${layer.noun} ${formatHours(hours)} h with no capacity${risk}`;
  const percent = Math.round((hours / capacity) * 100);
  const gap = Math.round(capacity - hours);
  const gapWords = gap >= 0 ? `${formatHours(gap)} h free` : `${formatHours(-gap)} h short`;
  return `${where}: ${layer.noun} ${formatHours(hours)} h of ${formatHours(capacity)} h capacity (${percent}%), ${gapWords}${risk}`;
}
