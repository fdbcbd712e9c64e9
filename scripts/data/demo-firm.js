"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __exportStar = (this && this.__exportStar) || function(m, exports) {
    for (var p in m) if (p !== "default" && !Object.prototype.hasOwnProperty.call(exports, p)) __createBinding(exports, m, p);
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_TODAY = exports.DEFAULT_SEED = exports.engagementStatus = exports.demandsOf = void 0;
exports.generateFirm = generateFirm;
const accounts_1 = require("./accounts");
const assignments_1 = require("./assignments");
const catalog_1 = require("./catalog");
const dates_1 = require("./dates");
const deals_1 = require("./deals");
const demand_model_1 = require("./demand-model");
const holidays_1 = require("./holidays");
const people_1 = require("./people");
const planted_1 = require("./planted");
const prng_1 = require("./prng");
const types_1 = require("./types");
var demand_model_2 = require("./demand-model");
Object.defineProperty(exports, "demandsOf", { enumerable: true, get: function () { return demand_model_2.demandsOf; } });
Object.defineProperty(exports, "engagementStatus", { enumerable: true, get: function () { return demand_model_2.engagementStatus; } });
__exportStar(require("./types"), exports);
exports.DEFAULT_SEED = 20261123;
exports.DEFAULT_TODAY = '2026-11-23';
const PROFILES = {
    small: {
        // plus the six planted Closed Won deals: 60 opportunities
        stages: {
            Prospecting: 8,
            Qualification: 8,
            'Proposal/Price Quote': 10,
            'Negotiation/Review': 8,
            'Closed Won': 12,
            'Closed Lost': 8
        },
        timeOff: 30,
        wonLookbackDays: 120
    },
    large: {
        stages: {
            Prospecting: 900,
            Qualification: 800,
            'Proposal/Price Quote': 750,
            'Negotiation/Review': 550,
            'Closed Won': 800,
            'Closed Lost': 200
        },
        timeOff: 1500,
        wonLookbackDays: 300
    }
};
/** Independent streams per part, so changing how one part draws leaves the others as they were. */
function stream(seed, part) {
    return new prng_1.Prng((seed ^ Math.imul(part, 0x9e3779b9)) >>> 0);
}
function generateFirm(options) {
    const size = options.size;
    const seed = options.seed ?? exports.DEFAULT_SEED;
    const today = options.today ?? exports.DEFAULT_TODAY;
    (0, dates_1.parseDate)(today);
    const profile = PROFILES[size];
    const { accounts, contacts, clients } = (0, accounts_1.generateClients)(stream(seed, 1), size);
    const productRefs = new types_1.RefIds('Product2');
    const entryRefs = new types_1.RefIds('PricebookEntry');
    const products = [];
    const entries = [];
    const entryByCode = {};
    for (const code of catalog_1.PRODUCT_CODES) {
        const product = catalog_1.PRODUCTS[code];
        const productRecord = {
            referenceId: productRefs.next(),
            Name: product.name,
            ProductCode: code,
            Family: product.family,
            QuantityUnitOfMeasure: product.unit,
            Description: product.description,
            IsActive: true
        };
        const entry = {
            referenceId: entryRefs.next(),
            Pricebook2Id: types_1.PLACEHOLDERS.standardPricebookId,
            Product2Id: (0, types_1.refTo)(productRecord.referenceId),
            UnitPrice: product.listPrice,
            IsActive: true
        };
        products.push(productRecord);
        entries.push(entry);
        entryByCode[code] = (0, types_1.refTo)(entry.referenceId);
    }
    const dealPrng = stream(seed, 2);
    const book = new deals_1.DealBook(entryByCode);
    // Opportunities go to subsidiaries and standalone clients three times as often as to group parents.
    const dealClients = clients.flatMap((client) => (client.isParent ? [client] : [client, client, client]));
    for (const [stage, count] of Object.entries(profile.stages)) {
        for (let i = 0; i < count; i++)
            book.add((0, deals_1.randomDeal)(dealPrng, dealClients, stage, today, profile.wonLookbackDays));
    }
    if (size === 'small')
        (0, planted_1.plantedDeals)(clients, today).forEach((deal) => book.add(deal));
    const resources = (0, people_1.generateResources)(stream(seed, 3), size, today);
    const timeOff = (0, people_1.generateTimeOff)(stream(seed, 4), resources, profile.timeOff, today);
    const holidayRefs = new types_1.RefIds('Holiday');
    const holidays = (0, holidays_1.holidaysFrom)(today).map((holiday) => ({
        referenceId: holidayRefs.next(),
        Name: holiday.name,
        ActivityDate: holiday.date,
        IsAllDay: true
    }));
    const records = {
        Account: accounts,
        Contact: contacts,
        Product2: products,
        PricebookEntry: entries,
        Opportunity: book.opportunities,
        OpportunityLineItem: book.lineItems,
        Resource__c: resources,
        Time_Off__c: timeOff,
        Holiday: holidays
    };
    return {
        size,
        seed,
        today,
        records,
        assignments: (0, assignments_1.assignmentIntents)(records, (0, demand_model_1.demandsOf)(records)),
        plantedShortages: size === 'small' ? planted_1.PLANTED_SHORTAGES : []
    };
}
