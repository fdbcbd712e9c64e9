/**
 * SOQL date literals (TODAY, LAST_N_DAYS:30, THIS_QUARTER, ...) as half-open ranges of dates [start, end), in the
 * org's time zone (GMT here) and with a fiscal year that starts in January, which is how a new org is set up.
 * Weeks start on Sunday (en_US locale).
 */
export interface DateRange {
  /** First day in the range, `YYYY-MM-DD`. */
  start: string;
  /** First day after the range, `YYYY-MM-DD`. */
  end: string;
}

const DAY = 86_400_000;

const utcDay = (date: Date): number => Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
const iso = (time: number): string => new Date(time).toISOString().slice(0, 10);
const addDays = (time: number, days: number): number => time + days * DAY;
const monthStart = (year: number, month: number): number => Date.UTC(year, month, 1);

function range(start: number, end: number): DateRange {
  return { start: iso(start), end: iso(end) };
}

export const DATE_LITERALS = new Set([
  'YESTERDAY',
  'TODAY',
  'TOMORROW',
  'LAST_WEEK',
  'THIS_WEEK',
  'NEXT_WEEK',
  'LAST_MONTH',
  'THIS_MONTH',
  'NEXT_MONTH',
  'LAST_90_DAYS',
  'NEXT_90_DAYS',
  'THIS_QUARTER',
  'LAST_QUARTER',
  'NEXT_QUARTER',
  'THIS_YEAR',
  'LAST_YEAR',
  'NEXT_YEAR',
  'THIS_FISCAL_QUARTER',
  'LAST_FISCAL_QUARTER',
  'NEXT_FISCAL_QUARTER',
  'THIS_FISCAL_YEAR',
  'LAST_FISCAL_YEAR',
  'NEXT_FISCAL_YEAR'
]);

/** The range a literal such as `THIS_MONTH` or `LAST_N_DAYS:7` covers at `now`; undefined if unknown. */
export function dateLiteralRange(literal: string, now: Date): DateRange | undefined {
  const [rawName, rawN] = literal.toUpperCase().split(':');
  const name = (rawName ?? '').replace('_FISCAL_', '_');
  const n = rawN === undefined ? 1 : Number(rawN);
  if (!Number.isInteger(n) || n < 0) return undefined;
  const today = utcDay(now);
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const weekStart = addDays(today, -new Date(today).getUTCDay());
  const quarterStart = month - (month % 3);
  switch (name) {
    case 'YESTERDAY':
      return range(addDays(today, -1), today);
    case 'TODAY':
      return range(today, addDays(today, 1));
    case 'TOMORROW':
      return range(addDays(today, 1), addDays(today, 2));
    case 'LAST_WEEK':
      return range(addDays(weekStart, -7), weekStart);
    case 'THIS_WEEK':
      return range(weekStart, addDays(weekStart, 7));
    case 'NEXT_WEEK':
      return range(addDays(weekStart, 7), addDays(weekStart, 14));
    case 'LAST_MONTH':
      return range(monthStart(year, month - 1), monthStart(year, month));
    case 'THIS_MONTH':
      return range(monthStart(year, month), monthStart(year, month + 1));
    case 'NEXT_MONTH':
      return range(monthStart(year, month + 1), monthStart(year, month + 2));
    case 'LAST_90_DAYS':
      return range(addDays(today, -90), addDays(today, 1));
    case 'NEXT_90_DAYS':
      return range(addDays(today, 1), addDays(today, 91));
    case 'THIS_QUARTER':
      return range(monthStart(year, quarterStart), monthStart(year, quarterStart + 3));
    case 'LAST_QUARTER':
      return range(monthStart(year, quarterStart - 3), monthStart(year, quarterStart));
    case 'NEXT_QUARTER':
      return range(monthStart(year, quarterStart + 3), monthStart(year, quarterStart + 6));
    case 'THIS_YEAR':
      return range(Date.UTC(year, 0, 1), Date.UTC(year + 1, 0, 1));
    case 'LAST_YEAR':
      return range(Date.UTC(year - 1, 0, 1), Date.UTC(year, 0, 1));
    case 'NEXT_YEAR':
      return range(Date.UTC(year + 1, 0, 1), Date.UTC(year + 2, 0, 1));
    // LAST_N_DAYS includes today; NEXT_N_DAYS starts tomorrow.
    case 'LAST_N_DAYS':
      return range(addDays(today, -n), addDays(today, 1));
    case 'NEXT_N_DAYS':
      return range(addDays(today, 1), addDays(today, n + 1));
    case 'N_DAYS_AGO':
      return range(addDays(today, -n), addDays(today, -n + 1));
    case 'LAST_N_WEEKS':
      return range(addDays(weekStart, -7 * n), weekStart);
    case 'NEXT_N_WEEKS':
      return range(addDays(weekStart, 7), addDays(weekStart, 7 * (n + 1)));
    case 'N_WEEKS_AGO':
      return range(addDays(weekStart, -7 * n), addDays(weekStart, -7 * (n - 1)));
    case 'LAST_N_MONTHS':
      return range(monthStart(year, month - n), monthStart(year, month));
    case 'NEXT_N_MONTHS':
      return range(monthStart(year, month + 1), monthStart(year, month + 1 + n));
    case 'N_MONTHS_AGO':
      return range(monthStart(year, month - n), monthStart(year, month - n + 1));
    case 'LAST_N_QUARTERS':
      return range(monthStart(year, quarterStart - 3 * n), monthStart(year, quarterStart));
    case 'NEXT_N_QUARTERS':
      return range(monthStart(year, quarterStart + 3), monthStart(year, quarterStart + 3 + 3 * n));
    case 'N_QUARTERS_AGO':
      return range(monthStart(year, quarterStart - 3 * n), monthStart(year, quarterStart - 3 * n + 3));
    case 'LAST_N_YEARS':
      return range(Date.UTC(year - n, 0, 1), Date.UTC(year, 0, 1));
    case 'NEXT_N_YEARS':
      return range(Date.UTC(year + 1, 0, 1), Date.UTC(year + 1 + n, 0, 1));
    case 'N_YEARS_AGO':
      return range(Date.UTC(year - n, 0, 1), Date.UTC(year - n + 1, 0, 1));
    default:
      return undefined;
  }
}
