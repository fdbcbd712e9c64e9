import { calibrate, calibratedProbability, slipSamplesFor, type Calibration } from './calibration';
import { resourceCapacity } from './capacity';
import { spreadDemand, type DealContributions } from './demand';
import { FirmCalendar } from './firm-calendar';
import { Horizon } from './horizon';
import { monteCarlo } from './monte-carlo';
import { recommend } from './recommend';
import { skillCapacity, skillRemaining } from './skills';
import { staffingAnswers } from './staffing';
import type { DemandInput, EngineInput, EngineOptions, Forecast, RoleWeekGrids } from './types';
import { validateInput } from './validate';

const NO_PRACTICE = '(no practice)';

/**
 * The capacity forecast: weekly capacity against confirmed, weighted and exposure demand by role (and practice),
 * Monte Carlo bands over pipeline outcomes, "can we staff it?" per open deal, and staffing recommendations for open
 * confirmed demand. Pure computation: no I/O, no clock; the same input and seed give the same forecast.
 */
export async function forecast(input: EngineInput, options: EngineOptions = {}): Promise<Forecast> {
  validateInput(input);
  const horizon = new Horizon(input.asOf, input.horizonWeeks ?? 26);
  const weeks = horizon.weeks;
  const roles = [...input.roles];
  const roleIndex = new Map(roles.map((role, index) => [role, index]));
  const holidays = input.holidays ?? [];
  const timeOff = input.timeOff ?? [];
  const assignments = input.assignments ?? [];

  const perResource = resourceCapacity(horizon, input.resources, holidays, timeOff);
  const capacity = new Float64Array(roles.length * weeks);
  const practices = [
    ...new Set([...input.resources, ...input.demand].map((item) => item.practice ?? NO_PRACTICE))
  ].sort();
  const practiceIndex = new Map(practices.map((practice, index) => [practice, index]));
  const practiceCapacity = new Float64Array(practices.length * weeks);
  input.resources.forEach((resource, row) => {
    const roleBase = roleIndex.get(resource.role)! * weeks;
    const practiceBase = practiceIndex.get(resource.practice ?? NO_PRACTICE)! * weeks;
    for (let week = 0; week < weeks; week++) {
      const hours = perResource[row * weeks + week]!;
      capacity[roleBase + week]! += hours;
      practiceCapacity[practiceBase + week]! += hours;
    }
  });

  const practiceOf = (item: { practice?: string }) => item.practice ?? NO_PRACTICE;
  const calendar = new FirmCalendar(horizon, holidays);
  const spreadOf = (demand: DemandInput[]) =>
    spreadDemand(horizon, roleIndex, practiceIndex, practiceOf, demand, assignments, input.resources, calendar);
  const source = options.probabilitySource ?? 'entered';
  const calibration = input.history
    ? calibrate(input.history, {
        asOf: input.asOf,
        windowMonths: options.calibrationWindowMonths,
        priorWeight: options.calibrationPriorWeight
      })
    : undefined;
  const entered = spreadOf(input.demand);
  // With history, pipeline demand is spread a second time at the calibrated probability; both weighted layers are
  // kept so they can be compared, and the chosen one is the forecast's.
  const calibrated = calibration ? spreadOf(calibratedDemand(input, calibration)) : entered;
  const spread = source === 'calibrated' ? calibrated : entered;
  const grids: RoleWeekGrids = {
    capacity,
    confirmed: spread.confirmed,
    weighted: spread.weighted,
    exposure: spread.exposure,
    tentative: spread.tentative,
    ...(calibration ? { weightedEntered: entered.weighted, weightedCalibrated: calibrated.weighted } : {})
  };
  // Skill capacity is the holders' own capacity: their working days, holidays and time off apply as to their role.
  const skillHours = skillCapacity(spread.skills, input.resources, perResource, weeks);

  const trials = options.trials ?? 0;
  const slip = calibration && options.dateSlip !== false ? dealSlips(spread.deals, calibration, input) : undefined;
  const monteCarloGrids =
    trials > 0
      ? await monteCarlo(spread.confirmed, capacity, spread.deals, {
          trials,
          seed: options.seed ?? 1,
          ...(slip ? { slip, weeks } : {})
        })
      : undefined;

  const remaining = new Float64Array(capacity.length);
  for (let cell = 0; cell < capacity.length; cell++) remaining[cell] = capacity[cell]! - spread.confirmed[cell]!;

  return {
    weeks: horizon.mondays(),
    roles,
    grids,
    monteCarlo: monteCarloGrids,
    practices,
    practiceGrids: {
      capacity: practiceCapacity,
      ...spread.byPractice,
      ...(calibration
        ? { weightedEntered: entered.byPractice.weighted, weightedCalibrated: calibrated.byPractice.weighted }
        : {})
    },
    skills: spread.skills.map(({ role, skill, index, confirmed, weighted, exposure, tentative }) => ({
      role,
      skill,
      capacity: skillHours.subarray(index * weeks, (index + 1) * weeks),
      confirmed,
      weighted,
      exposure,
      tentative
    })),
    staffing: staffingAnswers(horizon, roles, remaining, input.demand, input.opportunities ?? [], calendar, {
      pairs: spread.skills,
      remaining: skillRemaining(spread.skills, skillHours, weeks)
    }),
    recommendations: recommend(
      horizon,
      input.resources,
      perResource,
      assignments,
      input.demand,
      options.candidatesPerDemand ?? 3,
      options.recommendWithinWeeks ?? 12,
      calendar
    ),
    counts: {
      resources: input.resources.length,
      demandLines: input.demand.length,
      opportunities: spread.deals.opportunityIds.length,
      assignments: assignments.length
    },
    ...(calibration
      ? { calibration: { ...calibration, probabilitySource: source, slipInMonteCarlo: slip !== undefined } }
      : {})
  };
}

/** Pipeline lines at their deal's calibrated probability (each line's own entered probability is the prior). */
function calibratedDemand(input: EngineInput, calibration: Calibration): DemandInput[] {
  const deals = new Map((input.opportunities ?? []).map((deal) => [deal.id, deal]));
  return input.demand.map((line) => {
    if (line.layer !== 'pipeline') return line;
    const deal = deals.get(line.opportunityId) ?? {};
    const probability = calibratedProbability(calibration, deal, line.probability / 100, input.asOf);
    return { ...line, probability: probability * 100 };
  });
}

/**
 * The slip samples (weeks) each deal of the Monte Carlo draws from: the distinct distributions (by stage, or pooled)
 * once, in CSR layout, and per deal the index of its own (-1: none).
 */
function dealSlips(deals: DealContributions, calibration: Calibration, input: EngineInput) {
  const stages = new Map((input.opportunities ?? []).map((deal) => [deal.id, deal.stage]));
  const distributions: number[][] = [];
  const indexOf = new Map<number[], number>();
  const dealDistribution = new Int32Array(deals.opportunityIds.length);
  deals.opportunityIds.forEach((id, deal) => {
    const samples = slipSamplesFor(calibration, stages.get(id));
    let index = indexOf.get(samples);
    if (index === undefined) {
      index = samples.length ? distributions.push(samples) - 1 : -1;
      indexOf.set(samples, index);
    }
    dealDistribution[deal] = index;
  });
  if (distributions.length === 0) return undefined;
  const offsets = new Int32Array(distributions.length + 1);
  distributions.forEach((samples, index) => (offsets[index + 1] = offsets[index]! + samples.length));
  const values = new Int32Array(offsets[distributions.length]!);
  distributions.forEach((samples, index) => values.set(samples, offsets[index]!));
  return { dealDistribution, offsets, values };
}
