import { dayNumber, isoDate } from './calendar';
import type { DealContributions } from './demand';
import type { Horizon } from './horizon';
import type { OpportunityInput, RoleShortfall, StaffingAnswer } from './types';

const EPSILON = 1e-6;

/**
 * "Can we staff this deal?" for each open deal: if it is won, where would its demand exceed the capacity left after
 * confirmed work, by role, starting as planned; and the earliest start (shifting its whole demand profile week by
 * week) at which it fits. Other open deals are not subtracted: each answer assumes only this deal is won.
 */
export function staffingAnswers(
  horizon: Horizon,
  roles: string[],
  remaining: Float64Array,
  deals: DealContributions,
  opportunities: OpportunityInput[]
): StaffingAnswer[] {
  const weeks = horizon.weeks;
  const byId = new Map(opportunities.map((deal) => [deal.id, deal]));
  const answers: StaffingAnswer[] = [];
  for (let deal = 0; deal < deals.opportunityIds.length; deal++) {
    const opportunityId = deals.opportunityIds[deal]!;
    const from = deals.offsets[deal]!;
    const to = deals.offsets[deal + 1]!;
    if (to === from) continue;
    // The deal's profile: hours per cell, merged (several lines can share a role-week).
    const profile = new Map<number, number>();
    let firstWeek = weeks;
    for (let entry = from; entry < to; entry++) {
      const cell = deals.cells[entry]!;
      profile.set(cell, (profile.get(cell) ?? 0) + deals.hours[entry]!);
      firstWeek = Math.min(firstWeek, cell % weeks);
    }
    const expected = byId.get(opportunityId)?.expectedStart;
    const plannedWeek = expected ? Math.max(0, Math.min(firstWeek, horizon.weekOf(dayNumber(expected)))) : firstWeek;

    const shortByRole = new Map<number, { hours: number; firstWeek: number }>();
    for (const [cell, hours] of profile) {
      const gap = hours - remaining[cell]!;
      if (gap <= EPSILON) continue;
      const role = Math.floor(cell / weeks);
      const short = shortByRole.get(role) ?? { hours: 0, firstWeek: weeks };
      short.hours += gap;
      short.firstWeek = Math.min(short.firstWeek, cell % weeks);
      shortByRole.set(role, short);
    }
    const shortfalls: RoleShortfall[] = [...shortByRole.entries()]
      .map(([role, short]) => ({
        role: roles[role]!,
        hours: Math.round(short.hours * 100) / 100,
        firstWeek: isoDate(horizon.weekStart(short.firstWeek))
      }))
      .sort((a, b) => b.hours - a.hours || a.role.localeCompare(b.role));

    answers.push({
      opportunityId,
      plannedStart: isoDate(horizon.weekStart(plannedWeek)),
      staffable: shortfalls.length === 0,
      shortfalls,
      earliestFeasibleStart: earliestFit(profile, remaining, weeks, plannedWeek, horizon)
    });
  }
  return answers;
}

function earliestFit(
  profile: Map<number, number>,
  remaining: Float64Array,
  weeks: number,
  plannedWeek: number,
  horizon: Horizon
): string | null {
  let lastWeek = 0;
  for (const cell of profile.keys()) lastWeek = Math.max(lastWeek, cell % weeks);
  for (let shift = 0; lastWeek + shift < weeks; shift++) {
    let fits = true;
    for (const [cell, hours] of profile) {
      if (hours - remaining[cell + shift]! > EPSILON) {
        fits = false;
        break;
      }
    }
    if (fits) return isoDate(horizon.weekStart(plannedWeek + shift));
  }
  return null;
}
