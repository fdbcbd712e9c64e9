"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.RefIds = exports.PLACEHOLDERS = exports.SOBJECTS = void 0;
exports.refTo = refTo;
/**
 * The records of the demo firm, one interface per object, with field API names as keys. A record's
 * `referenceId` names it (`AccountRef3`); a reference to another record is that id with an `@`
 * (`'@AccountRef3'`), the form `sf data import tree` resolves. Fields that need an org-specific Id hold a
 * placeholder instead (see PLACEHOLDERS).
 */
/** The objects of the demo firm, in the order they must be created (parents before children). */
exports.SOBJECTS = [
    'Account',
    'Contact',
    'Product2',
    'PricebookEntry',
    'Opportunity',
    'OpportunityLineItem',
    'Resource__c',
    'Time_Off__c',
    'Holiday'
];
/** Values only the target org knows; scripts/org/import-sample-data.sh substitutes them. */
exports.PLACEHOLDERS = {
    standardPricebookId: '@@STANDARD_PRICEBOOK_ID@@',
    deliveryLeadId: '@@DELIVERY_LEAD_ID@@'
};
/** Turns a reference id into the reference a field holds. */
function refTo(referenceId) {
    return `@${referenceId}`;
}
/** Hands out reference ids for one object: AccountRef1, AccountRef2, ... */
class RefIds {
    sobject;
    count = 0;
    constructor(sobject) {
        this.sobject = sobject;
    }
    next() {
        this.count++;
        return `${this.sobject}Ref${this.count}`;
    }
}
exports.RefIds = RefIds;
