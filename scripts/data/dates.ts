/**
 * Calendar dates as ISO strings ('2026-11-23'), computed in UTC so time zones never shift a day.
 */
const DAY_MS = 86_400_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export type IsoDate = string;

export function parseDate(iso: IsoDate): number {
  if (!ISO_DATE.test(iso)) throw new Error(`not an ISO date (YYYY-MM-DD): ${iso}`);
  const time = Date.parse(`${iso}T00:00:00Z`);
  if (Number.isNaN(time) || formatTime(time) !== iso) throw new Error(`not a calendar date: ${iso}`);
  return time;
}

function formatTime(time: number): IsoDate {
  return new Date(time).toISOString().slice(0, 10);
}

export function addDays(iso: IsoDate, days: number): IsoDate {
  return formatTime(parseDate(iso) + days * DAY_MS);
}

export function addWeeks(iso: IsoDate, weeks: number): IsoDate {
  return addDays(iso, weeks * 7);
}

/** Days from `from` to `to` (negative when `to` is earlier), like Apex's Date.daysBetween. */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((parseDate(to) - parseDate(from)) / DAY_MS);
}

/** 0 = Sunday ... 6 = Saturday. */
export function dayOfWeek(iso: IsoDate): number {
  return new Date(parseDate(iso)).getUTCDay();
}

export function isWeekend(iso: IsoDate): boolean {
  const day = dayOfWeek(iso);
  return day === 0 || day === 6;
}

/** The Monday of the week `iso` falls in (weeks run Monday to Sunday). */
export function mondayOf(iso: IsoDate): IsoDate {
  return addDays(iso, -((dayOfWeek(iso) + 6) % 7));
}

export function isoDate(year: number, month: number, day: number): IsoDate {
  return formatTime(Date.UTC(year, month - 1, day));
}

/** The n-th (1-based) given weekday of a month; n = -1 is the last one. */
export function nthWeekday(year: number, month: number, weekday: number, n: number): IsoDate {
  if (n > 0) {
    const first = isoDate(year, month, 1);
    return addDays(first, ((weekday - dayOfWeek(first) + 7) % 7) + (n - 1) * 7);
  }
  const last = isoDate(year, month + 1, 0);
  return addDays(last, -((dayOfWeek(last) - weekday + 7) % 7));
}

/** Easter Sunday (Gregorian calendar, anonymous algorithm). */
export function easterSunday(year: number): IsoDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return isoDate(year, month, day);
}
