import type { OrgSchema } from '../schema/org-schema';
import { templatesFor, type DemandTemplate, type HandoffRules } from './rules';
import { demandStatus, probabilityFor } from './transition';
import { addDays, sameValue, scale2, type SObject } from './values';

/** A line item with its product (Product2, or the price book entry's product when Product2Id is not set). */
export interface LineItem {
  Id: string;
  OpportunityId: string;
  Product2Id: string | null;
  ProductName: string | null;
  ProductCode: string | null;
  Family: string | null;
  Quantity: number | null;
  UnitPrice: number | null;
  TotalPrice: number | null;
  ServiceDate: string | null;
}

/** What to write for one engagement: only rows that differ from what is stored (DemandPlanner.Plan). */
export interface Plan {
  phases: SObject[];
  demands: SObject[];
  removals: { object: 'Resource_Demand__c' | 'Engagement_Phase__c'; id: string }[];
  errors: string[];
}

export const changesDemand = (plan: Plan): boolean =>
  plan.demands.length > 0 || plan.removals.some((removal) => removal.object === 'Resource_Demand__c');

const PHASE_FIELDS = [
  'Name',
  'Product__c',
  'Service__c',
  'Quantity__c',
  'Unit_Price__c',
  'Total_Price__c',
  'Hours__c',
  'Start_Date__c',
  'End_Date__c'
];
const DEMAND_FIELDS = [
  'Role__c',
  'Skill__c',
  'Total_Hours__c',
  'Start_Date__c',
  'End_Date__c',
  'Status__c',
  'Probability__c',
  'Weighted_Hours__c'
];

export interface PlanInput {
  /** The opportunity: Probability, CloseDate, Expected_Start__c, IsDeleted. */
  deal: SObject;
  /** Its live line items (none for a deleted deal). */
  items: LineItem[];
  engagementId: string;
  storedPhases: SObject[];
  storedDemands: SObject[];
  /** The engagement's status after this change. */
  status: string;
}

/**
 * Phases (one per line item) and demand lines (one per line item and matching template) for one engagement, as
 * DemandPlanner.cls plans them: demand is (role, hours, start, end), weighted by the deal's probability until the
 * handoff, released when the deal is lost; rows of removed line items are deleted (kept when the deal was deleted).
 */
export function planDemand(schema: OrgSchema, rules: HandoffRules, input: PlanInput): Plan {
  const plan: Plan = { phases: [], demands: [], removals: [], errors: [] };
  const differs = (object: string, stored: SObject, wanted: SObject, fields: string[]) =>
    fields.some((field) => !sameValue(schema, object, field, stored[field], wanted[field]));
  const phasesByKey = new Map(input.storedPhases.map((phase) => [phase.Line_Item_Key__c, phase]));
  const demandsByKey = new Map(input.storedDemands.map((demand) => [demand.Demand_Key__c, demand]));
  const probability = probabilityFor(input.deal.Probability, input.status);
  const wantedPhases = new Set<string>();
  const wantedDemands = new Set<string>();

  for (const item of input.items) {
    if (item.Quantity === null || item.Quantity < 0) {
      plan.errors.push(
        `Line item ${item.Id}: Quantity must be zero or more to plan demand (OpportunityLineItem.Quantity)`
      );
      continue;
    }
    const phaseStart = String(item.ServiceDate ?? input.deal.Expected_Start__c ?? input.deal.CloseDate);
    const stored = phasesByKey.get(item.Id);
    const phase: SObject & { Hours__c: number; End_Date__c: string } = {
      Line_Item_Key__c: item.Id,
      Name: item.ProductName?.slice(0, 80) ?? null,
      Product__c: item.Product2Id,
      Service__c: item.ProductName,
      Quantity__c: item.Quantity,
      Unit_Price__c: item.UnitPrice,
      Total_Price__c: item.TotalPrice,
      Hours__c: 0,
      Start_Date__c: phaseStart,
      End_Date__c: phaseStart
    };
    wantedPhases.add(item.Id);
    for (const template of templatesFor(rules, item.ProductCode, item.Family)) {
      const demand = demandFor(item, item.Quantity, template, phaseStart, probability);
      phase.Hours__c += demand.Total_Hours__c;
      if (demand.End_Date__c > phase.End_Date__c) phase.End_Date__c = demand.End_Date__c;
      const storedDemand = demandsByKey.get(demand.Demand_Key__c);
      demand.Status__c = demandStatus((storedDemand?.Status__c as string | undefined) ?? null, input.status);
      if (stored) demand.Phase__c = stored.Id;
      else demand.Phase__r = { Line_Item_Key__c: item.Id };
      wantedDemands.add(demand.Demand_Key__c);
      if (!storedDemand) plan.demands.push({ ...demand, Engagement__c: input.engagementId });
      else if (differs('Resource_Demand__c', storedDemand, demand, DEMAND_FIELDS)) plan.demands.push(demand);
    }
    if (!stored) plan.phases.push({ ...phase, Engagement__c: input.engagementId });
    else if (differs('Engagement_Phase__c', stored, phase, PHASE_FIELDS)) plan.phases.push(phase);
  }

  if (input.status === 'Lost') {
    // Demand the line items no longer produce (e.g. of a deleted deal) is released too.
    for (const demand of input.storedDemands) {
      const key = String(demand.Demand_Key__c);
      if (!wantedDemands.has(key) && (demand.Status__c === 'Open' || demand.Status__c === 'Filled')) {
        plan.demands.push({ Demand_Key__c: key, Status__c: 'Released' });
        wantedDemands.add(key);
      }
    }
  }
  if (input.deal.IsDeleted === true) return plan; // keep a deleted deal's phases and demand as the record of the sale
  for (const demand of input.storedDemands) {
    if (!wantedDemands.has(String(demand.Demand_Key__c))) {
      plan.removals.push({ object: 'Resource_Demand__c', id: String(demand.Id) });
    }
  }
  for (const phase of input.storedPhases) {
    if (!wantedPhases.has(String(phase.Line_Item_Key__c))) {
      plan.removals.push({ object: 'Engagement_Phase__c', id: String(phase.Id) });
    }
  }
  return plan;
}

function demandFor(
  item: LineItem,
  quantity: number,
  template: DemandTemplate,
  phaseStart: string,
  probability: number
) {
  const weeks = template.durationWeeks * (template.scaleDuration ? Math.max(1, Math.ceil(quantity)) : 1);
  const start = addDays(phaseStart, 7 * template.startOffsetWeeks);
  const hours = scale2(quantity * template.hoursPerUnit);
  const demand: SObject & { Demand_Key__c: string; Total_Hours__c: number; End_Date__c: string } = {
    Demand_Key__c: `${item.Id}:${template.developerName}`,
    Role__c: template.role,
    Skill__c: template.skill ?? null,
    Total_Hours__c: hours,
    Start_Date__c: start,
    End_Date__c: addDays(start, 7 * weeks - 1),
    Probability__c: probability,
    Weighted_Hours__c: scale2((hours * probability) / 100)
  };
  return demand;
}
