/** Field types a custom field can have, as Salesforce metadata names them (CustomField.type). */
export const FIELD_TYPES = [
  'AutoNumber',
  'Checkbox',
  'Currency',
  'Date',
  'DateTime',
  'Email',
  'EncryptedText',
  'ExternalLookup',
  'Hierarchy',
  'Html',
  'IndirectLookup',
  'Location',
  'LongTextArea',
  'Lookup',
  'MasterDetail',
  'MetadataRelationship',
  'MultiselectPicklist',
  'Number',
  'Percent',
  'Phone',
  'Picklist',
  'Summary',
  'Text',
  'TextArea',
  'Time',
  'Url'
] as const;

/** Types only standard fields have: record ids and binary bodies (e.g. StaticResource.Body). */
export const STANDARD_ONLY_FIELD_TYPES = ['Id', 'Base64'] as const;

export type FieldType = (typeof FIELD_TYPES)[number] | (typeof STANDARD_ONLY_FIELD_TYPES)[number];

export interface SourceLocation {
  /** Path relative to the project root, forward slashes. */
  file: string;
  line: number;
}

export interface FieldDef {
  /** API name as declared, e.g. `Contract_Value__c` or `StageName`. */
  name: string;
  label: string;
  type: FieldType;
  /** True when a value must be given on create (not nillable and no default). */
  required: boolean;
  unique: boolean;
  externalId: boolean;
  /** Text length, for text-like fields. */
  length?: number;
  precision?: number;
  scale?: number;
  /** Target objects of a reference (Lookup, MasterDetail, Hierarchy, or an Id-typed standard reference). */
  referenceTo?: string[];
  /** Name used to traverse the reference in SOQL, e.g. `Account` for AccountId, `Opportunity__r` for Opportunity__c. */
  relationshipName?: string;
  /** For MasterDetail/Lookup on custom fields: the child relationship name on the parent (e.g. `Phases`). */
  childRelationshipName?: string;
  picklistValues?: string[];
  /** Picklist restricted to its values (custom picklists default to restricted; global value sets always are). */
  restrictedPicklist?: boolean;
  /** Formula source, for formula fields. */
  formula?: string;
  /** How a formula field reads blank numbers (`BlankAsZero` or `BlankAsBlank`, the default). */
  formulaTreatBlanksAs?: 'BlankAsZero' | 'BlankAsBlank';
  /** Roll-up summary definition, for Summary fields. */
  summary?: SummaryDef;
  /** Read-only because the platform computes it (formula, auto number, roll-up, system audit fields). */
  calculated: boolean;
  createable: boolean;
  updateable: boolean;
  defaultValue?: string;
  custom: boolean;
  source?: SourceLocation;
}

/** A roll-up summary field: COUNT, SUM, MIN or MAX of a master-detail child, optionally filtered. */
export interface SummaryDef {
  operation: 'count' | 'sum' | 'min' | 'max';
  /** The child object and its master-detail field, from `summaryForeignKey` (`Child__c.Parent__c`). */
  childObject: string;
  foreignKey: string;
  /** The child field summed or compared (`summarizedField`), not for COUNT. */
  field?: string;
  filters: { field: string; operation: string; value: string }[];
}

/** A validation rule (objects/X/validationRules/Name.validationRule-meta.xml). */
export interface ValidationRuleDef {
  name: string;
  active: boolean;
  /** The error condition: the record is rejected when it is true. */
  formula: string;
  errorMessage: string;
  errorDisplayField?: string;
  source: SourceLocation;
}

export interface ObjectDef {
  /** API name, e.g. `Opportunity`, `Engagement__c`, `Stage_Rule__mdt`. */
  name: string;
  label: string;
  pluralLabel: string;
  custom: boolean;
  customMetadata: boolean;
  platformEvent: boolean;
  /** Three-character Id prefix. Custom objects get a stable prefix derived from the name. */
  keyPrefix: string;
  fields: FieldDef[];
  /** Validation rules declared in source (active or not). */
  validationRules?: ValidationRuleDef[];
  source?: SourceLocation;
}

export interface ChildRelationship {
  /** Name used in a SOQL subquery, e.g. `OpportunityLineItems`, `Phases__r`. */
  relationshipName: string;
  childObject: string;
  /** The child's field that points at the parent. */
  field: string;
}

export type PathResolution =
  { ok: true; object: ObjectDef; field: FieldDef; via: FieldDef[] } | { ok: false; error: string };
