/**
 * Twin of the Apex class HandoffWeeks for the preview adapters: weeks start on Monday, demand is spread evenly over
 * working days (Monday to Friday). Dates are ISO calendar days ("2026-11-23"), computed in UTC.
 */

const DAY_MS = 86_400_000;

export const dayNumber = (iso: string): number => Math.floor(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / DAY_MS);
export const isoOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
export const addDays = (iso: string, days: number): string => isoOf(dayNumber(iso) + days);

/** 0 for Monday ... 6 for Sunday (1970-01-01 was a Thursday). */
const dayOfWeek = (day: number): number => (((day + 3) % 7) + 7) % 7;

export const mondayOf = (iso: string): string => isoOf(dayNumber(iso) - dayOfWeek(dayNumber(iso)));

export function workingDays(first: string | null, last: string | null): number {
  if (!first || !last) return 0;
  let count = 0;
  for (let day = dayNumber(first); day <= dayNumber(last); day++) if (dayOfWeek(day) < 5) count++;
  return count;
}

/** Hours of a line by the Monday of each week it touches; a line without working days puts them on its first week. */
export function spread(hours: number | null, start: string | null, end: string | null): Map<string, number> {
  const byWeek = new Map<string, number>();
  if (hours === null || !start || !end || end < start) return byWeek;
  const total = workingDays(start, end);
  if (total === 0) return byWeek.set(mondayOf(start), hours);
  for (let monday = mondayOf(start); monday <= end; monday = addDays(monday, 7)) {
    const friday = addDays(monday, 4);
    const days = workingDays(start > monday ? start : monday, end < friday ? end : friday);
    if (days > 0) byWeek.set(monday, (hours * days) / total);
  }
  return byWeek;
}

export function weeksBetween(firstMonday: string | undefined, lastMonday: string | undefined): string[] {
  const weeks: string[] = [];
  if (!firstMonday || !lastMonday) return weeks;
  for (let monday = firstMonday; monday <= lastMonday; monday = addDays(monday, 7)) weeks.push(monday);
  return weeks;
}
