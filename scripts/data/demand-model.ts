import { PRODUCTS, type ProductCode, type Role, type Skill, type Stage } from './catalog';
import { addDays, daysBetween, mondayOf, type IsoDate } from './dates';
import type { FirmRecords, OpportunityRecord, Ref, ResourceRecord } from './types';

/**
 * What the package's triggers will make of the demo firm's opportunities, modelled offline: the engagement status
 * a stage leads to (Handoff_Stage_Rule__mdt) and the role demand each line item creates (Handoff_Demand_Template__mdt,
 * as listed in the data model contract). The tests use it to prove the planted shortages; the assignment intents
 * use it to say what scripts/data/sample/assign-resources.apex will book.
 *
 * Assumed demand dates (the trigger owns the real ones): a demand starts on the line item's ServiceDate plus the
 * template's Start_Offset_Weeks__c and lasts Duration_Weeks__c (times Quantity when Scale_Duration__c), ending on
 * the last day of its last week: start + 7 x weeks - 1.
 */

export type EngagementStatus = 'Pipeline' | 'Active' | 'Lost';

const STAGE_STATUS: Partial<Record<Stage, EngagementStatus>> = {
  'Proposal/Price Quote': 'Pipeline',
  'Negotiation/Review': 'Pipeline',
  'Closed Won': 'Active',
  'Closed Lost': 'Lost'
};

/** The engagement status an opportunity's stage leads to; undefined when it gets no engagement yet. */
export function engagementStatus(stage: Stage): EngagementStatus | undefined {
  return STAGE_STATUS[stage];
}

export interface Demand {
  readonly opportunityRef: Ref<'Opportunity'>;
  readonly lineItemRef: Ref<'OpportunityLineItem'>;
  readonly productCode: ProductCode;
  readonly role: Role;
  readonly skill?: Skill;
  readonly totalHours: number;
  readonly startDate: IsoDate;
  readonly endDate: IsoDate;
  readonly weeks: number;
  readonly status: EngagementStatus;
  /** Probability__c of the demand: the opportunity's, 100 once won. */
  readonly probability: number;
}

/** The demand of every opportunity that has (or will have) an engagement: Pipeline and Active ones. */
export function demandsOf(records: FirmRecords): Demand[] {
  const productByEntry = new Map<string, ProductCode>();
  const codeByProduct = new Map(records.Product2.map((product) => [`@${product.referenceId}`, product.ProductCode]));
  for (const entry of records.PricebookEntry) {
    productByEntry.set(`@${entry.referenceId}`, codeByProduct.get(entry.Product2Id)!);
  }
  const opportunities = new Map<string, OpportunityRecord>(
    records.Opportunity.map((opportunity) => [`@${opportunity.referenceId}`, opportunity])
  );
  const demands: Demand[] = [];
  for (const item of records.OpportunityLineItem) {
    const opportunity = opportunities.get(item.OpportunityId)!;
    const status = engagementStatus(opportunity.StageName);
    if (status !== 'Pipeline' && status !== 'Active') continue;
    const productCode = productByEntry.get(item.PricebookEntryId)!;
    for (const template of PRODUCTS[productCode].templates) {
      const weeks = template.durationWeeks * (template.scaleDuration ? item.Quantity : 1);
      const startDate = addDays(item.ServiceDate, template.startOffsetWeeks * 7);
      demands.push({
        opportunityRef: item.OpportunityId,
        lineItemRef: `@${item.referenceId}`,
        productCode,
        role: template.role,
        ...(template.skill ? { skill: template.skill } : {}),
        totalHours: template.hoursPerUnit * item.Quantity,
        startDate,
        endDate: addDays(startDate, weeks * 7 - 1),
        weeks,
        status,
        probability: status === 'Active' ? 100 : opportunity.Probability
      });
    }
  }
  return demands;
}

/** Week index of a date: 0 is the week (Monday to Sunday) `today` falls in. */
export function weekIndex(today: IsoDate, date: IsoDate): number {
  return Math.floor(daysBetween(mondayOf(today), date) / 7);
}

/**
 * Probability-weighted hours per role and week index, spread evenly over each demand's weeks (won demand weighs
 * 100%); `confirmedOnly` keeps the demand of Active engagements only.
 */
export function weeklyDemand(
  demands: readonly Demand[],
  today: IsoDate,
  options: { confirmedOnly: boolean }
): Map<Role, Map<number, number>> {
  const load = new Map<Role, Map<number, number>>();
  for (const demand of demands) {
    if (options.confirmedOnly && demand.status !== 'Active') continue;
    const perWeek = ((demand.totalHours / demand.weeks) * demand.probability) / 100;
    const first = weekIndex(today, demand.startDate);
    const byWeek = load.get(demand.role) ?? new Map<number, number>();
    load.set(demand.role, byWeek);
    for (let week = first; week < first + demand.weeks; week++) byWeek.set(week, (byWeek.get(week) ?? 0) + perWeek);
  }
  return load;
}

/** Whether a resource works on at least one day of week `week` (index as in weekIndex). */
export function activeInWeek(resource: ResourceRecord, today: IsoDate, week: number): boolean {
  const monday = addDays(mondayOf(today), week * 7);
  const sunday = addDays(monday, 6);
  return resource.Active_From__c <= sunday && (!resource.Active_To__c || resource.Active_To__c >= monday);
}

/** Nominal weekly capacity of a role (time off and holidays not taken off, so it is an upper bound). */
export function weeklyCapacity(resources: readonly ResourceRecord[], today: IsoDate, role: Role, week: number): number {
  return resources
    .filter((resource) => resource.Primary_Role__c === role && activeInWeek(resource, today, week))
    .reduce((sum, resource) => sum + resource.Weekly_Capacity_Hours__c, 0);
}
