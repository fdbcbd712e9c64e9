import { dayNumber } from './calendar';
import type { DealContributions } from './demand';
import type { Horizon } from './horizon';
import type { OpportunityInput, RoleShortfall, StaffingAnswer } from './types';

const EPSILON = 1e-6;

/** The (role, skill) pairs and what their holders have left, for the skill half of the answer. */
export interface SkillSupply {
  pairs: { role: string; skill: string }[];
  /** Capacity of the pair's holders less confirmed demand on them, pair x week (row = pair index). */
  remaining: Float64Array;
  /** Pipeline demand of lines naming a skill, by deal in the same order as the role contributions. */
  deals: DealContributions;
}

/** A deal's demand merged by cell (several lines can share a cell), in reusable typed buffers. */
class Profile {
  private readonly sums: Float64Array;
  private readonly seen: Uint8Array;
  cells: Int32Array;
  hours: Float64Array;
  size = 0;

  constructor(cellCount: number) {
    this.sums = new Float64Array(cellCount);
    this.seen = new Uint8Array(cellCount);
    this.cells = new Int32Array(Math.min(cellCount, 1024));
    this.hours = new Float64Array(this.cells.length);
  }

  load(deals: DealContributions | undefined, deal: number): this {
    this.size = 0;
    if (!deals || deal >= deals.opportunityIds.length) return this;
    const from = deals.offsets[deal]!;
    const to = deals.offsets[deal + 1]!;
    if (to - from > this.cells.length) {
      this.cells = new Int32Array((to - from) * 2);
      this.hours = new Float64Array((to - from) * 2);
    }
    for (let entry = from; entry < to; entry++) {
      const cell = deals.cells[entry]!;
      if (!this.seen[cell]) {
        this.seen[cell] = 1;
        this.cells[this.size++] = cell;
      }
      this.sums[cell]! += deals.hours[entry]!;
    }
    for (let at = 0; at < this.size; at++) {
      const cell = this.cells[at]!;
      this.hours[at] = this.sums[cell]!;
      this.sums[cell] = 0;
      this.seen[cell] = 0;
    }
    return this;
  }
}

/**
 * "Can we staff this deal?" for each open deal: if it is won, where would its demand exceed the capacity left after
 * confirmed work, by role, starting as planned; and the earliest start (shifting its whole demand profile week by
 * week) at which it fits. Other open deals are not subtracted: each answer assumes only this deal is won.
 *
 * Lines naming a skill are also checked against the people of the role who hold the skill: a role with free hours
 * but nobody holding the skill free is not staffable, and the shortfall names the skill. The holders' free hours are
 * their capacity less confirmed lines naming the skill and their own bookings on other work (skills.ts, demand.ts);
 * unbooked confirmed lines of another skill that the same people might cover are not subtracted, so the skill check
 * can pass a deal that a full assignment would not: a deal it calls short is short.
 */
export function staffingAnswers(
  horizon: Horizon,
  roles: string[],
  remaining: Float64Array,
  deals: DealContributions,
  opportunities: OpportunityInput[],
  skills?: SkillSupply
): StaffingAnswer[] {
  const weeks = horizon.weeks;
  const byId = new Map(opportunities.map((deal) => [deal.id, deal]));
  const answers: StaffingAnswer[] = [];
  // Monday of each week as text, once: formatting a date per answer was a visible share of 10,000 answers.
  const mondays = horizon.mondays();
  const roleProfile = new Profile(remaining.length);
  const skillProfile = new Profile(skills?.remaining.length ?? 0);
  for (let deal = 0; deal < deals.opportunityIds.length; deal++) {
    const opportunityId = deals.opportunityIds[deal]!;
    if (deals.offsets[deal + 1] === deals.offsets[deal]) continue;
    roleProfile.load(deals, deal);
    skillProfile.load(skills?.deals, deal);
    let firstWeek = weeks;
    for (let at = 0; at < roleProfile.size; at++) firstWeek = Math.min(firstWeek, roleProfile.cells[at]! % weeks);
    const expected = byId.get(opportunityId)?.expectedStart;
    const plannedWeek = expected ? Math.max(0, Math.min(firstWeek, horizon.weekOf(dayNumber(expected)))) : firstWeek;

    const shortfalls: RoleShortfall[] = [
      ...shortages(roleProfile, remaining, weeks, mondays, (row) => ({ role: roles[row]! })),
      ...(skills
        ? shortages(skillProfile, skills.remaining, weeks, mondays, (row) => ({
            role: skills.pairs[row]!.role,
            skill: skills.pairs[row]!.skill
          }))
        : [])
    ].sort((a, b) => b.hours - a.hours || a.role.localeCompare(b.role) || (a.skill ?? '').localeCompare(b.skill ?? ''));

    answers.push({
      opportunityId,
      plannedStart: mondays[plannedWeek]!,
      staffable: shortfalls.length === 0,
      shortfalls,
      earliestFeasibleStart: earliestFit(
        [
          [roleProfile, remaining],
          [skillProfile, skills?.remaining ?? remaining]
        ],
        weeks,
        plannedWeek,
        mondays
      )
    });
  }
  return answers;
}

/** Hours short per row (role or role-skill pair) of a profile, with the first week short. */
function shortages(
  profile: Profile,
  remaining: Float64Array,
  weeks: number,
  mondays: string[],
  name: (row: number) => { role: string; skill?: string }
): RoleShortfall[] {
  const short = new Map<number, { hours: number; firstWeek: number }>();
  for (let at = 0; at < profile.size; at++) {
    const cell = profile.cells[at]!;
    const gap = profile.hours[at]! - remaining[cell]!;
    if (gap <= EPSILON) continue;
    const row = Math.floor(cell / weeks);
    const entry = short.get(row) ?? { hours: 0, firstWeek: weeks };
    entry.hours += gap;
    entry.firstWeek = Math.min(entry.firstWeek, cell % weeks);
    short.set(row, entry);
  }
  return [...short.entries()].map(([row, entry]) => ({
    ...name(row),
    hours: Math.round(entry.hours * 100) / 100,
    firstWeek: mondays[entry.firstWeek]!
  }));
}

function earliestFit(
  checks: [Profile, Float64Array][],
  weeks: number,
  plannedWeek: number,
  mondays: string[]
): string | null {
  let lastWeek = 0;
  for (const [profile] of checks) {
    for (let at = 0; at < profile.size; at++) lastWeek = Math.max(lastWeek, profile.cells[at]! % weeks);
  }
  for (let shift = 0; lastWeek + shift < weeks; shift++) {
    let fits = true;
    for (const [profile, remaining] of checks) {
      for (let at = 0; at < profile.size && fits; at++) {
        if (profile.hours[at]! - remaining[profile.cells[at]! + shift]! > EPSILON) fits = false;
      }
      if (!fits) break;
    }
    // plannedWeek <= the profile's first week, so plannedWeek + shift <= lastWeek + shift < weeks.
    if (fits) return mondays[plannedWeek + shift]!;
  }
  return null;
}
