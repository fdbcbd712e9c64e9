"use strict";
/**
 * The vocabulary of the data model contract (global value sets, picklists, products and their demand templates),
 * as the demo firm uses it. Values are spelt exactly as in force-app's metadata.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.PRODUCTS = exports.PRODUCT_CODES = exports.OPEN_STAGES = exports.STAGE_PROBABILITY = exports.TIME_OFF_TYPES = exports.BILLING_TYPES = exports.LOCATIONS = exports.PRACTICES = exports.SKILLS = exports.ROLES = void 0;
exports.ROLES = [
    'Engagement Manager',
    'Solution Architect',
    'Technical Architect',
    'Developer',
    'Business Analyst',
    'QA Engineer',
    'Data Engineer',
    'Change Manager',
    'Trainer',
    'Project Coordinator'
];
exports.SKILLS = [
    'Sales Cloud',
    'Service Cloud',
    'Experience Cloud',
    'Apex',
    'Lightning Web Components',
    'MuleSoft',
    'Data Migration',
    'Tableau',
    'CPQ',
    'Marketing Cloud',
    'Agile Delivery',
    'Change Management'
];
exports.PRACTICES = ['CRM', 'Data & Analytics', 'Integration', 'Advisory'];
exports.LOCATIONS = ['London', 'New York', 'Berlin', 'Remote'];
exports.BILLING_TYPES = ['Fixed Fee', 'Time & Materials', 'Retainer', 'Milestone'];
exports.TIME_OFF_TYPES = ['Vacation', 'Sick', 'Training', 'Other'];
/** The stages the demo uses, with the default probability of a new org's OpportunityStage records. */
exports.STAGE_PROBABILITY = {
    Prospecting: 10,
    Qualification: 10,
    'Proposal/Price Quote': 75,
    'Negotiation/Review': 90,
    'Closed Won': 100,
    'Closed Lost': 0
};
exports.OPEN_STAGES = ['Prospecting', 'Qualification', 'Proposal/Price Quote', 'Negotiation/Review'];
exports.PRODUCT_CODES = ['HO-DISC', 'HO-IMPL', 'HO-DATA', 'HO-INTG', 'HO-TRAIN', 'HO-CHG', 'HO-RET'];
const template = (role, hoursPerUnit, durationWeeks, options = {}) => ({
    role,
    ...(options.skill ? { skill: options.skill } : {}),
    hoursPerUnit,
    durationWeeks,
    startOffsetWeeks: 0,
    scaleDuration: options.scaleDuration ?? false
});
/** The seven products of the contract, in the order a project usually books them. */
exports.PRODUCTS = {
    'HO-DISC': {
        code: 'HO-DISC',
        name: 'Discovery Workshop',
        family: 'Advisory',
        unit: 'Days',
        listPrice: 1800,
        description: 'Workshops with the client to agree scope, priorities and the delivery plan (per day).',
        templates: [template('Engagement Manager', 4, 2), template('Business Analyst', 8, 2)]
    },
    'HO-IMPL': {
        code: 'HO-IMPL',
        name: 'Implementation Sprint',
        family: 'Implementation',
        unit: 'Each',
        listPrice: 48000,
        description: 'A two-week Salesforce implementation sprint (per sprint).',
        templates: [
            template('Developer', 60, 2, { scaleDuration: true }),
            template('Technical Architect', 16, 2, { scaleDuration: true }),
            template('QA Engineer', 20, 2, { scaleDuration: true })
        ]
    },
    'HO-DATA': {
        code: 'HO-DATA',
        name: 'Data Migration',
        family: 'Implementation',
        unit: 'Each',
        listPrice: 9500,
        description: 'Migration of one legacy data domain: mapping, cleansing, loads and reconciliation.',
        templates: [template('Data Engineer', 40, 4)]
    },
    'HO-INTG': {
        code: 'HO-INTG',
        name: 'Integration Build',
        family: 'Implementation',
        unit: 'Each',
        listPrice: 8000,
        description: 'One system integration, built on MuleSoft.',
        templates: [template('Developer', 40, 4, { skill: 'MuleSoft' }), template('Solution Architect', 8, 4)]
    },
    'HO-TRAIN': {
        code: 'HO-TRAIN',
        name: 'Training Day',
        family: 'Training',
        unit: 'Days',
        listPrice: 1600,
        description: 'End-user or admin training (per day).',
        templates: [template('Trainer', 8, 1)]
    },
    'HO-CHG': {
        code: 'HO-CHG',
        name: 'Change Management',
        family: 'Advisory',
        unit: 'Each',
        listPrice: 3200,
        description: 'Change management for one business unit: stakeholder plan, communications, adoption.',
        templates: [template('Change Manager', 16, 4)]
    },
    'HO-RET': {
        code: 'HO-RET',
        name: 'Managed Services Retainer (month)',
        family: 'Managed Services',
        unit: 'Each',
        listPrice: 12000,
        description: 'Run and improve the platform after go-live (per month).',
        templates: [
            template('Developer', 40, 4, { scaleDuration: true }),
            template('Engagement Manager', 8, 4, { scaleDuration: true })
        ]
    }
};
