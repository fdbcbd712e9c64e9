import { dayNumber } from './calendar';
import { spreadLine } from './demand';
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
 */
export function recommend(
  horizon: Horizon,
  resources: ResourceInput[],
  resourceCapacity: Float64Array,
  assignments: AssignmentInput[],
  demand: DemandInput[],
  candidatesPerDemand: number,
  withinWeeks: number
): Recommendation[] {
  const weeks = horizon.weeks;
  const free = Float64Array.from(resourceCapacity);
  const rowOf = new Map(resources.map((resource, row) => [resource.id, row]));
  for (const assignment of assignments) {
    const row = rowOf.get(assignment.resourceId);
    if (row === undefined) continue;
    horizon.forEachWeek(dayNumber(assignment.start), dayNumber(assignment.end), (week, days) => {
      const cell = row * weeks + week;
      free[cell] = Math.max(0, free[cell]! - (assignment.hoursPerWeek * days) / 5);
    });
  }
  const byRole = new Map<string, number[]>();
  resources.forEach((resource, row) => {
    const rows = byRole.get(resource.role) ?? [];
    rows.push(row);
    byRole.set(resource.role, rows);
  });

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

  const recommendations: Recommendation[] = [];
  const needWeeks: number[] = [];
  const needHours: number[] = [];
  for (const line of open) {
    needWeeks.length = 0;
    needHours.length = 0;
    spreadLine(horizon, line, (week, hours) => {
      needWeeks.push(week);
      needHours.push(hours);
    });
    const needed = needHours.reduce((sum, hours) => sum + hours, 0);
    if (needed <= 0) continue;
    // Keep the best `candidatesPerDemand` in a small sorted list instead of sorting every person of the role.
    const top: Candidate[] = [];
    for (const row of byRole.get(line.role) ?? []) {
      let covered = 0;
      for (let index = 0; index < needWeeks.length; index++) {
        covered += Math.min(free[row * weeks + needWeeks[index]!]!, needHours[index]!);
      }
      if (covered <= 0) continue;
      const availability = covered / needed;
      const skillMatch = !line.skill || (resources[row]!.skills ?? []).includes(line.skill);
      const score = Math.round(availability * (skillMatch ? 1 : 0.5) * 1000) / 1000;
      const resourceId = resources[row]!.id;
      if (top.length === candidatesPerDemand && !better(score, resourceId, top[top.length - 1]!)) continue;
      const candidate = { resourceId, score, availability: Math.round(availability * 1000) / 1000, skillMatch };
      let at = top.length;
      while (at > 0 && better(score, resourceId, top[at - 1]!)) at--;
      top.splice(at, 0, candidate);
      if (top.length > candidatesPerDemand) top.pop();
    }
    recommendations.push({ demandId: line.id, role: line.role, candidates: top });
    const chosen = top[0] ? rowOf.get(top[0].resourceId) : undefined;
    if (chosen !== undefined) {
      for (let index = 0; index < needWeeks.length; index++) {
        const cell = chosen * weeks + needWeeks[index]!;
        free[cell] = Math.max(0, free[cell]! - needHours[index]!);
      }
    }
  }
  return recommendations;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Higher score first; on a tie, the lower resource id (stable, locale-independent). */
function better(score: number, resourceId: string, than: Candidate): boolean {
  return score > than.score || (score === than.score && resourceId < than.resourceId);
}
