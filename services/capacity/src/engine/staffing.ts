import { dayNumber, isoDate } from './calendar';
import { spreadLine } from './demand';
import type { FirmCalendar } from './firm-calendar';
import type { Horizon } from './horizon';
import type { AnswerState, DemandInput, OpportunityInput, RoleShortfall, StaffingAnswer, StartBasis } from './types';

const EPSILON = 1e-6;
/** Hours beyond the horizon below this are rounding, not demand. */
const BEYOND_MIN_HOURS = 0.005;
const round2 = (value: number) => Math.round(value * 100) / 100;

/**
 * "Can we staff this deal?" for each open deal: if it is won, where would its demand exceed the capacity left after
 * confirmed work, by role, starting at its expected start; and the earliest start (shifting its whole demand profile
 * week by week) at which it fits, for the deal and for each short role. Other open deals are not subtracted: each
 * answer assumes only this deal is won.
 *
 * The deal's lines are placed at its expected start: when the deal's expected start differs from the start of its
 * lines (the deal slipped, or was brought forward), every line moves by the difference, and the answer says so.
 * A shortfall is split into this deal's own uncovered hours and the confirmed work already beyond capacity in the
 * same role-weeks. A deal running past the horizon, or starting after it, says so in its state.
 */
export function staffingAnswers(
  horizon: Horizon,
  roles: string[],
  remaining: Float64Array,
  demand: DemandInput[],
  opportunities: OpportunityInput[],
  calendar: FirmCalendar
): StaffingAnswer[] {
  const weeks = horizon.weeks;
  const roleIndex = new Map(roles.map((role, index) => [role, index]));
  const byId = new Map(opportunities.map((deal) => [deal.id, deal]));
  const linesByDeal = new Map<string, DemandInput[]>();
  for (const line of demand) {
    if (line.layer !== 'pipeline' || line.status === 'Released') continue;
    const lines = linesByDeal.get(line.opportunityId);
    if (lines) lines.push(line);
    else linesByDeal.set(line.opportunityId, [line]);
  }

  const answers: StaffingAnswer[] = [];
  for (const [opportunityId, lines] of linesByDeal) {
    let linesStart = Infinity;
    for (const line of lines) linesStart = Math.min(linesStart, dayNumber(line.start));
    const expectedIso = byId.get(opportunityId)?.expectedStart;
    const expected = expectedIso ? dayNumber(expectedIso) : Number.NaN;
    const shift = Number.isNaN(expected) ? 0 : expected - linesStart;
    const startBasis: StartBasis = Number.isNaN(expected)
      ? 'Demand_Lines'
      : shift === 0
        ? 'Expected_Start'
        : 'Expected_Start_Shifted';
    const plannedDay = linesStart + shift;

    // The deal's profile at its planned start: hours per role-week cell inside the horizon, and the hours after it.
    const profile = new Map<number, number>();
    let beyond = 0;
    for (const line of lines) {
      const roleBase = roleIndex.get(line.role)! * weeks;
      spreadLine(
        horizon,
        line,
        (week, hours) => profile.set(roleBase + week, (profile.get(roleBase + week) ?? 0) + hours),
        calendar,
        shift
      );
      beyond += hoursAfter(horizon, calendar, line, shift);
    }
    let inside = 0;
    for (const hours of profile.values()) inside += hours;
    const partlyBeyond = beyond >= BEYOND_MIN_HOURS;
    const whollyBeyond = plannedDay > horizon.end || (partlyBeyond && inside < BEYOND_MIN_HOURS);

    const shortByRole = new Map<number, { hours: number; over: number; firstWeek: number }>();
    for (const [cell, hours] of profile) {
      const free = remaining[cell]!;
      if (hours - free <= EPSILON) continue;
      const role = Math.floor(cell / weeks);
      const short = shortByRole.get(role) ?? { hours: 0, over: 0, firstWeek: weeks };
      // Of the gap (hours - free), what the deal itself lacks is at most its own hours; the rest was short already.
      short.hours += hours - Math.max(0, free);
      short.over += Math.max(0, -free);
      short.firstWeek = Math.min(short.firstWeek, cell % weeks);
      shortByRole.set(role, short);
    }
    const startAfter = (weeksLater: number | null) =>
      weeksLater === null ? null : isoDate(plannedDay + 7 * weeksLater);
    const shortfalls: RoleShortfall[] = [...shortByRole.entries()]
      .map(([role, short]) => ({
        role: roles[role]!,
        hours: round2(short.hours),
        overCommittedHours: round2(short.over),
        firstWeek: isoDate(horizon.weekStart(short.firstWeek)),
        earliestFeasibleStart: startAfter(
          earliestFit(profile, remaining, weeks, partlyBeyond, (cell) => Math.floor(cell / weeks) === role)
        )
      }))
      .sort((a, b) => b.hours - a.hours || a.role.localeCompare(b.role));

    const state: AnswerState = whollyBeyond
      ? 'Beyond_Horizon'
      : partlyBeyond
        ? 'Partly_Beyond_Horizon'
        : shortfalls.length === 0
          ? 'Staffable'
          : 'Short';
    answers.push({
      opportunityId,
      plannedStart: isoDate(plannedDay),
      startBasis,
      startShiftDays: shift,
      state,
      staffable: !whollyBeyond && shortfalls.length === 0,
      shortfalls: whollyBeyond ? [] : shortfalls,
      shortfallHours: whollyBeyond ? 0 : round2(shortfalls.reduce((sum, short) => sum + short.hours, 0)),
      overCommittedHours: whollyBeyond
        ? 0
        : round2(shortfalls.reduce((sum, short) => sum + short.overCommittedHours, 0)),
      hoursBeyondHorizon: round2(beyond),
      horizonEnd: isoDate(horizon.end),
      earliestFeasibleStart: whollyBeyond ? null : startAfter(earliestFit(profile, remaining, weeks, partlyBeyond))
    });
  }
  return answers;
}

/** Hours of a (moved) line on firm working days after the horizon's end. */
function hoursAfter(
  horizon: Horizon,
  calendar: FirmCalendar,
  line: { hours: number; start: string; end: string },
  shift: number
): number {
  const start = dayNumber(line.start) + shift;
  const end = dayNumber(line.end) + shift;
  if (end <= horizon.end) return 0;
  const total = calendar.workingDays(start, end);
  if (total === 0) return start > horizon.end ? line.hours : 0;
  return (line.hours * calendar.workingDays(Math.max(start, horizon.end + 1), end)) / total;
}

/**
 * Weeks after the planned start from which the profile's cells (those `include` accepts) fit the capacity left; null
 * if never within the horizon. A later start must keep the whole profile inside the horizon, so a deal that already
 * runs past it is only checked at its planned start.
 */
function earliestFit(
  profile: Map<number, number>,
  remaining: Float64Array,
  weeks: number,
  partlyBeyond: boolean,
  include: (cell: number) => boolean = () => true
): number | null {
  const cells: number[] = [];
  const hours: number[] = [];
  let lastWeek = 0;
  for (const [cell, value] of profile) {
    if (!include(cell)) continue;
    cells.push(cell);
    hours.push(value);
    lastWeek = Math.max(lastWeek, cell % weeks);
  }
  for (let shift = 0; shift === 0 || (!partlyBeyond && lastWeek + shift < weeks); shift++) {
    let fits = true;
    for (let index = 0; index < cells.length; index++) {
      if (hours[index]! - remaining[cells[index]! + shift]! > EPSILON) {
        fits = false;
        break;
      }
    }
    if (fits) return shift;
  }
  return null;
}
