import type { FieldDef, ObjectDef } from '@handoff/schema';
import { describeType, soapType, storageKind } from './field-types';
import type { OrgSchema } from './org-schema';

const objectUrls = (version: string, name: string) => ({
  compactLayouts: `/services/data/v${version}/sobjects/${name}/describe/compactLayouts`,
  rowTemplate: `/services/data/v${version}/sobjects/${name}/{ID}`,
  approvalLayouts: `/services/data/v${version}/sobjects/${name}/describe/approvalLayouts`,
  describe: `/services/data/v${version}/sobjects/${name}/describe`,
  quickActions: `/services/data/v${version}/sobjects/${name}/quickActions`,
  layouts: `/services/data/v${version}/sobjects/${name}/describe/layouts`,
  sobject: `/services/data/v${version}/sobjects/${name}`
});

/** The object-level flags global describe and sObject describe share. */
function objectFlags(schema: OrgSchema, object: ObjectDef, version: string) {
  const writable = schema.writable(object);
  const stored = schema.isStored(object);
  return {
    activateable: false,
    createable: writable,
    custom: object.custom,
    customSetting: false,
    deepCloneable: false,
    deletable: writable && stored,
    deprecatedAndHidden: false,
    feedEnabled: false,
    hasSubtypes: false,
    isInterface: false,
    isSubtype: false,
    keyPrefix: object.keyPrefix,
    label: object.label,
    labelPlural: object.pluralLabel,
    layoutable: stored && !object.customMetadata,
    mergeable: false,
    mruEnabled: object.custom && stored,
    name: object.name,
    queryable: schema.queryable(object),
    replicateable: stored,
    retrieveable: stored,
    searchable: stored && !object.customMetadata,
    triggerable: stored && !object.customMetadata,
    undeletable: writable && stored,
    updateable: writable && stored,
    urls: objectUrls(version, object.name)
  };
}

/** `GET /sobjects`: every object. */
export function globalDescribe(schema: OrgSchema, version: string) {
  return {
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: schema
      .objects()
      .slice()
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((object) => objectFlags(schema, object, version))
  };
}

/** `GET /sobjects/X`: basic information. */
export function basicInfo(schema: OrgSchema, object: ObjectDef, version: string) {
  return { objectDescribe: objectFlags(schema, object, version), recentItems: [] };
}

function describeField(schema: OrgSchema, object: ObjectDef, field: FieldDef) {
  const type = describeType(field);
  const kind = storageKind(field);
  const extras = schema.extras(object.name, field.name);
  const textual = [
    'string',
    'textarea',
    'email',
    'phone',
    'url',
    'picklist',
    'multipicklist',
    'encryptedstring'
  ].includes(type);
  const length = textual
    ? (field.length ?? (type === 'picklist' || type === 'multipicklist' ? 255 : 255))
    : type === 'id' || type === 'reference'
      ? 18
      : 0;
  const systemSet = [
    'Id',
    'OwnerId',
    'CreatedDate',
    'CreatedById',
    'LastModifiedDate',
    'LastModifiedById',
    'SystemModstamp'
  ];
  const nillable = type === 'boolean' || systemSet.includes(field.name) ? false : !field.required || field.calculated;
  const defaultValue =
    type === 'boolean'
      ? field.defaultValue === 'true'
      : extras.picklistDefault !== undefined
        ? extras.picklistDefault
        : null;
  return {
    aggregatable: type !== 'textarea' && type !== 'multipicklist',
    aiPredictionField: false,
    autoNumber: field.type === 'AutoNumber',
    byteLength: length * 3,
    calculated: field.calculated,
    calculatedFormula: field.formula ?? null,
    cascadeDelete: field.type === 'MasterDetail',
    caseSensitive: extras.caseSensitive ?? false,
    compoundFieldName: null,
    controllerName: null,
    createable: field.createable,
    custom: field.custom,
    defaultValue,
    defaultValueFormula: field.defaultValue !== undefined && type !== 'boolean' ? field.defaultValue : null,
    defaultedOnCreate: type === 'boolean' || extras.picklistDefault !== undefined || systemSet.includes(field.name),
    dependentPicklist: false,
    deprecatedAndHidden: false,
    digits: type === 'int' ? (field.precision ?? 9) : 0,
    displayLocationInDecimal: false,
    encrypted: field.type === 'EncryptedText',
    externalId: field.externalId,
    extraTypeInfo: field.type === 'LongTextArea' ? 'plaintextarea' : field.type === 'Html' ? 'richtextarea' : null,
    filterable: type !== 'textarea',
    filteredLookupInfo: null,
    formulaTreatNullNumberAsZero: false,
    groupable: !['textarea', 'double', 'currency', 'percent', 'datetime', 'multipicklist'].includes(type),
    highScaleNumber: false,
    htmlFormatted: field.type === 'Html',
    idLookup: type === 'id' || field.externalId || (field.unique && kind === 'text'),
    inlineHelpText: null,
    label: field.label,
    length,
    mask: null,
    maskType: null,
    name: field.name,
    nameField: field.name === 'Name',
    namePointing: (field.referenceTo?.length ?? 0) > 1,
    nillable,
    permissionable: field.custom && !field.required,
    picklistValues: (field.picklistValues ?? []).map((value) => ({
      active: true,
      defaultValue: value === extras.picklistDefault,
      label: value,
      validFor: null,
      value
    })),
    polymorphicForeignKey: (field.referenceTo?.length ?? 0) > 1,
    precision: type === 'double' || type === 'currency' || type === 'percent' ? (field.precision ?? 18) : 0,
    queryByDistance: false,
    referenceTargetField: null,
    referenceTo: kind === 'reference' ? (field.referenceTo ?? []) : [],
    relationshipName: field.relationshipName ?? null,
    relationshipOrder: field.type === 'MasterDetail' ? 0 : null,
    restrictedDelete: extras.deleteConstraint === 'Restrict',
    restrictedPicklist: field.restrictedPicklist ?? false,
    scale: type === 'double' || type === 'currency' || type === 'percent' ? (field.scale ?? 0) : 0,
    searchPrefilterable: kind === 'reference',
    soapType: soapType(field),
    sortable: type !== 'textarea' && type !== 'multipicklist',
    type,
    unique: field.unique,
    updateable: field.updateable,
    writeRequiresMasterRead: field.type === 'MasterDetail'
  };
}

/** `GET /sobjects/X/describe`. */
export function describeObject(schema: OrgSchema, object: ObjectDef, version: string) {
  const childRelationships = schema.childRelationships(object.name).map((relationship) => {
    const field = schema.field(relationship.childObject, relationship.field);
    const extras = schema.extras(relationship.childObject, relationship.field);
    return {
      cascadeDelete: field?.type === 'MasterDetail' || extras.deleteConstraint === 'Cascade',
      childSObject: relationship.childObject,
      deprecatedAndHidden: false,
      field: relationship.field,
      junctionIdListNames: [],
      junctionReferenceTo: [],
      relationshipName: relationship.relationshipName,
      restrictedDelete: extras.deleteConstraint === 'Restrict'
    };
  });
  return {
    actionOverrides: [],
    ...objectFlags(schema, object, version),
    childRelationships,
    compactLayoutable: false,
    fields: object.fields.map((field) => describeField(schema, object, field)),
    listviewable: null,
    lookupLayoutable: null,
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    recordTypeInfos: [],
    searchLayoutable: false,
    sobjectDescribeOption: 'FULL',
    supportedScopes: [
      { label: 'All', name: 'everything' },
      { label: 'My', name: 'mine' }
    ]
  };
}
