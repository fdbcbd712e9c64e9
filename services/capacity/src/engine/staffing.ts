import { dayNumber, isoDate } from './calendar';
import type { FirmCalendar } from './firm-calendar';
import type { Horizon } from './horizon';
import type { AnswerState, DemandInput, OpportunityInput, RoleShortfall, StaffingAnswer, StartBasis } from './types';

const EPSILON = 1e-6;
/** Hours beyond the horizon below this are rounding, not demand. */
const BEYOND_MIN_HOURS = 0.005;
const round2 = (value: number) => Math.round(value * 100) / 100;

/** The (role, skill) pairs and what their holders have left, for the skill half of the answer. */
export interface SkillSupply {
  /** Row `index` of `remaining` is `pairs[index]`. */
  pairs: { role: string; skill: string }[];
  /** Capacity of the pair's holders less confirmed demand on them, pair x week (row = pair index). */
  remaining: Float64Array;
}

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
 *
 * Lines naming a skill are also checked against the people of the role who hold the skill: a role with free hours
 * but nobody holding the skill free is not staffable, and the shortfall names the skill (with its own split and
 * earliest start). The holders' free hours are their capacity less confirmed lines naming the skill and their own
 * bookings on other work (skills.ts, demand.ts); unbooked confirmed lines of another skill that the same people might
 * cover are not subtracted, so the skill check can pass a deal that a full assignment would not: a deal it calls short
 * is short.
 */
export function staffingAnswers(
  horizon: Horizon,
  roles: string[],
  remaining: Float64Array,
  demand: DemandInput[],
  opportunities: OpportunityInput[],
  calendar: FirmCalendar,
  skills?: SkillSupply
): StaffingAnswer[] {
  const weeks = horizon.weeks;
  const roleIndex = new Map(roles.map((role, index) => [role, index]));
  // Rows of the profile: the roles, then the (role, skill) pairs; a cell is row x weeks + week, in both the profile
  // and `free`, so one sorted run of cells per row serves roles and skills alike.
  const pairRows = new Map<string, Map<string, number>>();
  skills?.pairs.forEach((pair, index) => {
    let bySkill = pairRows.get(pair.role);
    if (!bySkill) pairRows.set(pair.role, (bySkill = new Map()));
    bySkill.set(pair.skill, roles.length + index);
  });
  const rowName = (row: number) =>
    row < roles.length
      ? { role: roles[row]! }
      : { role: skills!.pairs[row - roles.length]!.role, skill: skills!.pairs[row - roles.length]!.skill };
  let free = remaining;
  if (skills?.pairs.length) {
    free = new Float64Array(remaining.length + skills.remaining.length);
    free.set(remaining);
    free.set(skills.remaining, remaining.length);
  }
  const byId = new Map(opportunities.map((deal) => [deal.id, deal]));
  const linesByDeal = new Map<string, DemandInput[]>();
  for (const line of demand) {
    if (line.layer !== 'pipeline' || line.status === 'Released') continue;
    const lines = linesByDeal.get(line.opportunityId);
    if (lines) lines.push(line);
    else linesByDeal.set(line.opportunityId, [line]);
  }

  const answers: StaffingAnswer[] = [];
  // Thousands of answers name the same few hundred days: format each once.
  const isoDays = new Map<number, string>();
  const iso = (day: number) => {
    let text = isoDays.get(day);
    if (text === undefined) isoDays.set(day, (text = isoDate(day)));
    return text;
  };
  const horizonEnd = iso(horizon.end);
  // The deal being answered, as dense role-week hours plus the list of cells it touches (reset after each deal):
  // thousands of deals with small profiles, so no per-deal maps.
  const profile = new Float64Array(free.length);
  const touched: number[] = [];
  let cells = new Int32Array(256);
  let hours = new Float64Array(256);
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
    let beyond = 0;
    let inside = 0;
    for (const line of lines) {
      const roleBase = roleIndex.get(line.role)! * weeks;
      const skillRow = line.skill ? pairRows.get(line.role)?.get(line.skill) : undefined;
      const skillBase = skillRow === undefined ? -1 : skillRow * weeks;
      const start = dayNumber(line.start) + shift;
      const end = dayNumber(line.end) + shift;
      const total = calendar.workingDays(start, end);
      if (total === 0) {
        const week = horizon.weekOf(start);
        if (week >= weeks) beyond += line.hours;
        else if (week >= 0) {
          inside += add(profile, touched, roleBase + week, line.hours);
          if (skillBase >= 0) add(profile, touched, skillBase + week, line.hours);
        }
        continue;
      }
      if (end > horizon.end)
        beyond += (line.hours * calendar.workingDays(Math.max(start, horizon.end + 1), end)) / total;
      const first = Math.max(0, horizon.weekOf(Math.max(start, horizon.start)));
      const last = Math.min(weeks - 1, horizon.weekOf(Math.min(end, horizon.end)));
      for (let week = first; week <= last; week++) {
        const days = calendar.daysInWeek(week, start, end);
        if (days === 0) continue;
        inside += add(profile, touched, roleBase + week, (line.hours * days) / total);
        if (skillBase >= 0) add(profile, touched, skillBase + week, (line.hours * days) / total);
      }
    }
    // The profile as (cell, hours) pairs in cell order, so each row's cells are one run (cell = row * weeks +
    // week). Reused buffers and an insertion sort of a few dozen cells: allocating and sorting per deal was most of
    // the time of this function.
    const count = touched.length;
    if (count > cells.length) {
      cells = new Int32Array(count * 2);
      hours = new Float64Array(count * 2);
    }
    for (let index = 0; index < count; index++) {
      const cell = touched[index]!;
      let at = index;
      while (at > 0 && cells[at - 1]! > cell) {
        cells[at] = cells[at - 1]!;
        at--;
      }
      cells[at] = cell;
    }
    for (let index = 0; index < count; index++) {
      hours[index] = profile[cells[index]!]!;
      profile[cells[index]!] = 0;
    }
    touched.length = 0;

    const partlyBeyond = beyond >= BEYOND_MIN_HOURS;
    const whollyBeyond = plannedDay > horizon.end || (partlyBeyond && inside < BEYOND_MIN_HOURS);

    const shortByRow = new Map<number, { hours: number; over: number; firstWeek: number }>();
    for (let index = 0; index < count; index++) {
      const cell = cells[index]!;
      const need = hours[index]!;
      const left = free[cell]!;
      if (need - left <= EPSILON) continue;
      const row = Math.floor(cell / weeks);
      const short = shortByRow.get(row) ?? { hours: 0, over: 0, firstWeek: weeks };
      // Of the gap (need - left), what the deal itself lacks is at most its own hours; the rest was short already.
      short.hours += need - Math.max(0, left);
      short.over += Math.max(0, -left);
      short.firstWeek = Math.min(short.firstWeek, cell % weeks);
      shortByRow.set(row, short);
    }
    const startAfter = (weeksLater: number | null) => (weeksLater === null ? null : iso(plannedDay + 7 * weeksLater));
    const shortfalls: RoleShortfall[] = whollyBeyond
      ? []
      : [...shortByRow.entries()]
          .map(([row, short]) => ({
            ...rowName(row),
            hours: round2(short.hours),
            overCommittedHours: round2(short.over),
            firstWeek: iso(horizon.weekStart(short.firstWeek)),
            earliestFeasibleStart: startAfter(earliestFit(cells, hours, count, free, weeks, partlyBeyond, row))
          }))
          .sort(
            (a, b) => b.hours - a.hours || a.role.localeCompare(b.role) || (a.skill ?? '').localeCompare(b.skill ?? '')
          );

    const state: AnswerState = whollyBeyond
      ? 'Beyond_Horizon'
      : partlyBeyond
        ? 'Partly_Beyond_Horizon'
        : shortfalls.length === 0
          ? 'Staffable'
          : 'Short';
    answers.push({
      opportunityId,
      plannedStart: iso(plannedDay),
      startBasis,
      startShiftDays: shift,
      state,
      staffable: !whollyBeyond && shortfalls.length === 0,
      shortfalls,
      shortfallHours: round2(atLeastByRole(shortfalls, (short) => short.hours)),
      overCommittedHours: round2(atLeastByRole(shortfalls, (short) => short.overCommittedHours)),
      hoursBeyondHorizon: round2(beyond),
      horizonEnd,
      earliestFeasibleStart: whollyBeyond
        ? null
        : startAfter(earliestFit(cells, hours, count, free, weeks, partlyBeyond))
    });
  }
  return answers;
}

/**
 * A total over a deal's shortfalls that counts each role once: per role, the largest of the role's figure and its
 * skills' figures. A skill's hours are part of the same people's hours as the role's (and skill rows overlap), so
 * adding them would count hours twice; the result is what the deal lacks at least.
 */
export function atLeastByRole<T extends { role: string }>(shortfalls: T[], value: (short: T) => number): number {
  const byRole = new Map<string, number>();
  for (const short of shortfalls) byRole.set(short.role, Math.max(byRole.get(short.role) ?? 0, value(short)));
  let sum = 0;
  for (const hours of byRole.values()) sum += hours;
  return sum;
}

/** Adds hours to a profile cell, noting the cell the first time; returns the hours added. */
function add(profile: Float64Array, touched: number[], cell: number, hours: number): number {
  if (hours === 0) return 0; // a cell is noted once, when its hours first become non-zero
  if (profile[cell] === 0) touched.push(cell);
  profile[cell]! += hours;
  return hours;
}

/**
 * Weeks after the planned start from which the profile's cells (those of one row, or all) fit the capacity left;
 * null if never within the horizon. A later start must keep the whole profile inside the horizon, so a deal that
 * already runs past it is only checked at its planned start. Cells are sorted, so one row's cells are a run.
 */
function earliestFit(
  cells: Int32Array,
  hours: Float64Array,
  count: number,
  remaining: Float64Array,
  weeks: number,
  partlyBeyond: boolean,
  row = -1
): number | null {
  let from = 0;
  let to = count;
  if (row >= 0) {
    while (from < to && cells[from]! < row * weeks) from++;
    to = from;
    while (to < count && cells[to]! < (row + 1) * weeks) to++;
  }
  let lastWeek = 0;
  for (let index = from; index < to; index++) lastWeek = Math.max(lastWeek, cells[index]! % weeks);
  for (let shift = 0; shift === 0 || (!partlyBeyond && lastWeek + shift < weeks); shift++) {
    let fits = true;
    for (let index = from; index < to; index++) {
      if (hours[index]! - remaining[cells[index]! + shift]! > EPSILON) {
        fits = false;
        break;
      }
    }
    if (fits) return shift;
  }
  return null;
}
