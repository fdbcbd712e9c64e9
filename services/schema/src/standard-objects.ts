import type { FieldDef, FieldType, ObjectDef } from './types';

/**
 * The standard objects Handoff reads or writes, with the fields it may touch. Offline there is no org to describe,
 * so this catalog is what "Opportunity.StageName exists" means to the gates and the local org. Add a field here
 * when the package starts using it; keep types and lengths as Salesforce describes them.
 */

type FieldOptions = Partial<Omit<FieldDef, 'name' | 'type'>>;

function field(name: string, type: FieldType, options: FieldOptions = {}): FieldDef {
  const calculated = options.calculated ?? false;
  return {
    name,
    label: options.label ?? name.replace(/Id$/, '').replace(/([a-z])([A-Z])/g, '$1 $2'),
    type,
    required: false,
    unique: false,
    externalId: false,
    custom: false,
    createable: !calculated,
    updateable: !calculated,
    ...options,
    calculated
  };
}

const text = (name: string, length: number, options: FieldOptions = {}) => field(name, 'Text', { length, ...options });
const picklist = (name: string, values: string[], options: FieldOptions = {}) =>
  field(name, 'Picklist', { picklistValues: values, restrictedPicklist: false, ...options });
const reference = (name: string, to: string[], relationshipName: string, options: FieldOptions = {}) =>
  field(name, 'Lookup', { referenceTo: to, relationshipName, ...options });
const readOnly = (definition: FieldDef): FieldDef => ({
  ...definition,
  calculated: true,
  createable: false,
  updateable: false
});

/** Fields every standard object has. */
function systemFields(options: { owner: boolean; ownerTypes?: string[] }): FieldDef[] {
  const fields = [
    readOnly(field('Id', 'Id', { label: 'Record ID' })),
    readOnly(field('IsDeleted', 'Checkbox', { label: 'Deleted' })),
    readOnly(field('CreatedDate', 'DateTime')),
    readOnly(reference('CreatedById', ['User'], 'CreatedBy')),
    readOnly(field('LastModifiedDate', 'DateTime')),
    readOnly(reference('LastModifiedById', ['User'], 'LastModifiedBy')),
    readOnly(field('SystemModstamp', 'DateTime', { label: 'System Modstamp' }))
  ];
  if (options.owner) {
    fields.push(reference('OwnerId', options.ownerTypes ?? ['User', 'Group'], 'Owner', { label: 'Owner' }));
  }
  return fields;
}

function standard(
  name: string,
  keyPrefix: string,
  pluralLabel: string,
  fields: FieldDef[],
  options: { owner: boolean; label?: string; ownerTypes?: string[] } = { owner: true }
): ObjectDef {
  return {
    name,
    label: options.label ?? name.replace(/([a-z])([A-Z])/g, '$1 $2'),
    pluralLabel,
    custom: false,
    customMetadata: false,
    platformEvent: false,
    keyPrefix,
    fields: [...systemFields(options), ...fields]
  };
}

const addressFields = (prefix: string): FieldDef[] => [
  field(`${prefix}Street`, 'TextArea', { length: 255 }),
  text(`${prefix}City`, 40),
  text(`${prefix}State`, 80),
  text(`${prefix}PostalCode`, 20),
  text(`${prefix}Country`, 80)
];

/** Opportunity stages of a new org's sales process (StageName on Opportunity and OpportunityHistory). */
const OPPORTUNITY_STAGES = [
  'Prospecting',
  'Qualification',
  'Needs Analysis',
  'Value Proposition',
  'Id. Decision Makers',
  'Perception Analysis',
  'Proposal/Price Quote',
  'Negotiation/Review',
  'Closed Won',
  'Closed Lost'
];

/**
 * OpportunityHistory (Object Reference, "OpportunityHistory"): the stage history of an opportunity, one row per
 * change of Amount, Probability, StageName or CloseDate, holding the values after the change. Read-only: the
 * platform writes it (query and retrieve only), and deleting the opportunity deletes its rows. It has no
 * LastModified fields, and ForecastCategory takes the API names (BestCase, Forecast, ...).
 */
function opportunityHistory(): ObjectDef {
  const object = standard(
    'OpportunityHistory',
    '008',
    'Opportunity History',
    [
      readOnly(
        reference('OpportunityId', ['Opportunity'], 'Opportunity', {
          required: true,
          label: 'Opportunity ID',
          childRelationshipName: 'OpportunityHistories'
        })
      ),
      readOnly(picklist('StageName', OPPORTUNITY_STAGES, { label: 'Stage Name' })),
      readOnly(field('Amount', 'Currency', { precision: 18, scale: 2 })),
      readOnly(field('Probability', 'Percent', { precision: 3, scale: 0 })),
      readOnly(field('CloseDate', 'Date', { label: 'Close Date' })),
      readOnly(field('ExpectedRevenue', 'Currency', { precision: 18, scale: 2, label: 'Expected Revenue' })),
      readOnly(
        picklist('ForecastCategory', ['BestCase', 'Closed', 'Forecast', 'MostLikely', 'Omitted', 'Pipeline'], {
          label: 'To Forecast Category',
          restrictedPicklist: true
        })
      ),
      readOnly(field('PrevAmount', 'Currency', { precision: 18, scale: 2, label: 'Previous Amount' })),
      readOnly(field('PrevCloseDate', 'Date', { label: 'Previous Close Date' }))
    ],
    { owner: false, label: 'Opportunity History' }
  );
  return {
    ...object,
    fields: object.fields.filter((definition) => !/^LastModified/.test(definition.name))
  };
}

export const STANDARD_OBJECTS: ObjectDef[] = [
  standard('Account', '001', 'Accounts', [
    text('Name', 255, { required: true, label: 'Account Name' }),
    reference('ParentId', ['Account'], 'Parent', { label: 'Parent Account', childRelationshipName: 'ChildAccounts' }),
    text('AccountNumber', 40),
    text('Site', 80, { label: 'Account Site' }),
    picklist('Type', ['Prospect', 'Customer - Direct', 'Customer - Channel', 'Channel Partner / Reseller', 'Partner']),
    picklist('Industry', [
      'Banking',
      'Consulting',
      'Education',
      'Energy',
      'Finance',
      'Government',
      'Healthcare',
      'Insurance',
      'Manufacturing',
      'Media',
      'Retail',
      'Technology',
      'Telecommunications',
      'Other'
    ]),
    field('AnnualRevenue', 'Currency', { precision: 18, scale: 0 }),
    field('NumberOfEmployees', 'Number', { precision: 8, scale: 0, label: 'Employees' }),
    field('Phone', 'Phone', { length: 40 }),
    field('Website', 'Url', { length: 255 }),
    field('Description', 'LongTextArea', { length: 32000 }),
    ...addressFields('Billing')
  ]),
  standard('Contact', '003', 'Contacts', [
    reference('AccountId', ['Account'], 'Account', { childRelationshipName: 'Contacts' }),
    text('FirstName', 40),
    text('LastName', 80, { required: true }),
    readOnly(text('Name', 121, { label: 'Full Name' })),
    text('Title', 128),
    field('Email', 'Email', { length: 80 }),
    field('Phone', 'Phone', { length: 40 }),
    text('Department', 80),
    ...addressFields('Mailing')
  ]),
  standard(
    'Opportunity',
    '006',
    'Opportunities',
    [
      text('Name', 120, { required: true }),
      reference('AccountId', ['Account'], 'Account', { childRelationshipName: 'Opportunities' }),
      picklist('StageName', OPPORTUNITY_STAGES, { required: true, label: 'Stage' }),
      field('Amount', 'Currency', { precision: 18, scale: 2 }),
      field('Probability', 'Percent', { precision: 3, scale: 0, label: 'Probability (%)' }),
      field('CloseDate', 'Date', { required: true }),
      picklist('Type', [
        'Existing Customer - Upgrade',
        'Existing Customer - Replacement',
        'Existing Customer - Downgrade',
        'New Customer'
      ]),
      picklist('LeadSource', ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other']),
      picklist('ForecastCategoryName', ['Omitted', 'Pipeline', 'Best Case', 'Commit', 'Closed'], {
        label: 'Forecast Category'
      }),
      text('NextStep', 255),
      field('Description', 'LongTextArea', { length: 32000 }),
      readOnly(field('IsClosed', 'Checkbox', { label: 'Closed' })),
      readOnly(field('IsWon', 'Checkbox', { label: 'Won' })),
      readOnly(field('ExpectedRevenue', 'Currency', { precision: 18, scale: 2 })),
      readOnly(field('HasOpportunityLineItem', 'Checkbox', { label: 'Has Line Item' })),
      reference('Pricebook2Id', ['Pricebook2'], 'Pricebook2', {
        label: 'Price Book',
        childRelationshipName: 'Opportunities'
      }),
      reference('CampaignId', ['Campaign'], 'Campaign'),
      readOnly(field('LastStageChangeDate', 'DateTime')),
      readOnly(field('FiscalYear', 'Number', { precision: 4, scale: 0 })),
      readOnly(field('FiscalQuarter', 'Number', { precision: 1, scale: 0 }))
      // Opportunities are owned by users only, never queues (Object Reference, "Opportunity": OwnerId).
    ],
    { owner: true, ownerTypes: ['User'] }
  ),
  opportunityHistory(),
  standard(
    'OpportunityLineItem',
    '00k',
    'Opportunity Product',
    [
      reference('OpportunityId', ['Opportunity'], 'Opportunity', {
        required: true,
        updateable: false,
        childRelationshipName: 'OpportunityLineItems'
      }),
      reference('PricebookEntryId', ['PricebookEntry'], 'PricebookEntry', {
        updateable: false,
        childRelationshipName: 'OpportunityLineItems'
      }),
      reference('Product2Id', ['Product2'], 'Product2', { updateable: false, label: 'Product' }),
      readOnly(text('ProductCode', 255)),
      readOnly(text('Name', 376, { label: 'Opportunity Product Name' })),
      field('Quantity', 'Number', { precision: 12, scale: 2, required: true }),
      field('UnitPrice', 'Currency', { precision: 18, scale: 2, label: 'Sales Price' }),
      readOnly(field('ListPrice', 'Currency', { precision: 18, scale: 2 })),
      field('TotalPrice', 'Currency', { precision: 18, scale: 2 }),
      field('Discount', 'Percent', { precision: 18, scale: 2 }),
      readOnly(field('Subtotal', 'Currency', { precision: 18, scale: 2 })),
      field('ServiceDate', 'Date', { label: 'Date' }),
      text('Description', 255, { label: 'Line Description' }),
      field('SortOrder', 'Number', { precision: 10, scale: 0 })
    ],
    { owner: false, label: 'Opportunity Product' }
  ),
  standard(
    'Product2',
    '01t',
    'Products',
    [
      text('Name', 255, { required: true, label: 'Product Name' }),
      text('ProductCode', 255),
      field('Description', 'TextArea', { length: 4000 }),
      picklist('Family', ['Advisory', 'Implementation', 'Managed Services', 'Training', 'None'], {
        label: 'Product Family'
      }),
      field('IsActive', 'Checkbox', { label: 'Active' }),
      picklist('QuantityUnitOfMeasure', ['Each', 'Hours', 'Days', 'Weeks'], { label: 'Quantity Unit Of Measure' }),
      text('StockKeepingUnit', 180, { label: 'Product SKU' })
    ],
    { owner: false }
  ),
  standard(
    'Pricebook2',
    '01s',
    'Price Books',
    [
      text('Name', 255, { required: true, label: 'Price Book Name' }),
      field('IsActive', 'Checkbox', { label: 'Active' }),
      readOnly(field('IsStandard', 'Checkbox', { label: 'Is Standard Price Book' })),
      field('Description', 'TextArea', { length: 255 })
    ],
    { owner: false, label: 'Price Book' }
  ),
  standard(
    'PricebookEntry',
    '01u',
    'Price Book Entries',
    [
      readOnly(text('Name', 255, { label: 'Product Name' })),
      reference('Pricebook2Id', ['Pricebook2'], 'Pricebook2', {
        required: true,
        updateable: false,
        childRelationshipName: 'PricebookEntries'
      }),
      reference('Product2Id', ['Product2'], 'Product2', {
        required: true,
        updateable: false,
        childRelationshipName: 'PricebookEntries'
      }),
      readOnly(text('ProductCode', 255)),
      field('UnitPrice', 'Currency', { precision: 18, scale: 2, required: true, label: 'List Price' }),
      field('IsActive', 'Checkbox', { label: 'Active' }),
      field('UseStandardPrice', 'Checkbox')
    ],
    { owner: false, label: 'Price Book Entry' }
  ),
  standard(
    'User',
    '005',
    'Users',
    [
      text('Username', 80, { required: true, unique: true }),
      text('FirstName', 40),
      text('LastName', 80, { required: true }),
      readOnly(text('Name', 121, { label: 'Full Name' })),
      text('Alias', 8, { required: true }),
      field('Email', 'Email', { length: 128, required: true }),
      text('Title', 80),
      text('Department', 80),
      field('IsActive', 'Checkbox', { label: 'Active' }),
      reference('ManagerId', ['User'], 'Manager'),
      reference('ProfileId', ['Profile'], 'Profile', { required: true }),
      picklist('TimeZoneSidKey', ['America/Los_Angeles', 'America/New_York', 'Europe/London', 'Europe/Berlin', 'GMT'], {
        required: true,
        label: 'Time Zone'
      }),
      picklist('LocaleSidKey', ['en_US', 'en_GB', 'de_DE'], { required: true, label: 'Locale' }),
      picklist('LanguageLocaleKey', ['en_US', 'de'], { required: true, label: 'Language' }),
      picklist('EmailEncodingKey', ['UTF-8', 'ISO-8859-1'], { required: true, label: 'Email Encoding' }),
      picklist('UserType', ['Standard', 'PowerPartner', 'CsnOnly', 'Guest'], { calculated: true })
    ],
    { owner: false }
  ),
  standard(
    'Group',
    '00G',
    'Groups',
    [
      text('Name', 40, { required: true }),
      text('DeveloperName', 80),
      picklist('Type', ['Regular', 'Queue', 'Role', 'Organization'])
    ],
    { owner: true }
  ),
  standard(
    'Profile',
    '00e',
    'Profiles',
    [text('Name', 255, { required: true }), picklist('UserType', ['Standard', 'PowerPartner', 'CsnOnly', 'Guest'])],
    { owner: false }
  ),
  standard(
    'PermissionSet',
    '0PS',
    'Permission Sets',
    [
      text('Name', 80, { required: true }),
      text('Label', 80, { required: true }),
      field('Description', 'TextArea', { length: 255 }),
      readOnly(field('IsOwnedByProfile', 'Checkbox'))
    ],
    { owner: false }
  ),
  standard(
    'PermissionSetAssignment',
    '0Pa',
    'Permission Set Assignments',
    [
      reference('AssigneeId', ['User'], 'Assignee', { required: true, updateable: false }),
      reference('PermissionSetId', ['PermissionSet'], 'PermissionSet', {
        required: true,
        updateable: false,
        childRelationshipName: 'Assignments'
      })
    ],
    { owner: false }
  ),
  standard(
    'StaticResource',
    '081',
    'Static Resources',
    [
      text('Name', 255, { required: true }),
      text('ContentType', 120),
      field('Body', 'Base64', { required: true }),
      field('BodyLength', 'Number', { precision: 18, scale: 0, calculated: true }),
      field('Description', 'TextArea', { length: 1000 })
    ],
    { owner: false }
  ),
  standard(
    'ApexClass',
    '01p',
    'Apex Classes',
    [text('Name', 255, { required: true }), text('NamespacePrefix', 15), picklist('Status', ['Active', 'Deleted'])],
    { owner: false }
  ),
  standard(
    'AsyncApexJob',
    '707',
    'Apex Jobs',
    [
      readOnly(reference('ApexClassId', ['ApexClass'], 'ApexClass')),
      readOnly(picklist('Status', ['Queued', 'Preparing', 'Processing', 'Aborted', 'Completed', 'Failed', 'Holding'])),
      readOnly(picklist('JobType', ['Future', 'SharingRecalculation', 'ScheduledApex', 'BatchApex', 'Queueable'])),
      readOnly(field('CompletedDate', 'DateTime')),
      readOnly(text('ExtendedStatus', 255))
    ],
    { owner: false }
  ),
  standard(
    'Holiday',
    '0C0',
    'Holidays',
    [
      text('Name', 80, { required: true, label: 'Holiday Name' }),
      field('Description', 'TextArea', { length: 100 }),
      field('ActivityDate', 'Date', { label: 'Holiday Date' }),
      field('IsAllDay', 'Checkbox', { label: 'All Day' }),
      field('StartTimeInMinutes', 'Number', { precision: 4, scale: 0 }),
      field('EndTimeInMinutes', 'Number', { precision: 4, scale: 0 }),
      field('IsRecurrence', 'Checkbox', { label: 'Recurring Holiday' }),
      field('RecurrenceStartDate', 'Date'),
      field('RecurrenceEndDateOnly', 'Date'),
      picklist('RecurrenceType', ['RecursDaily', 'RecursWeekly', 'RecursMonthly', 'RecursYearly', 'RecursYearlyNth']),
      field('RecurrenceInterval', 'Number', { precision: 9, scale: 0 }),
      field('RecurrenceDayOfMonth', 'Number', { precision: 9, scale: 0 }),
      picklist('RecurrenceMonthOfYear', [
        'January',
        'February',
        'March',
        'April',
        'May',
        'June',
        'July',
        'August',
        'September',
        'October',
        'November',
        'December'
      ])
    ],
    { owner: false }
  ),
  standard(
    'CustomNotificationType',
    '0ML',
    'Custom Notification Types',
    [
      text('DeveloperName', 80, { required: true, label: 'API Name' }),
      text('MasterLabel', 80, { required: true, label: 'Custom Notification Name' }),
      field('Description', 'TextArea', { length: 255 })
    ],
    { owner: false }
  )
];
