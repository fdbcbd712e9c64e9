import type { FieldDef } from '@handoff/schema';

/**
 * How a field's value is kept in SQLite and compared in SOQL. Metadata relationships hold names
 * (`Opportunity.StageName`), not record Ids, so they are text.
 */
export type StorageKind =
  'id' | 'reference' | 'text' | 'picklist' | 'multipicklist' | 'number' | 'boolean' | 'date' | 'datetime' | 'time';

export function storageKind(field: FieldDef): StorageKind {
  switch (field.type) {
    case 'Id':
      return 'id';
    case 'Lookup':
    case 'MasterDetail':
    case 'Hierarchy':
    case 'ExternalLookup':
    case 'IndirectLookup':
      return 'reference';
    case 'Picklist':
      return 'picklist';
    case 'MultiselectPicklist':
      return 'multipicklist';
    case 'Number':
    case 'Currency':
    case 'Percent':
    case 'Summary':
      return 'number';
    case 'Checkbox':
      return 'boolean';
    case 'Date':
      return 'date';
    case 'DateTime':
      return 'datetime';
    case 'Time':
      return 'time';
    default:
      return 'text';
  }
}

export const isReference = (field: FieldDef): boolean => storageKind(field) === 'reference';

/** Text-like kinds compare case-insensitively in SOQL, as Salesforce does. */
export const isTextual = (kind: StorageKind): boolean =>
  kind === 'text' || kind === 'picklist' || kind === 'multipicklist' || kind === 'time';

/** The `type` a describe call reports for the field. */
export function describeType(field: FieldDef): string {
  switch (field.type) {
    case 'Id':
      return 'id';
    case 'AutoNumber':
    case 'Text':
      return 'string';
    case 'Checkbox':
      return 'boolean';
    case 'Currency':
      return 'currency';
    case 'Date':
      return 'date';
    case 'DateTime':
      return 'datetime';
    case 'Time':
      return 'time';
    case 'Email':
      return 'email';
    case 'EncryptedText':
      return 'encryptedstring';
    case 'Html':
    case 'LongTextArea':
    case 'TextArea':
      return 'textarea';
    case 'Location':
      return 'location';
    case 'MultiselectPicklist':
      return 'multipicklist';
    case 'Number':
      return !field.custom && field.scale === 0 && (field.precision ?? 0) <= 9 ? 'int' : 'double';
    case 'Summary':
      return 'double';
    case 'Percent':
      return 'percent';
    case 'Phone':
      return 'phone';
    case 'Picklist':
      return 'picklist';
    case 'Url':
      return 'url';
    default:
      return 'reference';
  }
}

/** The XML schema type the SOAP API (and describe's `soapType`) gives the field. */
export function soapType(field: FieldDef): string {
  switch (describeType(field)) {
    case 'id':
    case 'reference':
      return 'tns:ID';
    case 'boolean':
      return 'xsd:boolean';
    case 'currency':
    case 'double':
    case 'percent':
      return 'xsd:double';
    case 'int':
      return 'xsd:int';
    case 'date':
      return 'xsd:date';
    case 'datetime':
      return 'xsd:dateTime';
    case 'time':
      return 'xsd:time';
    case 'location':
      return 'urn:location';
    default:
      return 'xsd:string';
  }
}

/** The Apex type name `columnMetadata` reports. */
export function apexType(field: FieldDef): string {
  switch (describeType(field)) {
    case 'id':
    case 'reference':
      return 'Id';
    case 'boolean':
      return 'Boolean';
    case 'currency':
    case 'double':
    case 'percent':
      return 'Double';
    case 'int':
      return 'Integer';
    case 'date':
      return 'Date';
    case 'datetime':
      return 'Datetime';
    case 'time':
      return 'Time';
    default:
      return 'String';
  }
}
