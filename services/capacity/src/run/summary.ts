import type { ReliabilityRow, SlipStats } from '../engine/calibration';
import type { CalibrationReport, Forecast } from '../engine/types';

/** What the history taught the run: plain JSON, stored in the run's Summary__c. */
export interface CalibrationSummary {
  probabilitySource: CalibrationReport['probabilitySource'];
  windowMonths: number;
  windowStart: string;
  priorWeight: number;
  deals: number;
  won: number;
  brier: CalibrationReport['brier'];
  /** Predicted vs observed win rate by probability bucket (buckets with observations only). */
  reliability: ReliabilityRow[];
  /** Win rate by stage (bucket `all`) and of the deals that stayed 30+ / 90+ days, with the deals each rests on. */
  stages: {
    stage: string;
    bucket: string;
    deals: number;
    wins: number;
    entered: number;
    observed: number;
    calibrated: number;
  }[];
  /** Close-date slip of won deals, in weeks, by stage and pooled (`all`). */
  slip: SlipStats[];
  slipInMonteCarlo: boolean;
}

/** A role's weeks short of capacity, each with the hours missing. */
export interface RoleShortfall {
  role: string;
  weeks: { week: string; hours: number }[];
}

export interface RunSummary {
  /** Roles whose weighted demand exceeds capacity in the next weeks, with the weeks and the largest gap. */
  rolesShort: { role: string; weeks: string[]; maxGapHours: number }[];
  /** Certain: role-weeks where confirmed work alone exceeds capacity, whatever the pipeline does. */
  certainShortfalls: RoleShortfall[];
  /**
   * Depend on pipeline outcomes: role-weeks where weighted demand (confirmed plus probability-weighted pipeline)
   * exceeds capacity although confirmed work alone does not.
   */
  pipelineShortfalls: RoleShortfall[];
  /** Role-weeks where P90 demand exceeds capacity (when Monte Carlo ran): short in 1 of 10 pipeline outcomes. */
  p90Shortfalls: { role: string; week: string; hours: number }[];
  /** Open deals that could not be staffed at their planned start if won. */
  notStaffableOnTime: {
    opportunityId: string;
    name?: string;
    plannedStart: string;
    earliestFeasibleStart: string | null;
    shortRoles: string[];
  }[];
  /** Open deals the answers could not check in full: starting after the horizon, or running past it. */
  horizon: { beyond: number; partlyBeyond: number };
  /** Those deals by name (their Opportunity Id when the name is unknown), so the counts can be checked. */
  horizonDeals?: { beyond: string[]; partlyBeyond: string[] };
  /** When the org has opportunity history: calibration quality and close-date slip. */
  calibration?: CalibrationSummary;
}

const round1 = (value: number) => Math.round(value * 10) / 10;
/** Gaps below half an hour are rounding, not shortfalls. */
const SHORT = 0.5;

/** What `npm start` and the run log tell a person: shortages in the next `weeks` weeks and deals at risk. */
export function summarise(forecast: Forecast, names: Map<string, string>, weeks = 8): RunSummary {
  const total = forecast.weeks.length;
  const window = Math.min(weeks, total);
  const rolesShort: RunSummary['rolesShort'] = [];
  const certainShortfalls: RoleShortfall[] = [];
  const pipelineShortfalls: RoleShortfall[] = [];
  const p90Shortfalls: RunSummary['p90Shortfalls'] = [];
  forecast.roles.forEach((role, row) => {
    const short: string[] = [];
    const certain: RoleShortfall['weeks'] = [];
    const pipeline: RoleShortfall['weeks'] = [];
    let maxGap = 0;
    for (let week = 0; week < window; week++) {
      const cell = row * total + week;
      const capacity = forecast.grids.capacity[cell]!;
      const gap = forecast.grids.weighted[cell]! - capacity;
      const confirmedGap = forecast.grids.confirmed[cell]! - capacity;
      if (confirmedGap > SHORT) certain.push({ week: forecast.weeks[week]!, hours: round1(confirmedGap) });
      else if (gap > SHORT) pipeline.push({ week: forecast.weeks[week]!, hours: round1(gap) });
      if (gap > SHORT) {
        short.push(forecast.weeks[week]!);
        maxGap = Math.max(maxGap, gap);
      }
      const p90 = forecast.monteCarlo?.p90[cell];
      if (p90 !== undefined && p90 - capacity > SHORT) {
        p90Shortfalls.push({ role, week: forecast.weeks[week]!, hours: round1(p90 - capacity) });
      }
    }
    if (short.length) rolesShort.push({ role, weeks: short, maxGapHours: round1(maxGap) });
    if (certain.length) certainShortfalls.push({ role, weeks: certain });
    if (pipeline.length) pipelineShortfalls.push({ role, weeks: pipeline });
  });
  rolesShort.sort((a, b) => b.maxGapHours - a.maxGapHours);
  const largest = (shortfall: RoleShortfall) => Math.max(...shortfall.weeks.map((week) => week.hours));
  certainShortfalls.sort((a, b) => largest(b) - largest(a));
  pipelineShortfalls.sort((a, b) => largest(b) - largest(a));
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
  const inState = (state: string) =>
    forecast.staffing
      .filter((answer) => answer.state === state)
      .map((answer) => names.get(answer.opportunityId) ?? answer.opportunityId);
  const beyond = inState('Beyond_Horizon');
  const partlyBeyond = inState('Partly_Beyond_Horizon');
  return {
    rolesShort,
    certainShortfalls,
    pipelineShortfalls,
    p90Shortfalls,
    notStaffableOnTime,
    horizon: { beyond: beyond.length, partlyBeyond: partlyBeyond.length },
    horizonDeals: { beyond, partlyBeyond },
    ...(forecast.calibration ? { calibration: calibrationSummary(forecast.calibration) } : {})
  };
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;

export function calibrationSummary(report: CalibrationReport): CalibrationSummary {
  return {
    probabilitySource: report.probabilitySource,
    windowMonths: report.windowMonths,
    windowStart: report.windowStart,
    priorWeight: report.priorWeight,
    deals: report.deals,
    won: report.won,
    brier: {
      entered: report.brier.entered === null ? null : round3(report.brier.entered),
      calibrated: report.brier.calibrated === null ? null : round3(report.brier.calibrated),
      observations: report.brier.observations
    },
    reliability: report.reliability.filter((row) => row.entered.count + row.calibrated.count > 0),
    stages: report.cells.map((cell) => ({
      stage: cell.stage,
      bucket: cell.bucket,
      deals: cell.deals,
      wins: cell.wins,
      entered: round3(cell.entered),
      observed: round3(cell.observed),
      calibrated: round3(cell.calibrated)
    })),
    slip: report.slip,
    slipInMonteCarlo: report.slipInMonteCarlo
  };
}

const percent = (value: number | null) => (value === null ? '   -' : `${Math.round(value * 100)}%`.padStart(4));

/** The calibration table, reliability table and slip distribution as readable lines. */
export function formatCalibration(calibration: CalibrationSummary): string[] {
  const lines: string[] = [];
  lines.push(
    `Win probability: ${calibration.probabilitySource} weights pipeline demand; history of ${calibration.deals} deals ` +
      `closed since ${calibration.windowStart} (${calibration.won} won, ${calibration.windowMonths} months), ` +
      `small counts shrunk toward the entered probability as (wins + ${calibration.priorWeight} x entered) / (deals + ${calibration.priorWeight})`
  );
  if (calibration.brier.observations === 0) {
    lines.push('  No closed deal in the window: calibrated probabilities are the entered ones.');
    return lines;
  }
  lines.push(
    `  Brier score (lower is better, ${calibration.brier.observations} deal-stages): entered ${calibration.brier.entered}, calibrated ${calibration.brier.calibrated}`
  );
  lines.push('  Stage                    in stage  deals  won  entered  observed  calibrated');
  for (const cell of calibration.stages) {
    lines.push(
      `  ${cell.stage.padEnd(24)} ${(cell.bucket === 'all' ? 'any' : `${cell.bucket} d`).padEnd(8)} ${String(cell.deals).padStart(6)} ${String(cell.wins).padStart(4)}` +
        `     ${percent(cell.entered)}      ${percent(cell.observed)}        ${percent(cell.calibrated)}`
    );
  }
  lines.push('  Reliability   entered: n  predicted  observed   calibrated: n  predicted  observed');
  for (const row of calibration.reliability) {
    lines.push(
      `  ${row.bucket.padEnd(10)} ${String(row.entered.count).padStart(12)}       ${percent(row.entered.predicted)}      ${percent(row.entered.observed)}` +
        ` ${String(row.calibrated.count).padStart(15)}       ${percent(row.calibrated.predicted)}      ${percent(row.calibrated.observed)}`
    );
  }
  if (calibration.slip.length) {
    lines.push(
      `Close-date slip of won deals (weeks, + = later)${calibration.slipInMonteCarlo ? ', sampled per deal in the Monte Carlo' : ''}:`
    );
    for (const slip of calibration.slip) {
      lines.push(
        `  ${(slip.stage === 'all' ? 'all stages' : slip.stage).padEnd(24)} n ${String(slip.count).padStart(4)}, mean ${slip.meanWeeks}, ` +
          `P10 ${slip.p10Weeks} / P50 ${slip.p50Weeks} / P90 ${slip.p90Weeks}, ${Math.round(slip.lateShare * 100)}% late`
      );
    }
  }
  return lines;
}

/**
 * What a run wrote, as people read it: "nothing changed" for a completed run that wrote and removed no row (the
 * forecast was already up to date), never "0 rows written".
 */
export function formatWrites(outcome: { status: string; rowsWritten: number; rowsDeleted?: number }): string {
  const removed = outcome.rowsDeleted ?? 0;
  if (outcome.status === 'Completed' && outcome.rowsWritten === 0 && removed === 0) return 'nothing changed';
  const written = `${outcome.rowsWritten} ${outcome.rowsWritten === 1 ? 'row' : 'rows'} written`;
  return removed ? `${written}, ${removed} removed` : written;
}

const weekList = (weeks: { week: string; hours: number }[]) =>
  weeks.map((week) => `week of ${week.week} (${week.hours} h)`).join(', ');

/**
 * The summary as readable lines, for `npm start` and `npm run forecast`: shortfalls that are certain (confirmed work
 * alone) apart from those that depend on pipeline outcomes, and every entry each count stands for.
 * @param runName the run as Salesforce names it (RUN-000123), when known
 */
export function formatSummary(summary: RunSummary, runName?: string): string[] {
  const lines: string[] = [];
  const of = runName ? ` (${runName})` : '';
  const certain = summary.certainShortfalls ?? [];
  const pipeline = summary.pipelineShortfalls ?? [];
  lines.push(
    certain.length
      ? `Certain shortfalls${of}: confirmed work alone exceeds capacity, whatever the pipeline does (next 8 weeks):`
      : `No certain shortfall${of}: confirmed work alone fits capacity in the next 8 weeks.`
  );
  for (const short of certain) lines.push(`  ${short.role}: ${weekList(short.weeks)}`);
  lines.push(
    pipeline.length
      ? 'Shortfalls that depend on pipeline outcomes: weighted demand (confirmed plus open deals by their win probability) exceeds capacity, confirmed work alone does not:'
      : 'No shortfall depends on pipeline outcomes at weighted demand in the next 8 weeks.'
  );
  for (const short of pipeline) lines.push(`  ${short.role}: ${weekList(short.weeks)}`);
  if (summary.p90Shortfalls.length) {
    const byRole = new Map<string, { week: string; hours: number }[]>();
    for (const short of summary.p90Shortfalls) {
      byRole.set(short.role, [...(byRole.get(short.role) ?? []), { week: short.week, hours: short.hours }]);
    }
    lines.push(
      `Shortfalls in 1 of 10 pipeline outcomes (P90 demand exceeds capacity): ${summary.p90Shortfalls.length} role-week(s):`
    );
    for (const [role, weeks] of byRole) {
      lines.push(`  ${role}: ${weekList([...weeks].sort((a, b) => a.week.localeCompare(b.week)))}`);
    }
  }
  const { beyond, partlyBeyond } = summary.horizon ?? { beyond: 0, partlyBeyond: 0 };
  const unchecked = beyond + partlyBeyond;
  lines.push(
    summary.notStaffableOnTime.length
      ? `Deals that cannot be staffed on time if won (they depend on winning): ${summary.notStaffableOnTime.length}`
      : unchecked
        ? 'Every open deal checked can be staffed at its planned start.'
        : 'Every open deal can be staffed at its planned start.'
  );
  for (const deal of summary.notStaffableOnTime) {
    const when = deal.earliestFeasibleStart
      ? `earliest ${deal.earliestFeasibleStart}`
      : 'no feasible start in the horizon';
    lines.push(
      `  ${deal.name ?? deal.opportunityId}: planned ${deal.plannedStart}, ${when} (short: ${deal.shortRoles.join(', ')})`
    );
  }
  const named = (deals: string[] | undefined) => (deals?.length ? `: ${deals.join(', ')}` : '');
  if (beyond) {
    lines.push(
      `  ${beyond} ${beyond === 1 ? 'deal starts' : 'deals start'} after the forecast horizon, not checked${named(summary.horizonDeals?.beyond)}.`
    );
  }
  if (partlyBeyond) {
    lines.push(
      `  ${partlyBeyond} ${partlyBeyond === 1 ? 'deal runs' : 'deals run'} past the forecast horizon, only the weeks inside it checked${named(summary.horizonDeals?.partlyBeyond)}.`
    );
  }
  if (summary.calibration) lines.push(...formatCalibration(summary.calibration));
  return lines;
}
