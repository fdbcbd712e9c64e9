import type { FieldDef, FieldType, ObjectDef } from '@handoff/schema';

/**
 * Objects every org has that the package never touches but the tools do: the `sf` CLI reads Organization right
 * after `sf org login access-token`. They are read-only through the API, as in a real org.
 */
function readOnly(name: string, type: FieldType, extra: Partial<FieldDef> = {}): FieldDef {
  return {
    name,
    label: name.replace(/([a-z])([A-Z])/g, '$1 $2'),
    type,
    required: false,
    unique: false,
    externalId: false,
    calculated: false,
    createable: false,
    updateable: false,
    custom: false,
    ...extra
  };
}

export const PLATFORM_OBJECTS: ObjectDef[] = [
  {
    name: 'Organization',
    label: 'Organization',
    pluralLabel: 'Organizations',
    custom: false,
    customMetadata: false,
    platformEvent: false,
    keyPrefix: '00D',
    fields: [
      readOnly('Id', 'Id', { label: 'Organization ID' }),
      readOnly('Name', 'Text', { length: 80 }),
      readOnly('InstanceName', 'Text', { length: 5 }),
      readOnly('IsSandbox', 'Checkbox'),
      readOnly('TrialExpirationDate', 'DateTime'),
      readOnly('NamespacePrefix', 'Text', { length: 15 }),
      readOnly('OrganizationType', 'Picklist', {
        picklistValues: ['Developer Edition', 'Enterprise Edition', 'Unlimited Edition'],
        restrictedPicklist: true
      }),
      readOnly('DefaultLocaleSidKey', 'Picklist', { picklistValues: ['en_US'] }),
      readOnly('TimeZoneSidKey', 'Picklist', { picklistValues: ['GMT'] }),
      readOnly('FiscalYearStartMonth', 'Number', { precision: 2, scale: 0 }),
      readOnly('CreatedDate', 'DateTime'),
      readOnly('CreatedById', 'Lookup', { referenceTo: ['User'], relationshipName: 'CreatedBy' }),
      readOnly('LastModifiedDate', 'DateTime'),
      readOnly('LastModifiedById', 'Lookup', { referenceTo: ['User'], relationshipName: 'LastModifiedBy' }),
      readOnly('SystemModstamp', 'DateTime')
    ]
  }
];

/** Objects the API may read but not write (OpportunityHistory is written by the platform on opportunity saves). */
export const READ_ONLY_OBJECTS = new Set(['organization', 'opportunityhistory']);
