/**
 * Day arithmetic on UTC day numbers (days since 1970-01-01). Weeks start on Monday; a forecast's buckets are the
 * weeks from the Monday of its as-of date.
 */
const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const parsed = new Map<string, number>();
const MAX_CACHED = 100_000;

/** Day number of an ISO date (YYYY-MM-DD), or NaN when it is not one. Memoized: forecasts repeat few dates often. */
export function dayNumber(iso: string): number {
  let day = parsed.get(iso);
  if (day === undefined) {
    day = parseDay(iso);
    if (parsed.size >= MAX_CACHED) parsed.clear();
    parsed.set(iso, day);
  }
  return day;
}

function parseDay(iso: string): number {
  const match = ISO_DATE.exec(iso);
  if (!match) return Number.NaN;
  const [, year, month, day] = match;
  const time = Date.UTC(Number(year), Number(month) - 1, Number(day));
  const date = new Date(time);
  // Reject dates such as 2026-02-30 that Date.UTC would roll over.
  if (date.getUTCDate() !== Number(day) || date.getUTCMonth() !== Number(month) - 1) return Number.NaN;
  return time / MS_PER_DAY;
}

export function isoDate(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** 0 = Monday ... 6 = Sunday. */
export function weekday(day: number): number {
  // 1970-01-01 was a Thursday (3).
  return (((day + 3) % 7) + 7) % 7;
}

export function mondayOf(day: number): number {
  return day - weekday(day);
}

/** Working days (Monday to Friday) in the inclusive range [from, to]; 0 when to < from. */
export function workingDays(from: number, to: number): number {
  if (to < from) return 0;
  const start = mondayOf(from);
  const fullWeeks = Math.floor((to - start + 1) / 7);
  let count = fullWeeks * 5 - Math.min(weekday(from), 5);
  for (let day = start + fullWeeks * 7; day <= to; day++) if (weekday(day) < 5) count++;
  return count;
}

export function isWorkingDay(day: number): boolean {
  return weekday(day) < 5;
}
