import type { Location } from './catalog';
import { addDays, dayOfWeek, daysBetween, easterSunday, isoDate, isWeekend, nthWeekday, type IsoDate } from './dates';

/**
 * Public holidays of the firm's offices, and firm-wide days off, for the half year from `today`. A location's
 * holiday is named with the location in brackets ('[London] Boxing Day'); a firm-wide one has no prefix.
 */

export interface Holiday {
  readonly name: string;
  readonly date: IsoDate;
}

/** How a holiday that falls on a weekend is observed. */
type Observance = 'next weekday' | 'nearest weekday' | 'skip';

interface Rule {
  readonly location?: Exclude<Location, 'Remote'>;
  readonly name: string;
  readonly date: (year: number) => IsoDate;
  readonly weekend: Observance;
}

const MONDAY = 1;
const THURSDAY = 4;
const FRIDAY = 5;
const easter = (offset: number) => (year: number) => addDays(easterSunday(year), offset);
const fixed = (month: number, day: number) => (year: number) => isoDate(year, month, day);
const nth = (month: number, weekday: number, n: number) => (year: number) => nthWeekday(year, month, weekday, n);

/** Firm-wide days first: a location's substitute day moves past them (UK Boxing Day after Christmas). */
const RULES: readonly Rule[] = [
  { name: "New Year's Day", date: fixed(1, 1), weekend: 'nearest weekday' },
  { name: 'Firm Wellbeing Day', date: nth(4, FRIDAY, 1), weekend: 'skip' },
  { name: 'Christmas Day', date: fixed(12, 25), weekend: 'nearest weekday' },
  { location: 'London', name: 'Good Friday', date: easter(-2), weekend: 'skip' },
  { location: 'London', name: 'Easter Monday', date: easter(1), weekend: 'skip' },
  { location: 'London', name: 'Early May Bank Holiday', date: nth(5, MONDAY, 1), weekend: 'skip' },
  { location: 'London', name: 'Spring Bank Holiday', date: nth(5, MONDAY, -1), weekend: 'skip' },
  { location: 'London', name: 'Summer Bank Holiday', date: nth(8, MONDAY, -1), weekend: 'skip' },
  { location: 'London', name: 'Boxing Day', date: fixed(12, 26), weekend: 'next weekday' },
  { location: 'New York', name: 'Martin Luther King Jr. Day', date: nth(1, MONDAY, 3), weekend: 'skip' },
  { location: 'New York', name: "Presidents' Day", date: nth(2, MONDAY, 3), weekend: 'skip' },
  { location: 'New York', name: 'Memorial Day', date: nth(5, MONDAY, -1), weekend: 'skip' },
  { location: 'New York', name: 'Juneteenth', date: fixed(6, 19), weekend: 'nearest weekday' },
  { location: 'New York', name: 'Independence Day', date: fixed(7, 4), weekend: 'nearest weekday' },
  { location: 'New York', name: 'Labor Day', date: nth(9, MONDAY, 1), weekend: 'skip' },
  { location: 'New York', name: 'Thanksgiving', date: nth(11, THURSDAY, 4), weekend: 'skip' },
  {
    location: 'New York',
    name: 'Day after Thanksgiving',
    date: (year) => addDays(nthWeekday(year, 11, 4, 4), 1),
    weekend: 'skip'
  },
  { location: 'Berlin', name: "International Women's Day", date: fixed(3, 8), weekend: 'skip' },
  { location: 'Berlin', name: 'Good Friday', date: easter(-2), weekend: 'skip' },
  { location: 'Berlin', name: 'Easter Monday', date: easter(1), weekend: 'skip' },
  { location: 'Berlin', name: 'Labour Day', date: fixed(5, 1), weekend: 'skip' },
  { location: 'Berlin', name: 'Ascension Day', date: easter(39), weekend: 'skip' },
  { location: 'Berlin', name: 'Whit Monday', date: easter(50), weekend: 'skip' },
  { location: 'Berlin', name: 'German Unity Day', date: fixed(10, 3), weekend: 'skip' },
  { location: 'Berlin', name: 'Second Day of Christmas', date: fixed(12, 26), weekend: 'skip' }
];

/** Days ahead of `today` the holiday calendar covers. */
export const HOLIDAY_HORIZON_DAYS = 182;

function observe(date: IsoDate, rule: Rule, taken: Set<IsoDate>): IsoDate | undefined {
  if (!isWeekend(date)) return date;
  switch (rule.weekend) {
    case 'skip':
      return undefined;
    case 'nearest weekday':
      return addDays(date, dayOfWeek(date) === 6 ? -1 : 1);
    case 'next weekday': {
      let day = date;
      while (isWeekend(day) || taken.has(day)) day = addDays(day, 1);
      return day;
    }
  }
}

/** Holidays from `today` to HOLIDAY_HORIZON_DAYS later, ordered by date, then name. */
export function holidaysFrom(today: IsoDate): Holiday[] {
  const firstYear = Number(today.slice(0, 4));
  const holidays: Holiday[] = [];
  for (const year of [firstYear, firstYear + 1]) {
    const firmWide = new Set<IsoDate>();
    for (const rule of RULES) {
      const taken = rule.location ? firmWide : new Set<IsoDate>();
      const date = observe(rule.date(year), rule, taken);
      if (!date) continue;
      if (!rule.location) firmWide.add(date);
      const offset = daysBetween(today, date);
      if (offset < 0 || offset > HOLIDAY_HORIZON_DAYS) continue;
      holidays.push({ name: rule.location ? `[${rule.location}] ${rule.name}` : rule.name, date });
    }
  }
  return holidays.sort((a, b) => (a.date === b.date ? compare(a.name, b.name) : compare(a.date, b.date)));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
