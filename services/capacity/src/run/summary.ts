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
  /** Open deals the answers could not check in full: starting after the horizon, or running past it. */
  horizon: { beyond: number; partlyBeyond: number };
  /** When the org has opportunity history: calibration quality and close-date slip. */
  calibration?: CalibrationSummary;
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
  const count = (state: string) => forecast.staffing.filter((answer) => answer.state === state).length;
  return {
    rolesShort,
    p90Shortfalls,
    notStaffableOnTime,
    horizon: { beyond: count('Beyond_Horizon'), partlyBeyond: count('Partly_Beyond_Horizon') },
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
  const { beyond, partlyBeyond } = summary.horizon ?? { beyond: 0, partlyBeyond: 0 };
  const unchecked = beyond + partlyBeyond;
  lines.push(
    summary.notStaffableOnTime.length
      ? `Deals that cannot be staffed on time if won: ${summary.notStaffableOnTime.length}`
      : unchecked
        ? 'Every open deal checked can be staffed at its planned start.'
        : 'Every open deal can be staffed at its planned start.'
  );
  if (beyond) {
    lines.push(`  ${beyond} ${beyond === 1 ? 'deal starts' : 'deals start'} after the forecast horizon: not checked.`);
  }
  if (partlyBeyond) {
    lines.push(
      `  ${partlyBeyond} ${partlyBeyond === 1 ? 'deal runs' : 'deals run'} past the forecast horizon: only the weeks inside it were checked.`
    );
  }
  for (const deal of summary.notStaffableOnTime.slice(0, limit)) {
    const when = deal.earliestFeasibleStart
      ? `earliest ${deal.earliestFeasibleStart}`
      : 'no feasible start in the horizon';
    lines.push(
      `  ${deal.name ?? deal.opportunityId}: planned ${deal.plannedStart}, ${when} (short: ${deal.shortRoles.join(', ')})`
    );
  }
  if (summary.calibration) lines.push(...formatCalibration(summary.calibration));
  return lines;
}
