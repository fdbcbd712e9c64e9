import { dayNumber, weekday } from './calendar';
import type { Horizon } from './horizon';
import type { HolidayInput, ResourceInput, TimeOffInput } from './types';

const FIRM_WIDE = '';
/** Monday to Friday: the working days of anyone whose days are not set. */
const MONDAY_TO_FRIDAY = Uint8Array.from([1, 1, 1, 1, 1, 0, 0]);

/** Which weekdays (0 = Monday ... 6 = Sunday) a resource works, as 0/1 flags. */
function workingDayFlags(resource: ResourceInput): Uint8Array {
  if (!resource.workingDays?.length) return MONDAY_TO_FRIDAY;
  const flags = new Uint8Array(7);
  for (const day of resource.workingDays) flags[day] = 1;
  return flags;
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
  // Per location: its holidays and firm-wide ones, as a sorted list and as a flag per day of the horizon.
  const calendars = new Map<string, { days: number[]; isHoliday: Uint8Array }>();
  const calendarFor = (location: string) => {
    let calendar = calendars.get(location);
    if (!calendar) {
      const days = [...new Set([...firmWide, ...(holidaysByLocation.get(location) ?? [])])].sort((a, b) => a - b);
      const isHoliday = new Uint8Array(weeks * 7);
      for (const day of days) isHoliday[day - horizon.start] = 1;
      calendar = { days, isHoliday };
      calendars.set(location, calendar);
    }
    return calendar;
  };
  const timeOffByResource = new Map<string, TimeOffInput[]>();
  for (const entry of timeOff) {
    const list = timeOffByResource.get(entry.resourceId);
    if (list) list.push(entry);
    else timeOffByResource.set(entry.resourceId, [entry]);
  }

  resources.forEach((resource, row) => {
    const from = Math.max(horizon.start, resource.activeFrom ? dayNumber(resource.activeFrom) : horizon.start);
    const to = Math.min(horizon.end, resource.activeTo ? dayNumber(resource.activeTo) : horizon.end);
    if (to < from || resource.weeklyHours <= 0) return;
    const flags = workingDayFlags(resource);
    const daily = resource.weeklyHours / (flags === MONDAY_TO_FRIDAY ? 5 : flags.reduce((sum, flag) => sum + flag, 0));
    const hoursOn = (day: number) => flags[weekday(day)]! * daily;
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
      for (let day = Math.max(from, weekStart); day <= Math.min(to, weekStart + 6); day++) hours += hoursOn(day);
      capacity[base + week] = hours;
    }
    const { days: holidayList, isHoliday } = calendarFor(resource.location ?? FIRM_WIDE);
    for (let index = 0; index < holidayList.length; index++) {
      const day = holidayList[index]!;
      if (day >= from && day <= to) capacity[base + horizon.weekOf(day)]! -= hoursOn(day);
    }

    const entries = timeOffByResource.get(resource.id);
    if (!entries) return;
    const takeOff = (entry: TimeOffInput, visit: (day: number, hours: number, dayHours: number) => void) => {
      const end = Math.min(to, dayNumber(entry.end));
      for (let day = Math.max(from, dayNumber(entry.start)); day <= end; day++) {
        const dayHours = hoursOn(day);
        if (dayHours === 0 || isHoliday[day - horizon.start]) continue;
        visit(day, Math.min(entry.hoursPerDay ?? dayHours, dayHours), dayHours);
      }
    };
    if (entries.length === 1) {
      // The common case: one absence can take at most each day's hours, and does.
      takeOff(entries[0]!, (day, hours) => (capacity[base + horizon.weekOf(day)]! -= hours));
      return;
    }
    // Hours off by day: identical records count once; different ones add up, capped at the day's hours.
    const offByDay = new Map<number, number>();
    const seen = new Set<string>();
    for (const entry of entries) {
      const key = `${entry.start}|${entry.end}|${entry.hoursPerDay ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      takeOff(entry, (day, hours, dayHours) => {
        const before = offByDay.get(day) ?? 0;
        const after = Math.min(dayHours, before + hours);
        offByDay.set(day, after);
        capacity[base + horizon.weekOf(day)]! -= after - before;
      });
    }
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
