/**
 * The vocabulary of the data model contract (global value sets, picklists, products and their demand templates),
 * as the demo firm uses it. Values are spelt exactly as in force-app's metadata.
 */

export const ROLES = [
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
] as const;
export type Role = (typeof ROLES)[number];

export const SKILLS = [
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
] as const;
export type Skill = (typeof SKILLS)[number];

export const PRACTICES = ['CRM', 'Data & Analytics', 'Integration', 'Advisory'] as const;
export type Practice = (typeof PRACTICES)[number];

export const LOCATIONS = ['London', 'New York', 'Berlin', 'Remote'] as const;
export type Location = (typeof LOCATIONS)[number];

export const BILLING_TYPES = ['Fixed Fee', 'Time & Materials', 'Retainer', 'Milestone'] as const;
export type BillingType = (typeof BILLING_TYPES)[number];

export const TIME_OFF_TYPES = ['Vacation', 'Sick', 'Training', 'Other'] as const;
export type TimeOffType = (typeof TIME_OFF_TYPES)[number];

/** The stages the demo uses, with the default probability of a new org's OpportunityStage records. */
export const STAGE_PROBABILITY = {
  Prospecting: 10,
  Qualification: 10,
  'Proposal/Price Quote': 75,
  'Negotiation/Review': 90,
  'Closed Won': 100,
  'Closed Lost': 0
} as const;
export type Stage = keyof typeof STAGE_PROBABILITY;
export const OPEN_STAGES = ['Prospecting', 'Qualification', 'Proposal/Price Quote', 'Negotiation/Review'] as const;

/** One role's demand for a product (Handoff_Demand_Template__mdt). */
export interface DemandTemplate {
  readonly role: Role;
  readonly skill?: Skill;
  readonly hoursPerUnit: number;
  readonly durationWeeks: number;
  readonly startOffsetWeeks: number;
  /** The phase lasts durationWeeks x quantity. */
  readonly scaleDuration: boolean;
}

export interface Product {
  readonly code: ProductCode;
  readonly name: string;
  readonly family: 'Advisory' | 'Implementation' | 'Training' | 'Managed Services';
  /** Product2.QuantityUnitOfMeasure; a sprint and a month are sold as 'Each' (the name says which). */
  readonly unit: 'Days' | 'Each';
  readonly listPrice: number;
  readonly description: string;
  readonly templates: readonly DemandTemplate[];
}

export const PRODUCT_CODES = ['HO-DISC', 'HO-IMPL', 'HO-DATA', 'HO-INTG', 'HO-TRAIN', 'HO-CHG', 'HO-RET'] as const;
export type ProductCode = (typeof PRODUCT_CODES)[number];

const template = (
  role: Role,
  hoursPerUnit: number,
  durationWeeks: number,
  options: { skill?: Skill; scaleDuration?: boolean } = {}
): DemandTemplate => ({
  role,
  ...(options.skill ? { skill: options.skill } : {}),
  hoursPerUnit,
  durationWeeks,
  startOffsetWeeks: 0,
  scaleDuration: options.scaleDuration ?? false
});

/** The seven products of the contract, in the order a project usually books them. */
export const PRODUCTS: Readonly<Record<ProductCode, Product>> = {
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
