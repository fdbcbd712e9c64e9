"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.generateFirm = void 0;
exports.seedDemoFirm = seedDemoFirm;
const demo_firm_1 = require("./demo-firm");
Object.defineProperty(exports, "generateFirm", { enumerable: true, get: function () { return demo_firm_1.generateFirm; } });
const types_1 = require("./types");
/**
 * Loads the demo firm into a local org the way `npm run org:data` loads it into a scratch org: records in
 * dependency order with references resolved, the org's standard price book and admin user in place of the
 * placeholders; the org's automation turns deals into engagements, phases and demand; then resources are booked
 * onto that demand like scripts/data/sample/assign-resources.apex does.
 */
function seedDemoFirm(store, firm, adminUserId) {
    const ids = new Map();
    const existingBook = store.query('SELECT Id FROM Pricebook2 WHERE IsStandard = true LIMIT 1')[0];
    const pricebookId = existingBook
        ? String(existingBook.Id)
        : store.seed('Pricebook2', [{ Name: 'Standard Price Book', IsActive: true, IsStandard: true }], {
            system: true
        })[0];
    const resolve = (value) => {
        if (value === types_1.PLACEHOLDERS.standardPricebookId)
            return pricebookId;
        if (value === types_1.PLACEHOLDERS.deliveryLeadId)
            return adminUserId;
        if (typeof value === 'string' && value.startsWith('@')) {
            const id = ids.get(value.slice(1));
            if (!id)
                throw new Error(`demo firm: ${value} is referenced before it is created`);
            return id;
        }
        return value;
    };
    const created = {};
    for (const object of types_1.SOBJECTS) {
        const records = firm.records[object];
        // Accounts reference their parents: create parents first, then children, as the import plan does.
        const batches = object === 'Account' ? [records.filter((r) => !r.ParentId), records.filter((r) => r.ParentId)] : [records];
        for (const batch of batches) {
            if (batch.length === 0)
                continue;
            const values = batch.map(({ referenceId: _referenceId, ...fields }) => Object.fromEntries(Object.entries(fields).map(([field, value]) => [field, resolve(value)])));
            const newIds = store.seed(object, values);
            batch.forEach((record, index) => ids.set(String(record.referenceId), newIds[index]));
            created[object] = (created[object] ?? 0) + batch.length;
        }
    }
    // Book resources on the demand the automation created, as assign-resources.apex does in an org.
    const demand = store.query('SELECT Id, Demand_Key__c, Role__c, Engagement__c FROM Resource_Demand__c');
    const byLineAndRole = new Map(demand.map((row) => [`${String(row.Demand_Key__c).split(':')[0]}|${String(row.Role__c)}`, row]));
    const assignments = firm.assignments.flatMap((intent) => {
        const lineItemId = ids.get(intent.lineItemRef.slice(1));
        const line = lineItemId ? byLineAndRole.get(`${lineItemId}|${intent.role}`) : undefined;
        if (!line)
            return [];
        return [
            {
                Resource__c: ids.get(intent.resourceRef.slice(1)),
                Engagement__c: line.Engagement__c,
                Demand__c: line.Id,
                Hours_Per_Week__c: intent.hoursPerWeek,
                Start_Date__c: intent.startDate,
                End_Date__c: intent.endDate,
                Booking_Type__c: intent.bookingType
            }
        ];
    });
    if (assignments.length)
        store.seed('Assignment__c', assignments);
    return {
        created,
        engagements: store.query('SELECT Id FROM Engagement__c').length,
        demandLines: demand.length,
        assignments: assignments.length
    };
}
