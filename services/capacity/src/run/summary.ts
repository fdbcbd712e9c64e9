import type { Forecast } from '../engine/types';

export interface RunSummary {
  /** Roles whose weighted demand exceeds capacity in the next weeks, with the weeks and the largest gap. */
  rolesShort: { role: string; weeks: string[]; maxGapHours: number }[];
  /** Role-weeks where P90 demand exceeds capacity (when Monte Carlo ran). */
  p90Shortfalls: { role: string; week: string; hours: number }[];
  /** Open deals that could not be staffed at their planned start if won. */
  notStaffableOnTime: {
    opportunityId: string;
    name?: string;
    plannedStart: string;
    earliestFeasibleStart: string | null;
    shortRoles: string[];
  }[];
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/** What `npm start` and the run log tell a person: shortages in the next `weeks` weeks and deals at risk. */
export function summarise(forecast: Forecast, names: Map<string, string>, weeks = 8): RunSummary {
  const total = forecast.weeks.length;
  const window = Math.min(weeks, total);
  const rolesShort: RunSummary['rolesShort'] = [];
  const p90Shortfalls: RunSummary['p90Shortfalls'] = [];
  forecast.roles.forEach((role, row) => {
    const short: string[] = [];
    let maxGap = 0;
    for (let week = 0; week < window; week++) {
      const cell = row * total + week;
      const gap = forecast.grids.weighted[cell]! - forecast.grids.capacity[cell]!;
      if (gap > 0.5) {
        short.push(forecast.weeks[week]!);
        maxGap = Math.max(maxGap, gap);
      }
      const p90 = forecast.monteCarlo?.p90[cell];
      if (p90 !== undefined && p90 - forecast.grids.capacity[cell]! > 0.5) {
        p90Shortfalls.push({ role, week: forecast.weeks[week]!, hours: round1(p90 - forecast.grids.capacity[cell]!) });
      }
    }
    if (short.length) rolesShort.push({ role, weeks: short, maxGapHours: round1(maxGap) });
  });
  rolesShort.sort((a, b) => b.maxGapHours - a.maxGapHours);
  p90Shortfalls.sort((a, b) => b.hours - a.hours);
  const notStaffableOnTime = forecast.staffing
    // A deal starting after the horizon was not checked: it is not a deal that cannot be staffed on time.
    .filter((answer) => !answer.staffable && answer.state !== 'Beyond_Horizon')
    .map((answer) => ({
      opportunityId: answer.opportunityId,
      name: names.get(answer.opportunityId),
      plannedStart: answer.plannedStart,
      earliestFeasibleStart: answer.earliestFeasibleStart,
      shortRoles: answer.shortfalls.map((short) => (short.skill ? `${short.role} / ${short.skill}` : short.role))
    }));
  return { rolesShort, p90Shortfalls, notStaffableOnTime };
}

/** The summary as a few readable lines. */
export function formatSummary(summary: RunSummary, limit = 10): string[] {
  const lines: string[] = [];
  lines.push(
    summary.rolesShort.length
      ? 'Roles short of capacity (weighted demand, next 8 weeks):'
      : 'No role is short of capacity in the next 8 weeks.'
  );
  for (const short of summary.rolesShort.slice(0, limit)) {
    lines.push(
      `  ${short.role}: ${short.weeks.length} week(s) from ${short.weeks[0]}, up to ${short.maxGapHours} h short`
    );
  }
  if (summary.p90Shortfalls.length) {
    lines.push('P90 shortfalls (demand in 1 of 10 pipeline outcomes):');
    for (const short of summary.p90Shortfalls.slice(0, limit))
      lines.push(`  ${short.role}, week of ${short.week}: ${short.hours} h`);
  }
  lines.push(
    summary.notStaffableOnTime.length
      ? `Deals that cannot be staffed on time if won: ${summary.notStaffableOnTime.length}`
      : 'Every open deal can be staffed at its planned start.'
  );
  for (const deal of summary.notStaffableOnTime.slice(0, limit)) {
    const when = deal.earliestFeasibleStart
      ? `earliest ${deal.earliestFeasibleStart}`
      : 'no feasible start in the horizon';
    lines.push(
      `  ${deal.name ?? deal.opportunityId}: planned ${deal.plannedStart}, ${when} (short: ${deal.shortRoles.join(', ')})`
    );
  }
  return lines;
}
