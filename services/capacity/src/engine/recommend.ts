import { dayNumber, isoDate } from './calendar';
import { spreadLine, weekdaysOnly } from './demand';
import type { FirmCalendar } from './firm-calendar';
import type { Horizon } from './horizon';
import type { AssignmentInput, Candidate, DemandInput, Recommendation, ResourceInput } from './types';

/**
 * Staffing recommendations for open confirmed demand: for each line, the resources of its role ranked by how much of
 * the line's weekly need they have free (a missing skill halves the score).
 *
 * Greedy, documented: lines are taken earliest start first (larger lines first on ties); after ranking a line, its
 * top candidate is tentatively booked, so later lines see what is left. This can miss the best overall allocation
 * (an early line may take the only person a later line could use); recommend.test.ts measures the gap against an
 * exhaustive search on small cases, and `npm run bench` reports it.
 *
 * Lines and bookings are spread over the firm calendar, as in the demand layers: a firm-wide holiday takes a day of a
 * booking's weekly hours, as it takes a day of the person's capacity.
 */
export function recommend(
  horizon: Horizon,
  resources: ResourceInput[],
  resourceCapacity: Float64Array,
  assignments: AssignmentInput[],
  demand: DemandInput[],
  candidatesPerDemand: number,
  withinWeeks: number,
  calendar: FirmCalendar = weekdaysOnly(horizon)
): Recommendation[] {
  // Staffing is a near-term decision: lines under way or starting within `withinWeeks`.
  const cutoff = horizon.start + withinWeeks * 7;
  const open = demand
    .filter(
      (line) =>
        line.layer === 'confirmed' &&
        (line.status ?? 'Open') === 'Open' &&
        dayNumber(line.start) < cutoff &&
        dayNumber(line.end) >= horizon.start
    )
    .sort((a, b) => dayNumber(a.start) - dayNumber(b.start) || b.hours - a.hours || compare(a.id, b.id));

  const weeks = horizon.weeks;
  // Only the weeks the open lines reach are ranked on.
  let reach = 0;
  for (const line of open) reach = Math.max(reach, Math.min(weeks, horizon.weekOf(dayNumber(line.end)) + 1));
  // Ties on score go to the lower resource id: ranks of the ids, so a tie compares two integers, not two strings.
  const rank = new Int32Array(resources.length);
  resources
    .map((resource, row) => ({ id: resource.id, row }))
    .sort((a, b) => compare(a.id, b.id))
    .forEach((entry, index) => (rank[entry.row] = index));
  // Free hours per role, week-major: people of a role are contiguous in each week, so ranking a line's candidates
  // streams through memory instead of jumping between rows of a 20,000-person matrix (the old layout was bound by
  // cache misses at firm scale).
  const pools = new Map<string, RolePool>();
  const poolOf = new Array<RolePool>(resources.length);
  const slotOf = new Int32Array(resources.length);
  resources.forEach((resource, row) => {
    let pool = pools.get(resource.role);
    if (!pool) pools.set(resource.role, (pool = { rows: [], free: new Float64Array(0) }));
    slotOf[row] = pool.rows.length;
    poolOf[row] = pool;
    pool.rows.push(row);
  });
  for (const pool of pools.values()) {
    const size = pool.rows.length;
    pool.free = new Float64Array(size * reach);
    for (let slot = 0; slot < size; slot++) {
      const from = pool.rows[slot]! * weeks;
      for (let week = 0; week < reach; week++) pool.free[week * size + slot] = resourceCapacity[from + week]!;
    }
  }
  const rowOf = new Map(resources.map((resource, row) => [resource.id, row]));
  for (const assignment of assignments) {
    const row = rowOf.get(assignment.resourceId);
    if (row === undefined) continue;
    const pool = poolOf[row]!;
    const size = pool.rows.length;
    const slot = slotOf[row]!;
    const from = dayNumber(assignment.start);
    const to = dayNumber(assignment.end);
    const first = Math.max(0, horizon.weekOf(Math.max(from, horizon.start)));
    const last = Math.min(reach - 1, horizon.weekOf(Math.min(to, horizon.end)));
    for (let week = first; week <= last; week++) {
      const days = calendar.daysInWeek(week, from, to);
      if (days === 0) continue;
      const cell = week * size + slot;
      pool.free[cell] = Math.max(0, pool.free[cell]! - (assignment.hoursPerWeek * days) / 5);
    }
  }

  const recommendations: Recommendation[] = [];
  const needWeeks: number[] = [];
  const needHours: number[] = [];
  let covered = new Float64Array(0);
  for (const line of open) {
    needWeeks.length = 0;
    needHours.length = 0;
    spreadLine(
      horizon,
      line,
      (week, hours) => {
        needWeeks.push(week);
        needHours.push(hours);
      },
      calendar
    );
    const needed = needHours.reduce((sum, hours) => sum + hours, 0);
    if (needed <= 0) continue;
    const pool = pools.get(line.role);
    const top: Ranked[] = [];
    if (pool) {
      const size = pool.rows.length;
      if (covered.length < size) covered = new Float64Array(size);
      covered.fill(0, 0, size);
      for (let index = 0; index < needWeeks.length; index++) {
        const base = needWeeks[index]! * size;
        const need = needHours[index]!;
        for (let slot = 0; slot < size; slot++) {
          const free = pool.free[base + slot]!;
          covered[slot]! += free < need ? free : need;
        }
      }
      // Keep the best `candidatesPerDemand` in a small sorted list instead of sorting every person of the role.
      for (let slot = 0; slot < size; slot++) {
        if (covered[slot]! <= 0) continue;
        const availability = covered[slot]! / needed;
        const row = pool.rows[slot]!;
        const order = rank[row]!;
        // The score is at most the availability: skip the skill check for people who cannot make the list.
        const best = Math.round(availability * 1000) / 1000;
        if (top.length === candidatesPerDemand && !better(best, order, top[top.length - 1]!)) continue;
        const skillMatch = !line.skill || (resources[row]!.skills ?? []).includes(line.skill);
        const score = Math.round(availability * (skillMatch ? 1 : 0.5) * 1000) / 1000;
        if (top.length === candidatesPerDemand && !better(score, order, top[top.length - 1]!)) continue;
        const candidate = { resourceId: resources[row]!.id, score, availability: best, skillMatch, order };
        let at = top.length;
        while (at > 0 && better(score, order, top[at - 1]!)) at--;
        top.splice(at, 0, candidate);
        if (top.length > candidatesPerDemand) top.pop();
      }
    }
    // Week by week for the few candidates kept, read before the top one is booked below.
    const weekly = (row: number) => {
      const rowPool = poolOf[row]!;
      return needWeeks.map((week, index) => ({
        week: isoDate(horizon.weekStart(week)),
        need: round2(needHours[index]!),
        free: round2(Math.min(needHours[index]!, rowPool.free[week * rowPool.rows.length + slotOf[row]!]!))
      }));
    };
    recommendations.push({
      demandId: line.id,
      role: line.role,
      candidates: top.map(({ resourceId, score, availability, skillMatch }) => ({
        resourceId,
        score,
        availability,
        skillMatch,
        weeks: weekly(rowOf.get(resourceId)!)
      }))
    });
    const chosen = top[0] ? rowOf.get(top[0].resourceId) : undefined;
    if (chosen !== undefined) {
      const chosenPool = poolOf[chosen]!;
      const size = chosenPool.rows.length;
      for (let index = 0; index < needWeeks.length; index++) {
        const cell = needWeeks[index]! * size + slotOf[chosen]!;
        chosenPool.free[cell] = Math.max(0, chosenPool.free[cell]! - needHours[index]!);
      }
    }
  }
  return recommendations;
}

/** The people of one role (rows of `resources`) and their free hours, week-major: week w, person p at w * size + p. */
interface RolePool {
  rows: number[];
  free: Float64Array;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A candidate with the rank of its resource id. */
interface Ranked extends Omit<Candidate, 'weeks'> {
  order: number;
}

/** Higher score first; on a tie, the lower resource id (stable, locale-independent: ids ranked by code units). */
function better(score: number, order: number, than: Ranked): boolean {
  return score > than.score || (score === than.score && order < than.order);
}
