"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.weeksSpanned = weeksSpanned;
exports.hoursPerWeek = hoursPerWeek;
exports.assignmentIntents = assignmentIntents;
const dates_1 = require("./dates");
/** Weeks a demand spans, as the Apex computes it: ceil((daysBetween + 1) / 7), at least 1. */
function weeksSpanned(startDate, endDate) {
    return Math.max(1, Math.floor(((0, dates_1.daysBetween)(startDate, endDate) + 7) / 7));
}
/** Total / weeks rounded half up to 0.01 (hours carry at most two decimals, so hundredths are exact). */
function hoursPerWeek(totalHours, weeks) {
    return Math.round(Math.round(totalHours * 100) / weeks) / 100;
}
function compareCodeUnits(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}
function assignmentIntents(records, demands) {
    const amountOf = new Map(records.Opportunity.map((opportunity) => [`@${opportunity.referenceId}`, opportunity.Amount]));
    const booked = demands
        .filter((demand) => demand.status === 'Active')
        .sort((a, b) => compareCodeUnits(a.startDate, b.startDate) ||
        amountOf.get(a.opportunityRef) - amountOf.get(b.opportunityRef) ||
        compareCodeUnits(a.endDate, b.endDate) ||
        a.totalHours - b.totalHours);
    const byRole = new Map();
    const resources = records.Resource__c.filter((resource) => resource.Weekly_Capacity_Hours__c > 0).sort((a, b) => compareCodeUnits(a.Name, b.Name));
    for (const resource of resources) {
        const list = byRole.get(resource.Primary_Role__c) ?? [];
        byRole.set(resource.Primary_Role__c, list);
        list.push(resource);
    }
    const next = new Map();
    const intents = [];
    for (const demand of booked) {
        const candidates = byRole.get(demand.role) ?? [];
        const first = next.get(demand.role) ?? 0;
        for (let i = 0; i < candidates.length; i++) {
            const index = (first + i) % candidates.length;
            const resource = candidates[index];
            const active = resource.Active_From__c <= demand.startDate &&
                (!resource.Active_To__c || resource.Active_To__c >= demand.endDate);
            if (!active)
                continue;
            next.set(demand.role, index + 1);
            intents.push({
                resourceRef: `@${resource.referenceId}`,
                opportunityRef: demand.opportunityRef,
                lineItemRef: demand.lineItemRef,
                productCode: demand.productCode,
                role: demand.role,
                hoursPerWeek: Math.min(hoursPerWeek(demand.totalHours, weeksSpanned(demand.startDate, demand.endDate)), resource.Weekly_Capacity_Hours__c),
                startDate: demand.startDate,
                endDate: demand.endDate,
                bookingType: 'Hard'
            });
            break;
        }
    }
    return intents;
}
