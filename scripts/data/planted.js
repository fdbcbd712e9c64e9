"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.PLANTED_SHORTAGES = void 0;
exports.plantedDeals = plantedDeals;
const dates_1 = require("./dates");
exports.PLANTED_SHORTAGES = [
    { role: 'Data Engineer', fromWeek: 3, toWeek: 8 },
    { role: 'Trainer', fromWeek: 3, toWeek: 8 }
];
const PLANTED_DEALS = [
    {
        client: 'Contoso Bank',
        title: 'Core Banking Data Migration',
        practice: 'Data & Analytics',
        billingType: 'Fixed Fee',
        items: [
            { code: 'HO-DISC', quantity: 3, week: 1 },
            { code: 'HO-DATA', quantity: 16, week: 3 },
            { code: 'HO-TRAIN', quantity: 12, week: 3 }
        ]
    },
    {
        client: 'Fabrikam Automotive',
        title: 'Dealer Data Platform',
        practice: 'Data & Analytics',
        billingType: 'Milestone',
        items: [
            { code: 'HO-DATA', quantity: 16, week: 5 },
            { code: 'HO-TRAIN', quantity: 12, week: 8 }
        ]
    },
    {
        client: 'Northwind Retail UK',
        title: 'Store Service Rollout',
        practice: 'CRM',
        billingType: 'Time & Materials',
        items: [
            { code: 'HO-IMPL', quantity: 2, week: 0 },
            { code: 'HO-TRAIN', quantity: 12, week: 4 }
        ]
    },
    {
        client: 'Contoso Insurance',
        title: 'Claims Agent Enablement',
        practice: 'Advisory',
        billingType: 'Fixed Fee',
        items: [
            { code: 'HO-CHG', quantity: 2, week: 3 },
            { code: 'HO-TRAIN', quantity: 12, week: 5 }
        ]
    },
    {
        client: 'Tailspin Health',
        title: 'Clinician Portal Training',
        practice: 'Advisory',
        billingType: 'Time & Materials',
        items: [{ code: 'HO-TRAIN', quantity: 12, week: 6 }]
    },
    {
        client: 'Litware Media',
        title: 'Sales Academy',
        practice: 'CRM',
        billingType: 'Fixed Fee',
        items: [{ code: 'HO-TRAIN', quantity: 12, week: 7 }]
    }
];
/** The planted deals as Closed Won deals, closed in the last two weeks. */
function plantedDeals(clients, today) {
    const monday = (0, dates_1.mondayOf)(today);
    return PLANTED_DEALS.map((planted, index) => {
        const client = clients.find((candidate) => candidate.name === planted.client);
        if (!client)
            throw new Error(`planted deal for unknown client ${planted.client}`);
        return {
            client,
            title: planted.title,
            stage: 'Closed Won',
            closeDate: (0, dates_1.addDays)(today, -2 - 2 * index),
            practice: planted.practice,
            billingType: planted.billingType,
            type: 'Existing Customer - Upgrade',
            leadSource: 'Partner Referral',
            items: planted.items.map((item) => ({
                code: item.code,
                quantity: item.quantity,
                serviceDate: (0, dates_1.addWeeks)(monday, item.week)
            }))
        };
    });
}
