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
}

export interface SkillLayers extends Layers {
  role: string;
  skill: string;
}

export interface SpreadDemand extends Layers {
  /** The same layers with rows by practice instead of role. */
  byPractice: Layers;
  deals: DealContributions;
  skills: SkillLayers[];
}

/** Monday to Friday with no holidays, one per horizon: for callers that have no firm calendar. */
const plainCalendars = new WeakMap<Horizon, FirmCalendar>();
function weekdaysOnly(horizon: Horizon): FirmCalendar {
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
  exposure: new Float64Array(size)
});

/**
 * Spreads demand into role x week layers (and practice x week): Confirmed (won engagements, plus hard bookings that
 * no demand line covers), Weighted (confirmed + pipeline x probability) and Exposure (confirmed + all pipeline at
 * 100%). Released lines are not demand. One pass over the lines; this is the hot path at firm scale.
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
  const dealIndex = new Map<string, number>();
  const dealProbabilities: number[] = [];
  // Pipeline entries go into flat, growing typed arrays (deal, cell, hours) and are grouped by deal at the end:
  // hundreds of thousands of small array pushes were most of this function's time and garbage.
  const entries = new EntryBuffer();
  const weekDays = calendar.weekDays;

  for (const line of demand) {
    if (line.status === 'Released') continue;
    const start = dayNumber(line.start);
    const end = dayNumber(line.end);
    const total = calendar.workingDays(start, end);
    const roleBase = roleIndex.get(line.role)! * weeks;
    const practiceBase = practiceIndex.get(practiceOf(line))! * weeks;
    const confirmed = line.layer === 'confirmed';
    const probability = confirmed ? 1 : line.probability / 100;
    let skill: SkillLayers | undefined;
    if (line.skill) {
      let bySkill = skillsByRole.get(line.role);
      if (!bySkill) skillsByRole.set(line.role, (bySkill = new Map()));
      skill = bySkill.get(line.skill);
      if (!skill) bySkill.set(line.skill, (skill = { role: line.role, skill: line.skill, ...layers(weeks) }));
    }
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

    const first = Math.max(0, horizon.weekOf(total === 0 ? start : Math.max(start, horizon.start)));
    const last = Math.min(weeks - 1, horizon.weekOf(total === 0 ? start : Math.min(end, horizon.end)));
    for (let week = first; week <= last; week++) {
      let hours: number;
      if (total === 0) {
        hours = line.hours;
      } else {
        // Whole weeks inside the line (the common case) read the firm calendar's count directly.
        const weekStart = horizon.start + week * 7;
        const days =
          start <= weekStart && end >= weekStart + 6
            ? weekDays[week]!
            : calendar.workingDays(Math.max(start, weekStart), Math.min(end, weekStart + 6));
        if (days === 0) continue;
        hours = (line.hours * days) / total;
      }
      const weightedHours = hours * probability;
      byRole.exposure[roleBase + week]! += hours;
      byRole.weighted[roleBase + week]! += weightedHours;
      byPractice.exposure[practiceBase + week]! += hours;
      byPractice.weighted[practiceBase + week]! += weightedHours;
      if (confirmed) {
        byRole.confirmed[roleBase + week]! += hours;
        byPractice.confirmed[practiceBase + week]! += hours;
      } else {
        entries.add(deal, roleBase + week, hours);
      }
      if (skill) {
        skill.exposure[week]! += hours;
        skill.weighted[week]! += weightedHours;
        if (confirmed) skill.confirmed[week]! += hours;
      }
    }
  }

  // Hard bookings that no demand line accounts for (e.g. internal work) are confirmed demand of the person's role.
  const resourcesById = new Map(resources.map((resource) => [resource.id, resource]));
  for (const assignment of assignments) {
    if (assignment.booking !== 'Hard' || assignment.demandId) continue;
    const resource = resourcesById.get(assignment.resourceId);
    const roleRow = resource && roleIndex.get(resource.role);
    if (!resource || roleRow === undefined) continue;
    const practiceBase = practiceIndex.get(practiceOf(resource))! * weeks;
    // A booking's hours per week are for a full firm week: a firm-wide holiday books a day less.
    const from = dayNumber(assignment.start);
    const to = dayNumber(assignment.end);
    const first = Math.max(0, horizon.weekOf(Math.max(from, horizon.start)));
    const last = Math.min(weeks - 1, horizon.weekOf(Math.min(to, horizon.end)));
    for (let week = first; week <= last; week++) {
      const days = calendar.daysInWeek(week, from, to);
      if (days === 0) continue;
      const hours = (assignment.hoursPerWeek * days) / 5;
      for (const grid of [byRole.confirmed, byRole.weighted, byRole.exposure]) grid[roleRow * weeks + week]! += hours;
      for (const grid of [byPractice.confirmed, byPractice.weighted, byPractice.exposure]) {
        grid[practiceBase + week]! += hours;
      }
    }
  }

  return {
    ...byRole,
    byPractice,
    deals: entries.byDeal([...dealIndex.keys()], dealProbabilities),
    skills: [...skillsByRole.values()].flatMap((bySkill) => [...bySkill.values()])
  };
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
