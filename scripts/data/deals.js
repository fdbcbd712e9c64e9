"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DealBook = void 0;
exports.phaseWeeks = phaseWeeks;
exports.schedule = schedule;
exports.randomDeal = randomDeal;
const catalog_1 = require("./catalog");
const dates_1 = require("./dates");
const types_1 = require("./types");
/** Weeks a product's phase lasts: its longest template. */
function phaseWeeks(code, quantity) {
    return Math.max(...catalog_1.PRODUCTS[code].templates.map((template) => template.durationWeeks * (template.scaleDuration ? quantity : 1)));
}
/** Collects deals as records: Amount = sum of line items, unique names, unique Amounts among won deals. */
class DealBook {
    entries;
    opportunities = [];
    lineItems = [];
    opportunityRefs = new types_1.RefIds('Opportunity');
    lineItemRefs = new types_1.RefIds('OpportunityLineItem');
    names = new Set();
    wonAmounts = new Set();
    constructor(entries) {
        this.entries = entries;
    }
    add(deal) {
        const prices = deal.items.map((item) => Math.round(catalog_1.PRODUCTS[item.code].listPrice * (1 - (item.discount ?? 0))));
        const amountOf = () => deal.items.reduce((sum, item, i) => sum + item.quantity * prices[i], 0);
        // assign-resources.apex orders demand by the engagement's contract value: keep it unique among won deals.
        while (deal.stage === 'Closed Won' && this.wonAmounts.has(amountOf()))
            prices[0]++;
        if (deal.stage === 'Closed Won')
            this.wonAmounts.add(amountOf());
        const base = `${deal.client.name} - ${deal.title}`;
        let name = base;
        for (let n = 2; this.names.has(name); n++)
            name = `${base} ${n}`;
        this.names.add(name);
        const starts = deal.items.map((item) => item.serviceDate).sort();
        const ends = deal.items
            .map((item) => (0, dates_1.addDays)(item.serviceDate, phaseWeeks(item.code, item.quantity) * 7 - 1))
            .sort();
        const opportunity = {
            referenceId: this.opportunityRefs.next(),
            Name: name,
            AccountId: deal.client.ref,
            StageName: deal.stage,
            Probability: catalog_1.STAGE_PROBABILITY[deal.stage],
            CloseDate: deal.closeDate,
            Amount: amountOf(),
            Type: deal.type,
            LeadSource: deal.leadSource,
            Pricebook2Id: types_1.PLACEHOLDERS.standardPricebookId,
            Expected_Start__c: starts[0],
            Expected_End__c: ends[ends.length - 1],
            Delivery_Lead__c: types_1.PLACEHOLDERS.deliveryLeadId,
            Billing_Type__c: deal.billingType,
            Practice__c: deal.practice
        };
        this.opportunities.push(opportunity);
        deal.items.forEach((item, i) => this.lineItems.push({
            referenceId: this.lineItemRefs.next(),
            OpportunityId: (0, types_1.refTo)(opportunity.referenceId),
            PricebookEntryId: this.entries[item.code],
            Quantity: item.quantity,
            UnitPrice: prices[i],
            ServiceDate: item.serviceDate
        }));
        return opportunity;
    }
}
exports.DealBook = DealBook;
const BUNDLES = [
    {
        practice: 'CRM',
        titles: ['Sales Cloud Rollout', 'Service Cloud Rollout', 'Partner Portal', 'CPQ Implementation', 'Case Revamp'],
        core: 'HO-IMPL',
        optional: ['HO-DISC', 'HO-TRAIN', 'HO-CHG', 'HO-DATA']
    },
    {
        practice: 'Data & Analytics',
        titles: ['Data Platform Migration', 'Legacy CRM Migration', 'Analytics Foundation', 'Customer Data Cleanup'],
        core: 'HO-DATA',
        optional: ['HO-DISC', 'HO-TRAIN', 'HO-IMPL']
    },
    {
        practice: 'Integration',
        titles: ['ERP Integration', 'Order Sync', 'API Modernisation', 'Billing Integration'],
        core: 'HO-INTG',
        optional: ['HO-IMPL', 'HO-DISC', 'HO-DATA']
    },
    {
        practice: 'Advisory',
        titles: ['Operating Model Review', 'CRM Strategy', 'Adoption Programme', 'Roadmap Discovery'],
        core: 'HO-DISC',
        optional: ['HO-CHG', 'HO-TRAIN']
    },
    {
        practice: 'CRM',
        titles: ['Managed Services', 'Platform Support', 'Run and Improve'],
        core: 'HO-RET',
        optional: ['HO-IMPL', 'HO-TRAIN']
    }
];
const BUNDLE_WEIGHTS = { '0': 35, '1': 20, '2': 20, '3': 15, '4': 10 };
const QUANTITY = {
    'HO-DISC': [2, 8],
    'HO-IMPL': [1, 6],
    'HO-DATA': [2, 8],
    'HO-INTG': [1, 6],
    'HO-TRAIN': [2, 6],
    'HO-CHG': [1, 4],
    'HO-RET': [3, 12]
};
const BUILD = ['HO-IMPL', 'HO-DATA', 'HO-INTG', 'HO-CHG'];
const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Other'];
/**
 * Service dates of a project starting on `start` (a Monday): discovery first (two weeks), then the build phases
 * side by side, training in the last build week, the retainer once the build is done.
 */
function schedule(quantities, start) {
    const buildStart = quantities.has('HO-DISC') ? (0, dates_1.addWeeks)(start, phaseWeeks('HO-DISC', 1)) : start;
    const buildWeeks = Math.max(0, ...BUILD.filter((code) => quantities.has(code)).map((code) => phaseWeeks(code, quantities.get(code))));
    const dates = {
        'HO-DISC': start,
        'HO-IMPL': buildStart,
        'HO-DATA': buildStart,
        'HO-INTG': buildStart,
        'HO-CHG': buildStart,
        'HO-TRAIN': (0, dates_1.addWeeks)(buildStart, Math.max(0, buildWeeks - 1)),
        'HO-RET': (0, dates_1.addWeeks)(buildStart, buildWeeks)
    };
    return Object.keys(catalog_1.PRODUCTS)
        .filter((code) => quantities.has(code))
        .map((code) => ({ code, quantity: quantities.get(code), serviceDate: dates[code] }));
}
/** A random deal at `stage`: open deals close ahead of `today`, closed ones behind it. */
function randomDeal(prng, clients, stage, today, wonLookbackDays) {
    const bundle = BUNDLES[Number(prng.weighted(BUNDLE_WEIGHTS))];
    const codes = [bundle.core, ...prng.sample(bundle.optional, prng.int(0, Math.min(3, bundle.optional.length)))];
    const quantities = new Map(codes.map((code) => [code, prng.int(...QUANTITY[code])]));
    const open = catalog_1.OPEN_STAGES.includes(stage);
    const closeDate = open
        ? (0, dates_1.addDays)(today, prng.int(7, 150))
        : (0, dates_1.addDays)(today, -prng.int(3, stage === 'Closed Won' ? wonLookbackDays : 200));
    const start = (0, dates_1.addWeeks)((0, dates_1.mondayOf)(closeDate), prng.int(1, 4));
    const discount = prng.pick([0, 0, 0.05, 0.1]);
    return {
        client: prng.pick(clients),
        title: prng.pick(bundle.titles),
        stage,
        closeDate,
        practice: bundle.practice,
        billingType: quantities.has('HO-RET')
            ? 'Retainer'
            : prng.weighted({ 'Fixed Fee': 4, 'Time & Materials': 4, Milestone: 2 }),
        type: prng.chance(0.6) ? 'Existing Customer - Upgrade' : 'New Customer',
        leadSource: prng.pick(LEAD_SOURCES),
        items: schedule(quantities, start).map((item) => ({ ...item, discount }))
    };
}
