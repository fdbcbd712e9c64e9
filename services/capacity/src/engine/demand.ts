import { dayNumber } from './calendar';
import { FirmCalendar } from './firm-calendar';
import type { Horizon } from './horizon';
import type { AssignmentInput, DemandInput, ResourceInput } from './types';

/** Pipeline demand of each open deal as sparse (cell, hours) entries, grouped by deal (CSR layout). */
export interface DealContributions {
  opportunityIds: string[];
  /** Win probability of each deal, 0-1. */
  probabilities: Float64Array;
  /** Entries of deal d are offsets[d] .. offsets[d + 1] - 1. */
  offsets: Int32Array;
  cells: Int32Array;
  hours: Float64Array;
}

export interface Layers {
  confirmed: Float64Array;
  weighted: Float64Array;
  exposure: Float64Array;
  /** Confirmed plus soft-booked hours confirmed demand does not already hold (see `spreadDemand`). */
  tentative: Float64Array;
}

/** The layers of one (role, skill) pair, week by week; `index` is its row in the skill capacity and staffing cells. */
export interface SkillLayers extends Layers {
  role: string;
  skill: string;
  index: number;
}

export interface SpreadDemand extends Layers {
  /** The same layers with rows by practice instead of role. */
  byPractice: Layers;
  deals: DealContributions;
  /** Every (role, skill) pair some demand line names, in the order first named. */
  skills: SkillLayers[];
}

/** Monday to Friday with no holidays, one per horizon: for callers that have no firm calendar. */
const plainCalendars = new WeakMap<Horizon, FirmCalendar>();
export function weekdaysOnly(horizon: Horizon): FirmCalendar {
  let calendar = plainCalendars.get(horizon);
  if (!calendar) plainCalendars.set(horizon, (calendar = new FirmCalendar(horizon)));
  return calendar;
}

/**
 * Hours of a demand line by week: spread evenly over the line's working days on the firm calendar (Monday to Friday
 * less firm-wide holidays); the part outside the horizon is dropped. A line with no working day puts its hours on
 * the week it starts.
 */
export function spreadLine(
  horizon: Horizon,
  line: { hours: number; start: string; end: string },
  visit: (week: number, hours: number) => void,
  calendar: FirmCalendar = weekdaysOnly(horizon)
): void {
  const start = dayNumber(line.start);
  const end = dayNumber(line.end);
  const total = calendar.workingDays(start, end);
  if (total === 0) {
    const week = horizon.weekOf(start);
    if (week >= 0 && week < horizon.weeks) visit(week, line.hours);
    return;
  }
  const first = Math.max(0, horizon.weekOf(Math.max(start, horizon.start)));
  const last = Math.min(horizon.weeks - 1, horizon.weekOf(Math.min(end, horizon.end)));
  for (let week = first; week <= last; week++) {
    const days = calendar.daysInWeek(week, start, end);
    if (days > 0) visit(week, (line.hours * days) / total);
  }
}

const layers = (size: number): Layers => ({
  confirmed: new Float64Array(size),
  weighted: new Float64Array(size),
  exposure: new Float64Array(size),
  tentative: new Float64Array(size)
});

/**
 * Spreads demand into role x week layers (and practice x week, and (role, skill) x week): Confirmed (won engagements,
 * plus hard bookings that no demand line covers), Weighted (confirmed + pipeline x probability), Exposure (confirmed +
 * all pipeline at 100%) and Tentative. Lines are spread over the firm calendar's working days, and a booking's hours
 * per week are for a full firm week (a firm-wide holiday books a day less), in every row: role, practice and skill.
 *
 * Tentative = Confirmed + the hours of Soft bookings that confirmed demand does not already hold: a soft booking on a
 * confirmed (won engagement) demand line adds nothing, since the line's hours are confirmed already; a soft booking on
 * a pipeline line, or on no line, adds its hours per week over its working days to the booked person's role and
 * practice. So Tentative is what the firm has promised so far, firmly or softly, without probability weighting.
 *
 * Skill rows: a line names at most one skill and counts in its (role, skill) pair. A booking by a person holding a
 * skill counts in each of their (role, skill) pairs, like their capacity (see skills.ts), unless a line naming that
 * skill already holds it. Released lines are not demand. One pass over the lines; this is the hot path at firm scale.
 */
export function spreadDemand(
  horizon: Horizon,
  roleIndex: Map<string, number>,
  practiceIndex: Map<string, number>,
  practiceOf: (item: { practice?: string }) => string,
  demand: DemandInput[],
  assignments: AssignmentInput[],
  resources: ResourceInput[],
  calendar: FirmCalendar = weekdaysOnly(horizon)
): SpreadDemand {
  const weeks = horizon.weeks;
  const byRole = layers(roleIndex.size * weeks);
  const byPractice = layers(practiceIndex.size * weeks);
  const skillsByRole = new Map<string, Map<string, SkillLayers>>();
  const skills: SkillLayers[] = [];
  const dealIndex = new Map<string, number>();
  const dealProbabilities: number[] = [];
  // Pipeline entries go into flat, growing typed arrays (deal, cell, hours) and are grouped by deal at the end:
  // hundreds of thousands of small array pushes were most of this function's time and garbage.
  const entries = new EntryBuffer();
  // Only the lines bookings point at are remembered (a map of every line would cost more than the spread).
  const booked = new Set<string>();
  for (const assignment of assignments) if (assignment.demandId) booked.add(assignment.demandId);
  const bookedLines = new Map<string, DemandInput>();
  const horizonStart = horizon.start;
  const horizonEnd = horizon.end;
  const weekDays = calendar.weekDays;

  for (const line of demand) {
    if (line.status === 'Released') continue;
    if (booked.size && booked.has(line.id)) bookedLines.set(line.id, line);
    const start = dayNumber(line.start);
    const end = dayNumber(line.end);
    const total = calendar.workingDays(start, end);
    const roleBase = roleIndex.get(line.role)! * weeks;
    const practiceBase = practiceIndex.get(practiceOf(line))! * weeks;
    const confirmed = line.layer === 'confirmed';
    const probability = confirmed ? 1 : line.probability / 100;
    let skill: SkillLayers | undefined;
    if (line.skill) skill = skillLayers(skillsByRole, skills, line.role, line.skill, weeks);
    let deal = -1;
    if (!confirmed) {
      const known = dealIndex.get(line.opportunityId);
      if (known === undefined) {
        deal = dealProbabilities.length;
        dealIndex.set(line.opportunityId, deal);
        dealProbabilities.push(probability);
      } else {
        deal = known;
      }
    }

    const first = Math.max(0, Math.floor(((total === 0 ? start : Math.max(start, horizonStart)) - horizonStart) / 7));
    const last = Math.min(
      weeks - 1,
      Math.floor(((total === 0 ? start : Math.min(end, horizonEnd)) - horizonStart) / 7)
    );
    const perDay = total === 0 ? 0 : line.hours / total;
    for (let week = first; week <= last; week++) {
      let hours: number;
      if (total === 0) {
        hours = line.hours;
      } else {
        // Whole weeks inside the line (the common case) read the firm calendar's count directly.
        const weekStart = horizonStart + week * 7;
        const days =
          start <= weekStart && end >= weekStart + 6
            ? weekDays[week]!
            : calendar.workingDays(Math.max(start, weekStart), Math.min(end, weekStart + 6));
        if (days === 0) continue;
        hours = perDay * days;
      }
      const weightedHours = hours * probability;
      byRole.exposure[roleBase + week]! += hours;
      byRole.weighted[roleBase + week]! += weightedHours;
      byPractice.exposure[practiceBase + week]! += hours;
      byPractice.weighted[practiceBase + week]! += weightedHours;
      if (confirmed) {
        byRole.confirmed[roleBase + week]! += hours;
        byRole.tentative[roleBase + week]! += hours;
        byPractice.confirmed[practiceBase + week]! += hours;
        byPractice.tentative[practiceBase + week]! += hours;
      } else {
        entries.add(deal, roleBase + week, hours);
      }
      if (skill) {
        skill.exposure[week]! += hours;
        skill.weighted[week]! += weightedHours;
        if (confirmed) {
          skill.confirmed[week]! += hours;
          skill.tentative[week]! += hours;
        }
      }
    }
  }

  // Bookings: hard ones that no demand line accounts for (e.g. internal work) are confirmed demand of the person's
  // role; soft ones that no confirmed line holds are tentative. In skill rows the same holds per skill of the person.
  const resourcesById = new Map<string, ResourceInput>();
  if (assignments.length) for (const resource of resources) resourcesById.set(resource.id, resource);
  // The grids a booking adds to, and the row offset in each: reused, no allocation per booking.
  const targets: Float64Array[] = [];
  const bases: number[] = [];
  const addLayers = (layer: Layers, base: number, hard: boolean) => {
    targets.push(layer.tentative);
    bases.push(base);
    if (!hard) return;
    targets.push(layer.confirmed, layer.weighted, layer.exposure);
    bases.push(base, base, base);
  };
  for (const assignment of assignments) {
    const resource = resourcesById.get(assignment.resourceId);
    const roleRow = resource && roleIndex.get(resource.role);
    if (!resource || roleRow === undefined) continue;
    const line = assignment.demandId ? bookedLines.get(assignment.demandId) : undefined;
    const hard = assignment.booking === 'Hard';
    targets.length = 0;
    bases.length = 0;
    // Role and practice rows: a hard booking on any line, or a soft one on a confirmed line, is held by that line.
    if (hard ? !assignment.demandId : line?.layer !== 'confirmed') {
      addLayers(byRole, roleRow * weeks, hard);
      addLayers(byPractice, practiceIndex.get(practiceOf(resource))! * weeks, hard);
    }
    // Skill rows: only a line naming the very skill holds the booking (hard: any such line; soft: a confirmed one).
    // A hard booking on a line this forecast does not read (released, or outside the horizon) adds nothing, as above.
    const pairs = resource.skills && skillsByRole.get(resource.role);
    if (pairs && !(hard && assignment.demandId && !line)) {
      for (const held of resource.skills!) {
        const pair = pairs.get(held);
        if (!pair || (line && line.skill === held && (hard || line.layer === 'confirmed'))) continue;
        if (!targets.includes(pair.tentative)) addLayers(pair, 0, hard);
      }
    }
    if (!targets.length) continue;
    const from = Math.max(dayNumber(assignment.start), horizonStart);
    const to = Math.min(dayNumber(assignment.end), horizonEnd);
    // A booking's hours per week are for a full firm week: a firm-wide holiday books a day less.
    const perDay = assignment.hoursPerWeek / 5;
    for (let week = Math.floor((from - horizonStart) / 7); from <= to && week <= (to - horizonStart) / 7; week++) {
      const days = calendar.daysInWeek(week, from, to);
      if (days === 0) continue;
      const hours = perDay * days;
      for (let index = 0; index < targets.length; index++) targets[index]![bases[index]! + week]! += hours;
    }
  }

  return {
    ...byRole,
    byPractice,
    deals: entries.byDeal([...dealIndex.keys()], dealProbabilities),
    skills
  };
}

function skillLayers(
  byRole: Map<string, Map<string, SkillLayers>>,
  all: SkillLayers[],
  role: string,
  skill: string,
  weeks: number
): SkillLayers {
  let bySkill = byRole.get(role);
  if (!bySkill) byRole.set(role, (bySkill = new Map()));
  let layer = bySkill.get(skill);
  if (!layer) {
    layer = { role, skill, index: all.length, ...layers(weeks) };
    bySkill.set(skill, layer);
    all.push(layer);
  }
  return layer;
}

/** Growing typed arrays of (deal, cell, hours) entries, grouped by deal on demand (a counting sort, stable). */
class EntryBuffer {
  private size = 0;
  private deals = new Int32Array(1024);
  private cells = new Int32Array(1024);
  private hours = new Float64Array(1024);

  add(deal: number, cell: number, hours: number): void {
    if (this.size === this.deals.length) {
      const grow = <T extends Int32Array | Float64Array>(array: T, make: (length: number) => T): T => {
        const bigger = make(array.length * 2);
        bigger.set(array);
        return bigger;
      };
      this.deals = grow(this.deals, (length) => new Int32Array(length));
      this.cells = grow(this.cells, (length) => new Int32Array(length));
      this.hours = grow(this.hours, (length) => new Float64Array(length));
    }
    this.deals[this.size] = deal;
    this.cells[this.size] = cell;
    this.hours[this.size] = hours;
    this.size++;
  }

  byDeal(opportunityIds: string[], probabilities: number[]): DealContributions {
    const dealCount = probabilities.length;
    const offsets = new Int32Array(dealCount + 1);
    for (let entry = 0; entry < this.size; entry++) offsets[this.deals[entry]! + 1]!++;
    for (let deal = 0; deal < dealCount; deal++) offsets[deal + 1]! += offsets[deal]!;
    const next = offsets.slice(0, dealCount);
    const cells = new Int32Array(this.size);
    const hours = new Float64Array(this.size);
    for (let entry = 0; entry < this.size; entry++) {
      const at = next[this.deals[entry]!]!++;
      cells[at] = this.cells[entry]!;
      hours[at] = this.hours[entry]!;
    }
    return { opportunityIds, probabilities: Float64Array.from(probabilities), offsets, cells, hours };
  }
}
