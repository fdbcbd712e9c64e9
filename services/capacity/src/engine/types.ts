/** Inputs and outputs of the forecast engine. Dates are ISO `YYYY-MM-DD`; hours are decimal hours. */
import type { Calibration, HistoryInput, ProbabilitySource } from './calibration';

export type { HistoryInput, ProbabilitySource } from './calibration';

export interface ResourceInput {
  id: string;
  name?: string;
  role: string;
  skills?: string[];
  /** Contracted hours per week; part-time people have fewer. */
  weeklyHours: number;
  practice?: string;
  /** Holidays of this location apply to the resource, besides firm-wide ones. */
  location?: string;
  activeFrom?: string;
  activeTo?: string;
  /** Weekdays worked, 0 = Monday ... 6 = Sunday; absent means Monday to Friday. Weekly hours spread evenly over them. */
  workingDays?: number[];
}

export interface HolidayInput {
  id?: string;
  date: string;
  /** Location the holiday applies to; absent for firm-wide holidays. */
  location?: string;
}

export interface TimeOffInput {
  id?: string;
  resourceId: string;
  start: string;
  end: string;
  /** Hours off per working day; absent means the whole day. */
  hoursPerDay?: number;
}

/** Confirmed demand belongs to won (active) engagements; pipeline demand to open deals, weighted by probability. */
export type DemandLayer = 'confirmed' | 'pipeline';

export interface DemandInput {
  id: string;
  /** The deal the demand comes from; pipeline lines of one deal win or lose together. */
  opportunityId: string;
  engagementId?: string;
  role: string;
  skill?: string;
  practice?: string;
  hours: number;
  start: string;
  end: string;
  /** Win probability of the deal, 0-100. */
  probability: number;
  layer: DemandLayer;
  /** Filled demand is staffed already; it still counts as demand but needs no recommendation. */
  status?: 'Open' | 'Filled' | 'Released';
}

export interface AssignmentInput {
  id: string;
  resourceId: string;
  demandId?: string;
  engagementId?: string;
  hoursPerWeek: number;
  start: string;
  end: string;
  booking: 'Soft' | 'Hard';
}

export interface OpportunityInput {
  id: string;
  /** The pipeline engagement the deal's probability and expected start are read from. */
  engagementId?: string;
  name?: string;
  probability: number;
  /** When delivery would start if the deal is won. */
  expectedStart?: string;
  /** The deal's stage (Opportunity.StageName), for its calibrated probability and close-date slip. */
  stage?: string;
  /** When it entered that stage (Opportunity.LastStageChangeDate). */
  stageSince?: string;
}

export interface EngineInput {
  /** Forecast date; buckets start on the Monday of its week. */
  asOf: string;
  /** Weeks to forecast, 1-104 (default 26). */
  horizonWeeks?: number;
  /** The firm's roles; demand or resources naming another role are refused. */
  roles: string[];
  resources: ResourceInput[];
  holidays?: HolidayInput[];
  timeOff?: TimeOffInput[];
  demand: DemandInput[];
  assignments?: AssignmentInput[];
  opportunities?: OpportunityInput[];
  /** OpportunityHistory rows: calibrated win probabilities and close-date slip are learned from them. */
  history?: HistoryInput[];
}

export interface EngineOptions {
  /** Monte Carlo trials over pipeline outcomes (0 = deterministic layers only). */
  trials?: number;
  seed?: number;
  /** Candidates listed per open demand line. */
  candidatesPerDemand?: number;
  /** Recommend staff for open confirmed lines under way or starting within this many weeks (default 12). */
  recommendWithinWeeks?: number;
  /** Which probability weights pipeline demand and drives the Monte Carlo (default entered). */
  probabilitySource?: ProbabilitySource;
  /** Trailing window of closed deals the calibration learns from, in months (default 24). */
  calibrationWindowMonths?: number;
  /** Weight of the entered probability as a prior, in deals (default 10). */
  calibrationPriorWeight?: number;
  /** Shift each won deal's demand by a close-date slip sampled from history in every trial (default true). */
  dateSlip?: boolean;
}

/** A role x week matrix, row-major: value of role r in week w at index r * weeks + w. */
export type Grid = Float64Array;

export interface RoleWeekGrids {
  capacity: Grid;
  /** Won engagements' demand plus hard bookings not tied to a demand line. */
  confirmed: Grid;
  /** Confirmed plus pipeline demand x probability. */
  weighted: Grid;
  /** Confirmed plus all open pipeline at 100%. */
  exposure: Grid;
  /** With history: weighted by the entered and by the calibrated probability (one of them is `weighted`). */
  weightedEntered?: Grid;
  weightedCalibrated?: Grid;
  /** Confirmed plus soft-booked hours that confirmed demand does not already hold (no probability weighting). */
  tentative: Grid;
}

export interface MonteCarloGrids {
  trials: number;
  seed: number;
  p10: Grid;
  p50: Grid;
  p90: Grid;
  mean: Grid;
  /** Share of trials in which demand exceeded capacity. */
  shortageProbability: Grid;
}

export interface RoleShortfall {
  role: string;
  /** Set when the people of the role holding this skill are short (the role as a whole may have hours free). */
  skill?: string;
  /** This deal's hours of the role (or skill) the firm could not cover over the deal's weeks if it started as planned. */
  hours: number;
  /**
   * Confirmed work of the role already beyond capacity in those same weeks, without this deal: a shortage the deal
   * does not cause and winning it does not change.
   */
  overCommittedHours: number;
  /** First week (Monday) of the shortfall. */
  firstWeek: string;
  /** Earliest start from which this role's part of the deal fits; null if none in the horizon. */
  earliestFeasibleStart: string | null;
}

/**
 * Which start the answer used: the deal's expected start where its demand lines start then too; its expected start
 * with the lines moved there (a slipped or advanced deal); or the lines' own start when the deal has no expected start.
 */
export type StartBasis = 'Expected_Start' | 'Expected_Start_Shifted' | 'Demand_Lines';

/**
 * Staffable / Short: the deal lies within the horizon and fits or not. Partly_Beyond_Horizon: it runs past the
 * horizon's end, and only the weeks inside were checked. Beyond_Horizon: it starts after the horizon; nothing was
 * checked.
 */
export type AnswerState = 'Staffable' | 'Short' | 'Partly_Beyond_Horizon' | 'Beyond_Horizon';

export interface StaffingAnswer {
  opportunityId: string;
  /** The start the answer assumed (see startBasis). */
  plannedStart: string;
  startBasis: StartBasis;
  /** Days the demand lines were moved to start at the expected start (negative: earlier); 0 when not moved. */
  startShiftDays: number;
  state: AnswerState;
  /** True when every checked week has room for the deal. */
  staffable: boolean;
  shortfalls: RoleShortfall[];
  /** Over all roles: this deal's uncovered hours, and confirmed work already beyond capacity in its weeks. */
  shortfallHours: number;
  overCommittedHours: number;
  /** The deal's hours after the horizon's end (not checked). */
  hoursBeyondHorizon: number;
  /** Last day of the horizon the answer covers. */
  horizonEnd: string;
  /** Earliest start from which the deal's demand fits the capacity left after confirmed work; null if none. */
  earliestFeasibleStart: string | null;
}

export interface Candidate {
  resourceId: string;
  score: number;
  /** Share of the demand's weekly need the resource has free, 0-1. */
  availability: number;
  skillMatch: boolean;
  /**
   * The line's weeks inside the horizon, in order: the hours the line needs that week and the hours the candidate
   * has free for it (before this line's top candidate is tentatively booked), so a reader sees where the gaps are.
   */
  weeks: CandidateWeek[];
}

/** One week of a candidate's availability for a demand line. */
export interface CandidateWeek {
  /** Monday of the week, YYYY-MM-DD. */
  week: string;
  need: number;
  free: number;
}

export interface Recommendation {
  demandId: string;
  role: string;
  candidates: Candidate[];
}

export interface Forecast {
  weeks: string[];
  roles: string[];
  grids: RoleWeekGrids;
  monteCarlo?: MonteCarloGrids;
  /** Same layers by practice (rows follow `practices`). */
  practices: string[];
  practiceGrids: RoleWeekGrids;
  /**
   * Capacity and demand by (role, skill) and week, for the pairs demand lines name. Capacity is the hours of the
   * role's people holding the skill; someone holding several skills counts towards each, so these rows overlap.
   */
  skills: {
    role: string;
    skill: string;
    capacity: Float64Array;
    confirmed: Float64Array;
    weighted: Float64Array;
    exposure: Float64Array;
    tentative: Float64Array;
  }[];
  staffing: StaffingAnswer[];
  recommendations: Recommendation[];
  counts: { resources: number; demandLines: number; opportunities: number; assignments: number };
  /** What the history taught, when history was given. */
  calibration?: CalibrationReport;
}

export interface CalibrationReport extends Calibration {
  probabilitySource: ProbabilitySource;
  /** Whether the Monte Carlo shifted deals by sampled close-date slip. */
  slipInMonteCarlo: boolean;
}
