"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.engagementStatus = engagementStatus;
exports.demandsOf = demandsOf;
exports.weekIndex = weekIndex;
exports.weeklyDemand = weeklyDemand;
exports.activeInWeek = activeInWeek;
exports.weeklyCapacity = weeklyCapacity;
const catalog_1 = require("./catalog");
const dates_1 = require("./dates");
const STAGE_STATUS = {
    'Proposal/Price Quote': 'Pipeline',
    'Negotiation/Review': 'Pipeline',
    'Closed Won': 'Active',
    'Closed Lost': 'Lost'
};
/** The engagement status an opportunity's stage leads to; undefined when it gets no engagement yet. */
function engagementStatus(stage) {
    return STAGE_STATUS[stage];
}
/** The demand of every opportunity that has (or will have) an engagement: Pipeline and Active ones. */
function demandsOf(records) {
    const productByEntry = new Map();
    const codeByProduct = new Map(records.Product2.map((product) => [`@${product.referenceId}`, product.ProductCode]));
    for (const entry of records.PricebookEntry) {
        productByEntry.set(`@${entry.referenceId}`, codeByProduct.get(entry.Product2Id));
    }
    const opportunities = new Map(records.Opportunity.map((opportunity) => [`@${opportunity.referenceId}`, opportunity]));
    const demands = [];
    for (const item of records.OpportunityLineItem) {
        const opportunity = opportunities.get(item.OpportunityId);
        const status = engagementStatus(opportunity.StageName);
        if (status !== 'Pipeline' && status !== 'Active')
            continue;
        const productCode = productByEntry.get(item.PricebookEntryId);
        for (const template of catalog_1.PRODUCTS[productCode].templates) {
            const weeks = template.durationWeeks * (template.scaleDuration ? item.Quantity : 1);
            const startDate = (0, dates_1.addDays)(item.ServiceDate, template.startOffsetWeeks * 7);
            demands.push({
                opportunityRef: item.OpportunityId,
                lineItemRef: `@${item.referenceId}`,
                productCode,
                role: template.role,
                ...(template.skill ? { skill: template.skill } : {}),
                totalHours: template.hoursPerUnit * item.Quantity,
                startDate,
                endDate: (0, dates_1.addDays)(startDate, weeks * 7 - 1),
                weeks,
                status,
                probability: status === 'Active' ? 100 : opportunity.Probability
            });
        }
    }
    return demands;
}
/** Week index of a date: 0 is the week (Monday to Sunday) `today` falls in. */
function weekIndex(today, date) {
    return Math.floor((0, dates_1.daysBetween)((0, dates_1.mondayOf)(today), date) / 7);
}
/**
 * Probability-weighted hours per role and week index, spread evenly over each demand's weeks (won demand weighs
 * 100%); `confirmedOnly` keeps the demand of Active engagements only.
 */
function weeklyDemand(demands, today, options) {
    const load = new Map();
    for (const demand of demands) {
        if (options.confirmedOnly && demand.status !== 'Active')
            continue;
        const perWeek = ((demand.totalHours / demand.weeks) * demand.probability) / 100;
        const first = weekIndex(today, demand.startDate);
        const byWeek = load.get(demand.role) ?? new Map();
        load.set(demand.role, byWeek);
        for (let week = first; week < first + demand.weeks; week++)
            byWeek.set(week, (byWeek.get(week) ?? 0) + perWeek);
    }
    return load;
}
/** Whether a resource works on at least one day of week `week` (index as in weekIndex). */
function activeInWeek(resource, today, week) {
    const monday = (0, dates_1.addDays)((0, dates_1.mondayOf)(today), week * 7);
    const sunday = (0, dates_1.addDays)(monday, 6);
    return resource.Active_From__c <= sunday && (!resource.Active_To__c || resource.Active_To__c >= monday);
}
/** Nominal weekly capacity of a role (time off and holidays not taken off, so it is an upper bound). */
function weeklyCapacity(resources, today, role, week) {
    return resources
        .filter((resource) => resource.Primary_Role__c === role && activeInWeek(resource, today, week))
        .reduce((sum, resource) => sum + resource.Weekly_Capacity_Hours__c, 0);
}
