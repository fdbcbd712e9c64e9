import type { ProductCode, Role } from './catalog';
import { daysBetween, type IsoDate } from './dates';
import type { Demand } from './demand-model';
import type { FirmRecords, Ref, ResourceRecord } from './types';

/**
 * The assignments scripts/data/sample/assign-resources.apex books once the package has created the demand, as data,
 * so a TypeScript seeder can book the same ones in an offline stand-in org. Both follow one rule:
 *
 * - Open demand of Active engagements (won deals), taken in the order Start_Date__c, the engagement's
 *   Contract_Value__c (= the opportunity's Amount, unique among won deals), End_Date__c, Total_Hours__c.
 * - Per role, resources with Weekly_Capacity_Hours__c > 0 ordered by Name, taken round-robin: the next resource after
 *   the one booked last for that role that is active for the whole demand (Active_From__c <= start, Active_To__c
 *   blank or >= end). No such resource: the demand stays unbooked.
 * - Hours per week = Total_Hours__c / weeks (weeks = ceil(days / 7), days counting both ends), rounded half up to
 *   0.01 and capped at the resource's weekly capacity; Booking_Type__c Hard, the demand's dates.
 *
 * Resource names are built so that SOQL's ORDER BY Name and a plain code-unit sort agree (see names.ts). Only the
 * order among one role's demand matters (round-robin is per role), and one role's demand still tied after the four
 * sort keys has the same dates and hours: however the org breaks such a tie, the same bookings result (only which
 * of the tied line items each one names can differ).
 */

export type BookingType = 'Soft' | 'Hard';

export interface AssignmentIntent {
  readonly resourceRef: Ref<'Resource__c'>;
  readonly opportunityRef: Ref<'Opportunity'>;
  readonly lineItemRef: Ref<'OpportunityLineItem'>;
  readonly productCode: ProductCode;
  readonly role: Role;
  readonly hoursPerWeek: number;
  readonly startDate: IsoDate;
  readonly endDate: IsoDate;
  readonly bookingType: BookingType;
}

/** Weeks a demand spans, as the Apex computes it: ceil((daysBetween + 1) / 7), at least 1. */
export function weeksSpanned(startDate: IsoDate, endDate: IsoDate): number {
  return Math.max(1, Math.floor((daysBetween(startDate, endDate) + 7) / 7));
}

/** Total / weeks rounded half up to 0.01 (hours carry at most two decimals, so hundredths are exact). */
export function hoursPerWeek(totalHours: number, weeks: number): number {
  return Math.round(Math.round(totalHours * 100) / weeks) / 100;
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function assignmentIntents(records: FirmRecords, demands: readonly Demand[]): AssignmentIntent[] {
  const amountOf = new Map(
    records.Opportunity.map((opportunity) => [`@${opportunity.referenceId}`, opportunity.Amount])
  );
  const booked = demands
    .filter((demand) => demand.status === 'Active')
    .sort(
      (a, b) =>
        compareCodeUnits(a.startDate, b.startDate) ||
        amountOf.get(a.opportunityRef)! - amountOf.get(b.opportunityRef)! ||
        compareCodeUnits(a.endDate, b.endDate) ||
        a.totalHours - b.totalHours
    );

  const byRole = new Map<Role, ResourceRecord[]>();
  const resources = records.Resource__c.filter((resource) => resource.Weekly_Capacity_Hours__c > 0).sort((a, b) =>
    compareCodeUnits(a.Name, b.Name)
  );
  for (const resource of resources) {
    const list = byRole.get(resource.Primary_Role__c) ?? [];
    byRole.set(resource.Primary_Role__c, list);
    list.push(resource);
  }

  const next = new Map<Role, number>();
  const intents: AssignmentIntent[] = [];
  for (const demand of booked) {
    const candidates = byRole.get(demand.role) ?? [];
    const first = next.get(demand.role) ?? 0;
    for (let i = 0; i < candidates.length; i++) {
      const index = (first + i) % candidates.length;
      const resource = candidates[index];
      const active =
        resource.Active_From__c <= demand.startDate &&
        (!resource.Active_To__c || resource.Active_To__c >= demand.endDate);
      if (!active) continue;
      next.set(demand.role, index + 1);
      intents.push({
        resourceRef: `@${resource.referenceId}`,
        opportunityRef: demand.opportunityRef,
        lineItemRef: demand.lineItemRef,
        productCode: demand.productCode,
        role: demand.role,
        hoursPerWeek: Math.min(
          hoursPerWeek(demand.totalHours, weeksSpanned(demand.startDate, demand.endDate)),
          resource.Weekly_Capacity_Hours__c
        ),
        startDate: demand.startDate,
        endDate: demand.endDate,
        bookingType: 'Hard'
      });
      break;
    }
  }
  return intents;
}
