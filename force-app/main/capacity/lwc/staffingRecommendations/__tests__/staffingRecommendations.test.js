import { createElement } from 'lwc';
import StaffingRecommendations from 'c/staffingRecommendations';
import getRecommendations from '@salesforce/apex/StaffingRecommendationController.getRecommendations';
import book from '@salesforce/apex/StaffingRecommendationController.book';
import { refreshApex } from '@salesforce/apex';
import { flush, query, queryAll, text, clearDocument } from 'test/jest-utils/dom';

const RECOMMENDATIONS = require('./data/recommendations.json');
const ENGAGEMENT_ID = 'a0E000000000001AAA';

jest.mock(
  '@salesforce/apex/StaffingRecommendationController.getRecommendations',
  () => {
    const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
    return { default: createApexTestWireAdapter(jest.fn()) };
  },
  { virtual: true }
);
jest.mock('@salesforce/apex/StaffingRecommendationController.book', () => ({ default: jest.fn() }), {
  virtual: true
});
jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });

const BOOKING = {
  assignmentId: 'a0A000000000001AAA',
  created: true,
  bookingType: 'Soft',
  hoursPerWeek: 40,
  startDate: '2026-11-23',
  endDate: '2026-12-04',
  demandId: 'a0D000000000001AAA',
  demandName: 'D-000101'
};

function render() {
  const element = createElement('c-staffing-recommendations', { is: StaffingRecommendations });
  element.recordId = ENGAGEMENT_ID;
  document.body.appendChild(element);
  return element;
}

async function emit(data) {
  const element = render();
  getRecommendations.emit(data);
  await flush();
  return element;
}

const with_ = (changes) => ({ ...RECOMMENDATIONS, ...changes });
const firstBook = (element) => queryAll(element, 'lightning-button.book')[0];

async function askToBook(element) {
  firstBook(element).click();
  await flush();
}

describe('c-staffing-recommendations', () => {
  afterEach(() => {
    clearDocument();
    jest.clearAllMocks();
  });

  it('shows a spinner until the recommendations arrive', async () => {
    const element = render();

    expect(query(element, 'lightning-spinner')).not.toBeNull();
    await expect(element).toBeAccessible();
  });

  it('lists each open line with its ranked candidates, skill match and free hours by week', async () => {
    const element = await emit(RECOMMENDATIONS);

    expect(getRecommendations.getLastConfig()).toEqual({ recordId: ENGAGEMENT_ID });
    expect(queryAll(element, 'section.demand h2').map((h2) => h2.textContent)).toEqual([
      'Developer · Apex — D-000101',
      'Trainer — D-000102'
    ]);
    expect(text(element, '.detail')).toBe('80 h, Nov 23, 2026 – Dec 4, 2026 (40 h a week)');
    const rows = queryAll(element, 'tr.candidate');
    expect(rows.map((row) => row.querySelector('.person').textContent)).toEqual(['Ada Lovelace', 'Linus Torvalds']);
    expect(rows[0].querySelector('.score').textContent).toContain('75%');
    expect(rows[0].querySelector('.skill').textContent).toBe('Has Apex');
    expect(rows[1].querySelector('.skill').textContent).toBe('Lacks Apex');
    const weeks = [...rows[0].querySelectorAll('li.week')];
    expect(weeks.map((week) => week.title)).toEqual(['Nov 23: 40 of 40 h free', 'Nov 30: 20 of 40 h free']);
    expect(weeks.map((week) => week.querySelector('.week-hours').textContent)).toEqual(['40/40', '20/40']);
    expect(weeks[1].querySelector('.bar').className).toBe('bar bar_partial');
    expect(text(element, '.no-weeks')).toBe('Not broken down by week');
    expect(text(element, '.no-candidates')).toMatch(/^No candidates ranked/);
    await expect(element).toBeAccessible();
  });

  it('shows a booked candidate as booked instead of offering Book', async () => {
    const element = await emit(RECOMMENDATIONS);

    const rows = queryAll(element, 'tr.candidate');
    expect(rows[1].querySelector('lightning-badge').label).toBe('Booked (Soft)');
    expect(rows[1].querySelector('lightning-button')).toBeNull();
    expect(rows[0].querySelector('lightning-button').disabled).toBe(false);
  });

  it('disables Book for a user who cannot create assignments, and says why', async () => {
    const element = await emit(with_({ canBook: false }));

    expect(firstBook(element).disabled).toBe(true);
    expect(text(element, '.cannot-book')).toContain('create access to assignments');
  });

  it('says what will be created before booking, and cancels without calling Apex', async () => {
    const element = await emit(RECOMMENDATIONS);

    await askToBook(element);
    expect(text(element, '.confirm-text')).toBe(
      'Create a soft booking of Ada Lovelace on D-000101: 40 h a week from Nov 23, 2026 to Dec 4, 2026? The next forecast counts it as a soft booking.'
    );
    expect(firstBook(element).disabled).toBe(true);
    await expect(element).toBeAccessible();
    query(element, 'lightning-button.cancel-book').click();
    await flush();

    expect(query(element, '.confirm')).toBeNull();
    expect(book).not.toHaveBeenCalled();
  });

  it('books once on confirmation, toasts, and refreshes the list', async () => {
    let resolve;
    book.mockReturnValue(new Promise((done) => (resolve = done)));
    const element = await emit(RECOMMENDATIONS);
    const toast = jest.fn();
    element.addEventListener('lightning__showtoast', toast);

    await askToBook(element);
    const confirm = query(element, 'lightning-button.confirm-book');
    confirm.click();
    confirm.click(); // a double click books nothing more
    await flush();
    expect(query(element, 'lightning-button.confirm-book').disabled).toBe(true);
    resolve(BOOKING);
    await flush();

    expect(book).toHaveBeenCalledTimes(1);
    expect(book).toHaveBeenCalledWith({ demandId: 'a0D000000000001AAA', resourceId: 'a0R000000000001AAA' });
    expect(toast.mock.calls[0][0].detail).toEqual({
      title: 'Soft booking created',
      message: 'D-000101: 40 h a week from Nov 23, 2026 to Dec 4, 2026 (Soft).',
      variant: 'success'
    });
    expect(refreshApex).toHaveBeenCalledTimes(1);
    expect(query(element, '.confirm')).toBeNull();

    // The refreshed list shows the candidate booked.
    const booked = JSON.parse(JSON.stringify(RECOMMENDATIONS));
    booked.demands[0].candidates[0].bookedAs = 'Soft';
    getRecommendations.emit(booked);
    await flush();
    expect(queryAll(element, 'tr.candidate')[0].querySelector('lightning-badge').label).toBe('Booked (Soft)');
  });

  it('shows why a booking was refused, naming the record and field', async () => {
    const message =
      'The booking was not saved: Assignment__c for Resource_Demand__c D-000101 (a0D000000000001AAA): Hours_Per_Week__c: Hours Per Week must be between 0 and 80.';
    book.mockRejectedValue({ body: { message }, ok: false, status: 400 });
    const element = await emit(RECOMMENDATIONS);
    const toast = jest.fn();
    element.addEventListener('lightning__showtoast', toast);

    await askToBook(element);
    query(element, 'lightning-button.confirm-book').click();
    await flush();

    expect(query(element, 'c-error-panel').errors.body.message).toBe(message);
    expect(toast.mock.calls[0][0].detail).toEqual({
      title: 'The booking was not saved',
      message,
      variant: 'error'
    });
    expect(refreshApex).not.toHaveBeenCalled();
    expect(query(element, 'lightning-button.confirm-book').disabled).toBe(false);
    await expect(element).toBeAccessible();
  });

  it('tells the user when there is no open demand', async () => {
    const element = await emit(with_({ demands: [] }));

    expect(text(element, '.empty')).toMatch(/^No open demand to staff/);
    await expect(element).toBeAccessible();
  });

  it('marks a pipeline engagement tentative, and a missing or stale forecast', async () => {
    const lines = [{ ...RECOMMENDATIONS.demands[1] }];
    let element = await emit(with_({ engagementStatus: 'Pipeline', demands: lines }));
    expect(text(element, '.pipeline')).toMatch(/^Tentative: the deal is not won yet/);
    clearDocument();

    element = await emit(with_({ forecastComputed: false, demands: lines }));
    expect(text(element, '.not-computed')).toMatch(/^No forecast has completed yet/);
    clearDocument();

    element = await emit(with_({ stale: true }));
    expect(text(element, '.stale')).toMatch(/^The forecast is out of date/);
  });

  it('shows a load error as readable text', async () => {
    const element = render();
    getRecommendations.error({ message: 'Insufficient access to Staffing_Recommendation__c' });
    await flush();

    expect(query(element, 'c-error-panel').friendlyMessage).toBe('Could not load the recommendations');
    await expect(element).toBeAccessible();
  });
});
