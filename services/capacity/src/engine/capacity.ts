import { dayNumber, weekday } from './calendar';
import type { Horizon } from './horizon';
import type { HolidayInput, ResourceInput, TimeOffInput } from './types';

const FIRM_WIDE = '';
/** Monday to Friday: the pattern of anyone whose working days are not set. */
export const DEFAULT_WORKING_DAYS: readonly number[] = [0, 1, 2, 3, 4];

/** Hours a resource works on each weekday (0 = Monday ... 6 = Sunday): weekly hours spread over their working days. */
export function workPattern(resource: ResourceInput): Float64Array {
  const days = resource.workingDays?.length ? resource.workingDays : DEFAULT_WORKING_DAYS;
  const pattern = new Float64Array(7);
  const distinct = new Set(days);
  for (const day of distinct) pattern[day] = resource.weeklyHours / distinct.size;
  return pattern;
}

/**
 * Weekly capacity of each resource: their weekly hours spread over their working days (Monday to Friday unless
 * `workingDays` says otherwise), only while the resource is active, less the holidays of their location and
 * firm-wide ones that fall on a working day of theirs, less time off. Time off never takes more than a day's hours
 * from a day: the same absence entered twice counts once, and overlapping absences together take at most the day.
 * Returns a resource x week matrix (row r = resources[r]).
 */
export function resourceCapacity(
  horizon: Horizon,
  resources: ResourceInput[],
  holidays: HolidayInput[],
  timeOff: TimeOffInput[]
): Float64Array {
  const weeks = horizon.weeks;
  const capacity = new Float64Array(resources.length * weeks);
  const holidaysByLocation = holidayDays(horizon, holidays);
  const firmWide = holidaysByLocation.get(FIRM_WIDE) ?? new Set<number>();
  const holidaysOf = new Map<string, number[]>();
  const holidaysFor = (location: string) => {
    let days = holidaysOf.get(location);
    if (!days) {
      days = [...new Set([...firmWide, ...(holidaysByLocation.get(location) ?? [])])].sort((a, b) => a - b);
      holidaysOf.set(location, days);
    }
    return days;
  };
  const timeOffByResource = new Map<string, TimeOffInput[]>();
  for (const entry of timeOff) {
    const list = timeOffByResource.get(entry.resourceId) ?? [];
    list.push(entry);
    timeOffByResource.set(entry.resourceId, list);
  }

  resources.forEach((resource, row) => {
    const from = Math.max(horizon.start, resource.activeFrom ? dayNumber(resource.activeFrom) : horizon.start);
    const to = Math.min(horizon.end, resource.activeTo ? dayNumber(resource.activeTo) : horizon.end);
    if (to < from || resource.weeklyHours <= 0) return;
    const pattern = workPattern(resource);
    const base = row * weeks;
    const firstWeek = horizon.weekOf(from);
    const lastWeek = horizon.weekOf(to);
    for (let week = firstWeek; week <= lastWeek; week++) {
      const weekStart = horizon.start + week * 7;
      if (weekStart >= from && weekStart + 6 <= to) {
        capacity[base + week] = resource.weeklyHours;
        continue;
      }
      let hours = 0;
      for (let day = Math.max(from, weekStart); day <= Math.min(to, weekStart + 6); day++)
        hours += pattern[weekday(day)]!;
      capacity[base + week] = hours;
    }
    const holidaySet = new Set<number>();
    for (const day of holidaysFor(resource.location ?? FIRM_WIDE)) {
      if (day < from || day > to) continue;
      holidaySet.add(day);
      capacity[base + horizon.weekOf(day)]! -= pattern[weekday(day)]!;
    }

    const entries = timeOffByResource.get(resource.id);
    if (!entries) return;
    // Hours off by day: identical records count once; different ones add up, capped at the day's hours below.
    const offByDay = new Map<number, number>();
    const seen = new Set<string>();
    for (const entry of entries) {
      const key = `${entry.start}|${entry.end}|${entry.hoursPerDay ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const start = Math.max(from, dayNumber(entry.start));
      const end = Math.min(to, dayNumber(entry.end));
      for (let day = start; day <= end; day++) {
        const hours = pattern[weekday(day)]!;
        if (hours === 0 || holidaySet.has(day)) continue;
        offByDay.set(day, (offByDay.get(day) ?? 0) + Math.min(entry.hoursPerDay ?? hours, hours));
      }
    }
    for (const [day, off] of offByDay) capacity[base + horizon.weekOf(day)]! -= Math.min(off, pattern[weekday(day)]!);
  });
  return capacity;
}

/** Holidays in the horizon, by location ('' = firm-wide); a weekend one costs only those who work that day. */
function holidayDays(horizon: Horizon, holidays: HolidayInput[]): Map<string, Set<number>> {
  const byLocation = new Map<string, Set<number>>();
  for (const holiday of holidays) {
    const day = dayNumber(holiday.date);
    if (day < horizon.start || day > horizon.end) continue;
    const key = holiday.location ?? FIRM_WIDE;
    const days = byLocation.get(key) ?? new Set<number>();
    days.add(day);
    byLocation.set(key, days);
  }
  return byLocation;
}
