import type { BillingType, Location, Practice, ProductCode, Product, Role, Stage, TimeOffType } from './catalog';
import type { IsoDate } from './dates';

/**
 * The records of the demo firm, one interface per object, with field API names as keys. A record's
 * `referenceId` names it (`AccountRef3`); a reference to another record is that id with an `@`
 * (`'@AccountRef3'`), the form `sf data import tree` resolves. Fields that need an org-specific Id hold a
 * placeholder instead (see PLACEHOLDERS).
 */

/** The objects of the demo firm, in the order they must be created (parents before children). */
export const SOBJECTS = [
  'Account',
  'Contact',
  'Product2',
  'PricebookEntry',
  'Opportunity',
  'OpportunityLineItem',
  'Resource__c',
  'Time_Off__c',
  'Holiday'
] as const;
export type SObjectName = (typeof SOBJECTS)[number];

export type RefId<T extends SObjectName> = `${T}Ref${number}`;
export type Ref<T extends SObjectName> = `@${RefId<T>}`;

/** Values only the target org knows; scripts/org/import-sample-data.sh substitutes them. */
export const PLACEHOLDERS = {
  standardPricebookId: '@@STANDARD_PRICEBOOK_ID@@',
  deliveryLeadId: '@@DELIVERY_LEAD_ID@@'
} as const;
export type StandardPricebookPlaceholder = typeof PLACEHOLDERS.standardPricebookId;
export type DeliveryLeadPlaceholder = typeof PLACEHOLDERS.deliveryLeadId;

export interface AccountRecord {
  referenceId: RefId<'Account'>;
  Name: string;
  ParentId?: Ref<'Account'>;
  Type: 'Prospect' | 'Customer - Direct';
  Industry: string;
  BillingCity: string;
  BillingCountry: string;
  Website: string;
  NumberOfEmployees: number;
}

export interface ContactRecord {
  referenceId: RefId<'Contact'>;
  AccountId: Ref<'Account'>;
  FirstName: string;
  LastName: string;
  Title: string;
  Email: string;
}

export interface Product2Record {
  referenceId: RefId<'Product2'>;
  Name: string;
  ProductCode: ProductCode;
  Family: Product['family'];
  QuantityUnitOfMeasure: Product['unit'];
  Description: string;
  IsActive: true;
}

export interface PricebookEntryRecord {
  referenceId: RefId<'PricebookEntry'>;
  Pricebook2Id: StandardPricebookPlaceholder;
  Product2Id: Ref<'Product2'>;
  UnitPrice: number;
  IsActive: true;
}

export interface OpportunityRecord {
  referenceId: RefId<'Opportunity'>;
  Name: string;
  AccountId: Ref<'Account'>;
  StageName: Stage;
  Probability: number;
  CloseDate: IsoDate;
  Amount: number;
  Type: 'New Customer' | 'Existing Customer - Upgrade';
  LeadSource: string;
  Pricebook2Id: StandardPricebookPlaceholder;
  Expected_Start__c: IsoDate;
  Expected_End__c: IsoDate;
  Delivery_Lead__c: DeliveryLeadPlaceholder;
  Billing_Type__c: BillingType;
  Practice__c: Practice;
}

export interface OpportunityLineItemRecord {
  referenceId: RefId<'OpportunityLineItem'>;
  OpportunityId: Ref<'Opportunity'>;
  PricebookEntryId: Ref<'PricebookEntry'>;
  Quantity: number;
  UnitPrice: number;
  ServiceDate: IsoDate;
}

export interface ResourceRecord {
  referenceId: RefId<'Resource__c'>;
  Name: string;
  Primary_Role__c: Role;
  /** Skills joined with ';', in the order of the Handoff_Skill value set. */
  Skills__c: string;
  Weekly_Capacity_Hours__c: number;
  /** Part-timers' weekdays, joined with ';' (Monday ... Sunday); absent means Monday to Friday. */
  Working_Days__c?: string;
  Practice__c: Practice;
  Location__c: Location;
  Active_From__c: IsoDate;
  Active_To__c?: IsoDate;
}

export interface TimeOffRecord {
  referenceId: RefId<'Time_Off__c'>;
  Resource__c: Ref<'Resource__c'>;
  Start_Date__c: IsoDate;
  End_Date__c: IsoDate;
  /** Absent for full days. */
  Hours_Per_Day__c?: number;
  Type__c: TimeOffType;
}

export interface HolidayRecord {
  referenceId: RefId<'Holiday'>;
  /** '[London] Boxing Day' for a location's holiday; no prefix for a firm-wide one. */
  Name: string;
  ActivityDate: IsoDate;
  IsAllDay: true;
}

export interface FirmRecords {
  Account: AccountRecord[];
  Contact: ContactRecord[];
  Product2: Product2Record[];
  PricebookEntry: PricebookEntryRecord[];
  Opportunity: OpportunityRecord[];
  OpportunityLineItem: OpportunityLineItemRecord[];
  Resource__c: ResourceRecord[];
  Time_Off__c: TimeOffRecord[];
  Holiday: HolidayRecord[];
}

/** Any record of the firm, for code that walks all objects alike. */
export type FirmRecord = FirmRecords[SObjectName][number];

/** Turns a reference id into the reference a field holds. */
export function refTo<T extends SObjectName>(referenceId: RefId<T>): Ref<T> {
  return `@${referenceId}`;
}

/** Hands out reference ids for one object: AccountRef1, AccountRef2, ... */
export class RefIds<T extends SObjectName> {
  private count = 0;

  constructor(private readonly sobject: T) {}

  next(): RefId<T> {
    this.count++;
    return `${this.sobject}Ref${this.count}`;
  }
}
