import { dayNumber, isoDate } from './calendar';
import type { DemandInput, EngineInput, OpportunityInput } from './types';

/** One Scenario_Change__c, as the engine reads it. Dates are ISO; probability is 0-100. */
export interface ScenarioChange {
  /** The Scenario_Change__c record Id and Name, for the error that names it. */
  id: string;
  name?: string;
  type: 'Include Deal' | 'Exclude Deal' | 'Shift Start' | 'Set Probability' | 'Add Deal' | string;
  opportunityId?: string;
  newStart?: string;
  shiftDays?: number;
  probability?: number;
  demandTemplate?: string;
  units?: number;
  practice?: string;
  startDate?: string;
}

/** One Handoff_Demand_Template__mdt record: the role demand one unit of a product creates. */
export interface ScenarioTemplate {
  productCode: string;
  role: string;
  skill?: string;
  hoursPerUnit: number;
  durationWeeks: number;
  startOffsetWeeks: number;
  scaleDuration: boolean;
}

/** Bad scenario input: names the Scenario_Change__c record and the field at fault. */
export class ScenarioInputError extends Error {
  readonly errorCode = 'INVALID_SCENARIO_CHANGE';
  constructor(
    readonly change: ScenarioChange,
    readonly field: string,
    problem: string
  ) {
    super(`Scenario_Change__c ${change.name ? `${change.name} (${change.id})` : change.id}: ${field} ${problem}`);
  }
}

/** Salesforce Ids compare on their case-sensitive 15-character form (an 18-character Id adds a checksum). */
const sameId = (a: string | undefined, b: string | undefined) =>
  a !== undefined && b !== undefined && a.slice(0, 15) === b.slice(0, 15);

const shiftDate = (date: string, days: number) => isoDate(dayNumber(date) + days);
const isIsoDate = (value: string | undefined): value is string =>
  value !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(dayNumber(value));

/** The id a hypothetical deal takes in the forecast: never a real Opportunity Id. */
export const addedDealId = (change: ScenarioChange) => `scenario-deal:${change.id}`;

/**
 * The forecast input a scenario describes: `input` with its changes applied in order, as a new input (the given one
 * is left as it was). Include Deal counts a deal as won (its lines confirmed at 100%); Exclude Deal leaves it out as
 * if lost; Shift Start moves all its lines (and its expected start) to New Start, or by Shift Days; Set Probability
 * weights it at Probability whatever the probability source (its stage is dropped, so calibration keeps the
 * probability given); Add Deal adds a pipeline deal with the lines the product code's demand templates create.
 * A change that cannot apply throws a ScenarioInputError naming the change and its field.
 */
export function applyScenario(
  input: EngineInput,
  changes: ScenarioChange[],
  templates: ScenarioTemplate[] = []
): EngineInput {
  let demand: DemandInput[] = input.demand.map((line) => ({ ...line }));
  let opportunities: OpportunityInput[] = (input.opportunities ?? []).map((deal) => ({ ...deal }));
  const roles = new Set(input.roles);

  const dealLines = (change: ScenarioChange): DemandInput[] => {
    if (!change.opportunityId) throw new ScenarioInputError(change, 'Opportunity__c', 'is required for this change');
    const lines = demand.filter((line) => sameId(line.opportunityId, change.opportunityId));
    if (lines.length === 0) {
      throw new ScenarioInputError(
        change,
        'Opportunity__c',
        `${change.opportunityId} has no demand in the forecast inputs (no pipeline or won engagement with demand lines)`
      );
    }
    return lines;
  };
  const dealOf = (change: ScenarioChange) => opportunities.find((deal) => sameId(deal.id, change.opportunityId));

  for (const change of changes) {
    switch (change.type) {
      case 'Include Deal': {
        for (const line of dealLines(change)) {
          line.layer = 'confirmed';
          line.probability = 100;
        }
        // A won deal is no longer an open one: no staffing answer, no Monte Carlo draw.
        opportunities = opportunities.filter((deal) => !sameId(deal.id, change.opportunityId));
        break;
      }
      case 'Exclude Deal': {
        dealLines(change);
        demand = demand.filter((line) => !sameId(line.opportunityId, change.opportunityId));
        opportunities = opportunities.filter((deal) => !sameId(deal.id, change.opportunityId));
        break;
      }
      case 'Shift Start': {
        const lines = dealLines(change);
        const deal = dealOf(change);
        const from = deal?.expectedStart ?? lines.map((line) => line.start).sort()[0]!;
        let days: number;
        if (change.newStart !== undefined) {
          if (!isIsoDate(change.newStart)) throw new ScenarioInputError(change, 'New_Start__c', 'is not a date');
          days = dayNumber(change.newStart) - dayNumber(from);
        } else if (change.shiftDays !== undefined) {
          if (!Number.isInteger(change.shiftDays) || Math.abs(change.shiftDays) > 3660) {
            throw new ScenarioInputError(change, 'Shift_Days__c', 'must be a whole number of days within ten years');
          }
          days = change.shiftDays;
        } else {
          throw new ScenarioInputError(change, 'New_Start__c', 'or Shift_Days__c is required for a Shift Start change');
        }
        for (const line of lines) {
          line.start = shiftDate(line.start, days);
          line.end = shiftDate(line.end, days);
        }
        if (deal?.expectedStart) deal.expectedStart = shiftDate(deal.expectedStart, days);
        break;
      }
      case 'Set Probability': {
        const probability = change.probability;
        if (probability === undefined || !(probability >= 0 && probability <= 100)) {
          throw new ScenarioInputError(change, 'Probability__c', 'must be between 0 and 100');
        }
        const lines = dealLines(change);
        if (lines.some((line) => line.layer === 'confirmed')) {
          throw new ScenarioInputError(
            change,
            'Opportunity__c',
            `${change.opportunityId} is won: its demand is confirmed`
          );
        }
        for (const line of lines) line.probability = probability;
        const deal = dealOf(change);
        if (deal) {
          deal.probability = probability;
          // The calibrated probability is learned per stage; without one it is the probability given (calibration).
          delete deal.stage;
          delete deal.stageSince;
        }
        break;
      }
      case 'Add Deal': {
        const code = change.demandTemplate?.trim();
        if (!code) throw new ScenarioInputError(change, 'Demand_Template__c', 'is required for an Add Deal change');
        const group = templates.filter((template) => template.productCode.toLowerCase() === code.toLowerCase());
        if (group.length === 0) {
          const known = [...new Set(templates.map((template) => template.productCode))].sort().join(', ');
          throw new ScenarioInputError(
            change,
            'Demand_Template__c',
            `"${code}" names no active Handoff_Demand_Template__mdt product code (known: ${known || 'none'})`
          );
        }
        if (!isIsoDate(change.startDate)) {
          throw new ScenarioInputError(change, 'Start_Date__c', 'is required for an Add Deal change');
        }
        if (!change.practice?.trim()) {
          throw new ScenarioInputError(change, 'Practice__c', 'is required for an Add Deal change');
        }
        const units = change.units ?? 1;
        if (!(units > 0)) throw new ScenarioInputError(change, 'Units__c', 'must be more than 0');
        const probability = change.probability ?? 100;
        if (!(probability >= 0 && probability <= 100)) {
          throw new ScenarioInputError(change, 'Probability__c', 'must be between 0 and 100');
        }
        const id = addedDealId(change);
        group.forEach((template, index) => {
          if (!roles.has(template.role)) {
            throw new ScenarioInputError(
              change,
              'Demand_Template__c',
              `"${code}" creates demand for role "${template.role}", which is not a Resource_Demand__c.Role__c value`
            );
          }
          // As the lifecycle automation turns a template into a demand line (services/local-org demand.ts).
          const weeks = template.durationWeeks * (template.scaleDuration ? Math.max(1, Math.ceil(units)) : 1);
          const start = shiftDate(change.startDate!, 7 * template.startOffsetWeeks);
          demand.push({
            id: `${id}:${index}`,
            opportunityId: id,
            role: template.role,
            ...(template.skill ? { skill: template.skill } : {}),
            practice: change.practice!.trim(),
            hours: Math.round(units * template.hoursPerUnit * 100) / 100,
            start,
            end: shiftDate(start, Math.max(1, Math.round(weeks * 7)) - 1),
            probability,
            layer: 'pipeline',
            status: 'Open'
          });
        });
        opportunities.push({ id, name: change.name ?? id, probability, expectedStart: change.startDate! });
        break;
      }
      default:
        throw new ScenarioInputError(
          change,
          'Type__c',
          `"${change.type}" is not one of Include Deal, Exclude Deal, Shift Start, Set Probability, Add Deal`
        );
    }
  }
  return { ...input, demand, opportunities };
}
