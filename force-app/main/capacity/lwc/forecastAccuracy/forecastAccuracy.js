import { LightningElement, wire } from 'lwc';
import getAccuracy from '@salesforce/apex/ForecastAccuracyController.getAccuracy';
import { formatDate, formatHours } from 'c/handoffFormat';

const ALL_ROLES = '';
const MEASURES = [
  { label: 'Weighted forecast', value: 'weighted' },
  { label: 'Confirmed then', value: 'confirmed' }
];
/** The chart's drawing area, in SVG user units (the SVG scales to its container). */
const WIDTH = 640;
const HEIGHT = 240;
const MARGIN = { top: 16, right: 16, bottom: 36, left: 56 };

const signed = (value) => {
  if (value === null || value === undefined) return '';
  const text = formatHours(Math.abs(value));
  if (value > 0) return `+${text} h`;
  if (value < 0) return `−${text} h`;
  return '0 h';
};
const hours = (value) => (value === null || value === undefined ? '' : `${formatHours(value)} h`);
const percent = (value) => (value === null || value === undefined ? '—' : `${Math.round(value)}%`);
const rate = (value) => (value === null || value === undefined ? '—' : `${Math.round(value * 100)}%`);

/**
 * Forecast accuracy on the Capacity page: for a role (or all roles), how far the forecast made 1 to 12 weeks ahead
 * was from what was then confirmed in the week: bias (mean signed error: positive means the forecast was too high)
 * and error (mean absolute error, and as a share of the confirmed hours), for the weighted forecast or for what was
 * already confirmed then. A chart drawn here in SVG, the same numbers as a table, a table by role at one lead time,
 * and the reliability of calibrated win probabilities when the run calibrated them.
 */
export default class ForecastAccuracy extends LightningElement {
  accuracy;
  error;
  loaded = false;
  role = ALL_ROLES;
  measure = 'weighted';
  lead = '1';

  @wire(getAccuracy)
  receive({ data, error }) {
    if (data !== undefined || error !== undefined) this.loaded = true;
    this.accuracy = data ?? undefined;
    this.error = error;
  }

  get isLoading() {
    return !this.loaded;
  }

  get hasRows() {
    return (this.accuracy?.rows?.length ?? 0) > 0;
  }

  get emptyMessage() {
    const needed = this.accuracy?.minimumWeeksOfRuns ?? 2;
    const weeks = this.accuracy?.weeksOfRuns ?? 0;
    const since = this.accuracy?.firstSnapshotWeek
      ? ` Forecast snapshots have been kept since the week of ${formatDate(this.accuracy.firstSnapshotWeek)}.`
      : '';
    return `Accuracy needs ${needed} weeks of forecast runs: a week's forecast is compared with what was confirmed once the week has passed. There ${weeks === 1 ? 'is' : 'are'} ${weeks} week${weeks === 1 ? '' : 's'} of runs so far.${since}`;
  }

  get roleOptions() {
    return [
      { label: 'All roles', value: ALL_ROLES },
      ...(this.accuracy?.roles ?? []).map((role) => ({ label: role, value: role }))
    ];
  }

  get measureOptions() {
    return MEASURES;
  }

  get leadOptions() {
    return this.leads.map((lead) => ({ label: `${lead} week${lead === 1 ? '' : 's'} ahead`, value: String(lead) }));
  }

  get leads() {
    return [...new Set(this.accuracy.rows.map((row) => row.leadWeeks))].sort((a, b) => a - b);
  }

  get roleLabel() {
    return this.role === ALL_ROLES ? 'All roles' : this.role;
  }

  get measureLabel() {
    return MEASURES.find((measure) => measure.value === this.measure).label.toLowerCase();
  }

  handleRoleChange(event) {
    this.role = event.detail.value;
  }

  handleMeasureChange(event) {
    this.measure = event.detail.value;
  }

  handleLeadChange(event) {
    this.lead = event.detail.value;
  }

  /** The numbers of one row for the chosen measure. */
  values(row) {
    const weighted = this.measure === 'weighted';
    return {
      bias: weighted ? row.weightedBias : row.confirmedBias,
      mae: weighted ? row.weightedMae : row.confirmedMae,
      errorPct: weighted ? row.weightedErrorPct : row.confirmedErrorPct
    };
  }

  get roleRows() {
    const role = this.role === ALL_ROLES ? null : this.role;
    return this.accuracy.rows.filter((row) => (row.role ?? null) === role);
  }

  get leadRows() {
    return this.roleRows.map((row) => {
      const { bias, mae, errorPct } = this.values(row);
      return {
        key: `lead-${row.leadWeeks}`,
        lead: `${row.leadWeeks} week${row.leadWeeks === 1 ? '' : 's'}`,
        weeksCompared: row.weeksCompared,
        actual: hours(row.actualHours),
        bias: signed(bias),
        mae: hours(mae),
        errorPct: percent(errorPct)
      };
    });
  }

  get roleTableRows() {
    const lead = Number(this.lead);
    return this.accuracy.rows
      .filter((row) => row.leadWeeks === lead)
      .map((row) => {
        const { bias, mae, errorPct } = this.values(row);
        return {
          key: `role-${row.role ?? 'all'}`,
          role: row.role ?? 'All roles',
          weeksCompared: row.weeksCompared,
          actual: hours(row.actualHours),
          bias: signed(bias),
          biasClass: bias > 0 ? 'over' : bias < 0 ? 'under' : '',
          mae: hours(mae),
          errorPct: percent(errorPct)
        };
      });
  }

  get chartLabel() {
    return `Bias and mean absolute error of the ${this.measureLabel} for ${this.roleLabel}, by lead time in weeks. The table below has the same numbers.`;
  }

  get viewBox() {
    return `0 0 ${WIDTH} ${HEIGHT}`;
  }

  /** Bars for the bias (signed, from the zero line) and points for the mean absolute error, by lead time. */
  get chart() {
    const rows = this.roleRows;
    const plot = { width: WIDTH - MARGIN.left - MARGIN.right, height: HEIGHT - MARGIN.top - MARGIN.bottom };
    const extent = Math.max(
      1,
      ...rows.map((row) => {
        const { bias, mae } = this.values(row);
        return Math.max(Math.abs(bias ?? 0), Math.abs(mae ?? 0));
      })
    );
    const y = (value) => MARGIN.top + plot.height / 2 - (value / extent) * (plot.height / 2);
    const band = plot.width / Math.max(rows.length, 1);
    const zero = y(0);
    const bars = rows.map((row, index) => {
      const { bias, mae } = this.values(row);
      const x = MARGIN.left + index * band;
      const top = y(Math.max(bias ?? 0, 0));
      const bottom = y(Math.min(bias ?? 0, 0));
      return {
        key: `bar-${row.leadWeeks}`,
        pointKey: `point-${row.leadWeeks}`,
        labelKey: `label-${row.leadWeeks}`,
        x: (x + band * 0.2).toFixed(1),
        y: top.toFixed(1),
        width: (band * 0.6).toFixed(1),
        height: Math.max(bottom - top, 0.5).toFixed(1),
        className: (bias ?? 0) >= 0 ? 'bar bar_over' : 'bar bar_under',
        cx: (x + band / 2).toFixed(1),
        cy: y(mae ?? 0).toFixed(1),
        labelX: (x + band / 2).toFixed(1),
        labelY: (HEIGHT - MARGIN.bottom + 16).toFixed(1),
        label: String(row.leadWeeks)
      };
    });
    return {
      bars,
      maePoints: bars.map((bar) => `${bar.cx},${bar.cy}`).join(' '),
      zeroY: zero.toFixed(1),
      left: MARGIN.left,
      right: WIDTH - MARGIN.right,
      ticks: [extent, 0, -extent].map((value) => ({
        key: `tick-${value}`,
        y: (y(value) + 4).toFixed(1),
        label: signed(Math.round(value))
      })),
      tickX: MARGIN.left - 6,
      axisLabelX: (MARGIN.left + plot.width / 2).toFixed(1),
      axisLabelY: HEIGHT - 2
    };
  }

  get hasReliability() {
    return (this.accuracy?.calibration?.reliability?.length ?? 0) > 0;
  }

  get calibrationNote() {
    const calibration = this.accuracy.calibration;
    const source = calibration.probabilitySource === 'calibrated' ? 'calibrated' : 'entered';
    const brier = (value) => (value === null || value === undefined ? '—' : Number(value).toFixed(3));
    return `The forecast weights pipeline demand by ${source} win probabilities. Brier score (lower is better): entered ${brier(calibration.brierEntered)}, calibrated ${brier(calibration.brierCalibrated)}.`;
  }

  get reliabilityRows() {
    return this.accuracy.calibration.reliability.map((row) => ({
      key: row.bucket,
      bucket: row.bucket,
      enteredCount: row.enteredCount,
      enteredObserved: rate(row.enteredObserved),
      calibratedCount: row.calibratedCount,
      calibratedObserved: rate(row.calibratedObserved)
    }));
  }

  get chartColumnClass() {
    return this.hasReliability ? 'slds-col slds-size_1-of-1 slds-large-size_2-of-3' : 'slds-col slds-size_1-of-1';
  }
}
