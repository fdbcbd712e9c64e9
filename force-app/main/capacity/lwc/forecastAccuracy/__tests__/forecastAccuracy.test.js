import { createElement } from 'lwc';
import ForecastAccuracy from 'c/forecastAccuracy';
import getAccuracy from '@salesforce/apex/ForecastAccuracyController.getAccuracy';
import { flush, query, queryAll, text, clearDocument } from 'test/jest-utils/dom';

const ACCURACY = require('./data/accuracy.json');
const EMPTY = require('./data/empty.json');

jest.mock(
  '@salesforce/apex/ForecastAccuracyController.getAccuracy',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true }
);

function render() {
  const element = createElement('c-forecast-accuracy', { is: ForecastAccuracy });
  document.body.appendChild(element);
  return element;
}

async function emit(accuracy) {
  const element = render();
  getAccuracy.emit(accuracy);
  await flush();
  return element;
}

function change(target, value) {
  target.dispatchEvent(new CustomEvent('change', { detail: { value } }));
  return flush();
}

const cells = (row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent.trim());

describe('c-forecast-accuracy', () => {
  afterEach(() => {
    clearDocument();
    jest.clearAllMocks();
  });

  it('shows a spinner until the accuracy arrives', async () => {
    const element = render();

    expect(query(element, 'lightning-spinner')).not.toBeNull();
    expect(query(element, '.empty')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('charts bias and error of the weighted forecast for all roles by lead time, with the table alternative', async () => {
    const element = await emit(ACCURACY);

    expect(text(element, '.by-lead h2')).toBe('All roles: bias and error by lead time');
    const svg = query(element, 'svg.chart');
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.getAttribute('aria-label')).toMatch(/weighted forecast for All roles.*table below/);
    const bars = queryAll(element, 'rect.bar');
    expect(bars).toHaveLength(3);
    // Every bias is positive here: drawn above the zero line, as over-forecasts.
    expect(bars.every((bar) => bar.getAttribute('class').includes('bar_over'))).toBe(true);
    const zero = Number(query(element, 'line.zero').getAttribute('y1'));
    expect(bars.every((bar) => Number(bar.getAttribute('y')) + Number(bar.getAttribute('height')) <= zero + 0.1)).toBe(
      true
    );
    // The largest value (17.63 h of error at 4 weeks) reaches the top of the scale.
    expect(queryAll(element, 'circle.mae-point').map((point) => Number(point.getAttribute('cy')))[2]).toBe(16);
    expect(queryAll(element, 'text.lead-label').map((label) => label.textContent.trim())).toEqual(['1', '2', '4']);

    const rows = queryAll(element, '.lead-row').map(cells);
    expect(rows).toEqual([
      ['1 week', '260', '13.4 h', '+9.5 h', '9.5 h', '71%'],
      ['2 weeks', '260', '13.4 h', '+8.5 h', '12.9 h', '97%'],
      ['4 weeks', '260', '13.4 h', '+7 h', '17.6 h', '132%']
    ]);
    await expect(element).toBeAccessible();
  });

  it('switches role and measure: the chart and its table follow', async () => {
    const element = await emit(ACCURACY);
    const [role] = queryAll(element, 'lightning-combobox');
    expect(role.options.map((option) => option.label)).toEqual(['All roles', 'Developer', 'Trainer']);

    await change(role, 'Developer');
    expect(text(element, '.by-lead h2')).toBe('Developer: bias and error by lead time');
    expect(queryAll(element, '.lead-row').map((row) => cells(row)[3])).toEqual(['+12 h', '−6 h', '−10 h']);
    expect(queryAll(element, 'rect.bar').map((bar) => bar.getAttribute('class'))).toEqual([
      'bar bar_over',
      'bar bar_under',
      'bar bar_under'
    ]);

    await change(query(element, 'lightning-radio-group'), 'confirmed');
    expect(queryAll(element, '.lead-row').map((row) => cells(row).slice(3))).toEqual([
      ['−2 h', '2 h', '4%'],
      ['−9 h', '9 h', '18%'],
      ['−20 h', '20 h', '40%']
    ]);
    expect(query(element, 'svg.chart').getAttribute('aria-label')).toMatch(/confirmed then for Developer/);
    await expect(element).toBeAccessible();
  });

  it('compares roles at a chosen lead time, and says when there is no error % because nothing was confirmed', async () => {
    const element = await emit(ACCURACY);

    expect(queryAll(element, '.role-row').map((row) => cells(row)[0])).toEqual(['All roles', 'Developer', 'Trainer']);
    const lead = queryAll(element, 'lightning-combobox')[1];
    expect(lead.options.map((option) => option.label)).toEqual(['1 week ahead', '2 weeks ahead', '4 weeks ahead']);

    await change(lead, '2');
    const rows = queryAll(element, '.role-row').map(cells);
    expect(rows[1]).toEqual(['Developer', '26', '120.5 h', '−6 h', '20 h', '40%']);
    expect(rows[2]).toEqual(['Trainer', '26', '0 h', '+3 h', '5 h', '—']);
    expect(queryAll(element, '.role-row')[1].querySelector('td.under')).not.toBeNull();
  });

  it('shows the reliability of calibrated win probabilities beside the chart', async () => {
    const element = await emit(ACCURACY);

    expect(text(element, '.calibration-note')).toBe(
      'The forecast weights pipeline demand by calibrated win probabilities. Brier score (lower is better): entered 0.281, calibrated 0.204.'
    );
    expect(queryAll(element, '.reliability-row').map(cells)).toEqual([
      ['40-50%', '0', '—', '118', '41%'],
      ['70-80%', '120', '40%', '0', '—']
    ]);
  });

  it('leaves the reliability table out when the run had no calibration', async () => {
    const element = await emit({ ...ACCURACY, calibration: null });

    expect(query(element, '.reliability')).toBeNull();
    expect(queryAll(element, '.lead-row')).toHaveLength(3);
  });

  it('says how many weeks of runs accuracy needs, and how many there are', async () => {
    const element = await emit(EMPTY);

    expect(text(element, '.empty')).toBe(
      "Accuracy needs 2 weeks of forecast runs: a week's forecast is compared with what was confirmed once the week has passed. There is 1 week of runs so far. Forecast snapshots have been kept since the week of Nov 23, 2026."
    );
    expect(query(element, 'svg')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('says so when the service has never kept a snapshot', async () => {
    const element = await emit({ ...EMPTY, weeksOfRuns: 0, firstSnapshotWeek: null, lastSnapshotWeek: null });

    expect(text(element, '.empty')).toMatch(/There are 0 weeks of runs so far\.$/);
  });

  it('shows an error it can read', async () => {
    const element = render();
    getAccuracy.error({ body: { message: 'Capacity_Forecast_Run__c RUN-0042: Summary__c is not the summary' } });
    await flush();

    expect(query(element, 'c-error-panel')).not.toBeNull();
    expect(query(element, 'svg')).toBeNull();
    await expect(element).toBeAccessible();
  });
});
