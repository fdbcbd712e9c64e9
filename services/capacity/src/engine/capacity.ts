import { dayNumber, isWorkingDay, workingDays } from './calendar';
import type { Horizon } from './horizon';
import type { HolidayInput, ResourceInput, TimeOffInput } from './types';

const FIRM_WIDE = '';

/**
 * Weekly capacity of each resource: contracted hours spread over working days (Monday to Friday), only while the
 * resource is active, less the holidays of their location and firm-wide ones, less time off.
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
  const prefixes = new Map<string, Int32Array>();
  const prefixFor = (location: string) => {
    let prefix = prefixes.get(location);
    if (!prefix) {
      const days = new Set([...firmWide, ...(holidaysByLocation.get(location) ?? [])]);
      prefix = new Int32Array(weeks * 7 + 1);
      for (let offset = 0; offset < weeks * 7; offset++) {
        prefix[offset + 1] = prefix[offset]! + (days.has(horizon.start + offset) ? 1 : 0);
      }
      prefixes.set(location, prefix);
    }
    return prefix;
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
    const daily = resource.weeklyHours / 5;
    const location = resource.location ?? FIRM_WIDE;
    const prefix = prefixFor(location);
    const base = row * weeks;
    const firstWeek = horizon.weekOf(from);
    const lastWeek = horizon.weekOf(to);
    for (let week = firstWeek; week <= lastWeek; week++) {
      const weekStart = horizon.start + week * 7;
      const a = Math.max(from, weekStart);
      const b = Math.min(to, weekStart + 6);
      const days = a === weekStart && b === weekStart + 6 ? 5 : workingDays(a, b);
      const holidaysInWeek = prefix[b - horizon.start + 1]! - prefix[a - horizon.start]!;
      capacity[base + week] = daily * (days - holidaysInWeek);
    }
    const isHoliday = (day: number) => prefix[day - horizon.start + 1]! - prefix[day - horizon.start]! > 0;
    for (const entry of timeOffByResource.get(resource.id) ?? []) {
      const start = Math.max(from, dayNumber(entry.start));
      const end = Math.min(to, dayNumber(entry.end));
      const off = Math.min(entry.hoursPerDay ?? daily, daily);
      for (let day = start; day <= end; day++) {
        if (!isWorkingDay(day) || isHoliday(day)) continue;
        const cell = base + horizon.weekOf(day);
        capacity[cell] = Math.max(0, capacity[cell]! - off);
      }
    }
  });
  return capacity;
}

/** Working-day holidays in the horizon, by location ('' = firm-wide). */
function holidayDays(horizon: Horizon, holidays: HolidayInput[]): Map<string, Set<number>> {
  const byLocation = new Map<string, Set<number>>();
  for (const holiday of holidays) {
    const day = dayNumber(holiday.date);
    if (day < horizon.start || day > horizon.end || !isWorkingDay(day)) continue;
    const key = holiday.location ?? FIRM_WIDE;
    const days = byLocation.get(key) ?? new Set<number>();
    days.add(day);
    byLocation.set(key, days);
  }
  return byLocation;
}
