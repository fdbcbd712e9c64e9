import type { FieldDef } from '@handoff/schema';
import type { OrgSchema } from '../schema/org-schema';
import type { Store } from '../store/store';

/**
 * The handoff rules, read from the custom metadata records the org serves (or injected by tests) and validated as
 * HandoffRules.cls validates them: a record naming an unknown field, copying between incompatible types, naming an
 * unknown status or role fails with the record and field named; nothing is silently skipped. Inactive records are
 * ignored.
 */
export const RULE_TYPES = [
  'Handoff_Stage_Rule__mdt',
  'Handoff_Field_Mapping__mdt',
  'Handoff_Demand_Template__mdt',
  'Handoff_Checklist_Question__mdt',
  'Billing_Rule__mdt'
] as const;
export type RuleType = (typeof RULE_TYPES)[number];

/** Custom metadata records by type: API field name -> value, as SOQL returns them or as JSON writes them. */
export type RuleRecords = Partial<Record<RuleType, Record<string, unknown>[]>>;

/** The statuses a stage rule may set (On Hold and Completed belong to delivery). */
export const RULE_STATUSES = ['Pipeline', 'Active', 'Lost'] as const;
export type RuleStatus = (typeof RULE_STATUSES)[number];

export interface StageRule {
  stageName: string;
  status: RuleStatus;
  billable: boolean;
  /** Soft bookings become hard when this stage makes the engagement Active (Confirm_Soft_Bookings__c). */
  confirmSoftBookings: boolean;
  /** Share (0-100) of the active handoff questions a deal must have answered to enter this stage. */
  requiredAnswers: number;
}

export interface FieldMapping {
  sourceField: string;
  targetField: string;
  /** Changes to date and datetime targets announce DatesChanged, others ValueChanged. */
  isDate: boolean;
  /** Text targets: longer values are cut to this length. */
  targetLength?: number;
  /** Who owns the engagement field after the handoff: the deal (it follows) or delivery (a conflict is recorded). */
  owner: 'Deal' | 'Delivery';
}

export const SCHEDULES = ['Per Phase', 'Split', 'Monthly'] as const;

/** Engagement billing type -> how its billing milestones are planned (Billing_Rule__mdt). */
export interface BillingRule {
  developerName: string;
  billingType: string;
  schedule: (typeof SCHEDULES)[number];
  /** Split schedule: parts of the contract value in percent, adding up to 100. */
  splitPercents: number[];
}

export interface DemandTemplate {
  developerName: string;
  productCode?: string;
  productFamily?: string;
  role: string;
  skill?: string;
  hoursPerUnit: number;
  durationWeeks: number;
  startOffsetWeeks: number;
  scaleDuration: boolean;
}

export interface ChecklistQuestion {
  developerName: string;
  question: string;
  sortOrder: number;
}

/** An active stage rule whose Stage_Name__c the Opportunity StageName picklist does not offer (HandoffRules.UnknownStage). */
export interface UnknownStage {
  ruleName: string;
  stageName: string | undefined;
  /** Names the record and its field, as HandoffRules.cls words it. */
  message: string;
}

export interface HandoffRules {
  stageRules: Map<string, StageRule>;
  /**
   * Stage rules naming a stage that is not (or no longer) in the StageName picklist: reported, not thrown, since the
   * other stages still work; the alert monitor raises STAGE_RULE_UNKNOWN for each.
   */
  unknownStages: UnknownStage[];
  mappings: FieldMapping[];
  templates: DemandTemplate[];
  questions: ChecklistQuestion[];
  /** Billing rules by billing type. */
  billingRules: Map<string, BillingRule>;
}

/** A rule record that cannot be used; the message names the record and the field (HandoffRules.RuleException). */
export class RuleError extends Error {
  override name = 'RuleError';
}

/** The active custom metadata records the org holds, in DeveloperName order. */
export function readRuleRecords(store: Store): RuleRecords {
  const records: RuleRecords = {};
  for (const type of RULE_TYPES) {
    const object = store.schema.object(type);
    if (!object) continue;
    const fields = ['DeveloperName', ...object.fields.filter((field) => field.custom).map((field) => field.name)];
    records[type] = store.query(`SELECT ${fields.join(', ')} FROM ${type} ORDER BY DeveloperName`);
  }
  return records;
}

const text = (value: unknown): string | undefined =>
  value === null || value === undefined || value === '' ? undefined : String(value);
const number = (value: unknown): number | undefined =>
  value === null || value === undefined || value === '' ? undefined : Number(value);
const active = (records: Record<string, unknown>[] | undefined) =>
  (records ?? []).filter((record) => record.Active__c === true || record.Active__c === 'true');

/** The report of a stage rule naming a stage the org does not offer, worded as HandoffRules.cls words it. */
export function unknownStage(ruleName: string, stageName: string | undefined): UnknownStage {
  return {
    ruleName,
    stageName,
    message: `Handoff_Stage_Rule__mdt.${ruleName}: Stage_Name__c "${String(stageName ?? null)}" is not an active value of Opportunity.StageName, so the rule never applies (was the stage renamed or deactivated?)`
  };
}

/** Builds and validates the rules; throws RuleError on the first unusable record. */
export function compileRules(schema: OrgSchema, records: RuleRecords): HandoffRules {
  const rules: HandoffRules = {
    stageRules: new Map(),
    unknownStages: [],
    mappings: [],
    templates: [],
    questions: [],
    billingRules: new Map()
  };
  const stages = new Set(schema.field('Opportunity', 'StageName')?.picklistValues ?? []);
  for (const record of active(records.Handoff_Stage_Rule__mdt)) {
    const status = text(record.Engagement_Status__c);
    if (!RULE_STATUSES.includes(status as RuleStatus)) {
      throw new RuleError(
        `Handoff_Stage_Rule__mdt.${text(record.DeveloperName)}: Engagement_Status__c "${String(status ?? null)}" must be one of ${RULE_STATUSES.join(', ')}`
      );
    }
    const stageName = text(record.Stage_Name__c) ?? '';
    const requiredAnswers = number(record.Required_Handoff_Answers__c) ?? 0;
    if (!(requiredAnswers >= 0 && requiredAnswers <= 100)) {
      throw new RuleError(
        `Handoff_Stage_Rule__mdt.${text(record.DeveloperName)}: Required_Handoff_Answers__c must be between 0 and 100`
      );
    }
    // Exact comparison, as the Apex Set<String>.contains: a stage renamed only in letter case leaves its deals ruleless.
    if (!stages.has(stageName))
      rules.unknownStages.push(unknownStage(String(record.DeveloperName), text(record.Stage_Name__c)));
    rules.stageRules.set(stageName, {
      stageName,
      status: status as RuleStatus,
      billable: record.Billable__c === true,
      confirmSoftBookings: record.Confirm_Soft_Bookings__c === true,
      requiredAnswers
    });
  }
  for (const record of active(records.Handoff_Field_Mapping__mdt)) {
    rules.mappings.push(mappingOf(schema, record));
  }
  const roles = new Set(schema.field('Resource_Demand__c', 'Role__c')?.picklistValues ?? []);
  const skills = new Set(schema.field('Resource_Demand__c', 'Skill__c')?.picklistValues ?? []);
  for (const record of active(records.Handoff_Demand_Template__mdt)) {
    const origin = `Handoff_Demand_Template__mdt.${text(record.DeveloperName)}`;
    const role = text(record.Role__c);
    const skill = text(record.Skill__c);
    const hoursPerUnit = number(record.Hours_Per_Unit__c);
    const durationWeeks = number(record.Duration_Weeks__c);
    if (!text(record.Product_Code__c) && !text(record.Product_Family__c)) {
      throw new RuleError(`${origin}: set Product_Code__c or Product_Family__c`);
    }
    if (!role || !roles.has(role))
      throw new RuleError(`${origin}: Role__c "${String(role ?? null)}" is not a Handoff role`);
    if (skill && !skills.has(skill)) throw new RuleError(`${origin}: Skill__c "${skill}" is not a Handoff skill`);
    if (hoursPerUnit === undefined || !(hoursPerUnit >= 0)) {
      throw new RuleError(`${origin}: Hours_Per_Unit__c must be zero or more`);
    }
    if (durationWeeks === undefined || !(durationWeeks >= 1)) {
      throw new RuleError(`${origin}: Duration_Weeks__c must be at least 1`);
    }
    rules.templates.push({
      developerName: String(record.DeveloperName),
      productCode: text(record.Product_Code__c),
      productFamily: text(record.Product_Family__c),
      role,
      skill,
      hoursPerUnit,
      durationWeeks: Math.trunc(durationWeeks),
      startOffsetWeeks: Math.trunc(number(record.Start_Offset_Weeks__c) ?? 0),
      scaleDuration: record.Scale_Duration__c === true
    });
  }
  for (const record of active(records.Handoff_Checklist_Question__mdt)) {
    rules.questions.push({
      developerName: String(record.DeveloperName),
      question: text(record.Question__c) ?? '',
      sortOrder: Math.trunc(number(record.Sort_Order__c) ?? 0)
    });
  }
  const billingTypes = new Set(schema.field('Engagement__c', 'Billing_Type__c')?.picklistValues ?? []);
  for (const record of active(records.Billing_Rule__mdt)) {
    const rule = billingRuleOf(record, billingTypes);
    rules.billingRules.set(rule.billingType, rule);
  }
  return rules;
}

/** A billing rule, validated as HandoffRules.addBillingRule validates it. */
function billingRuleOf(record: Record<string, unknown>, billingTypes: Set<string>): BillingRule {
  const origin = `Billing_Rule__mdt.${text(record.DeveloperName)}`;
  const billingType = text(record.Billing_Type__c);
  if (!billingType || !billingTypes.has(billingType)) {
    throw new RuleError(
      `${origin}: Billing_Type__c "${String(billingType ?? null)}" is not a value of Engagement__c.Billing_Type__c`
    );
  }
  const schedule = text(record.Schedule__c);
  if (!SCHEDULES.includes(schedule as BillingRule['schedule'])) {
    throw new RuleError(`${origin}: Schedule__c "${String(schedule ?? null)}" must be one of ${SCHEDULES.join(', ')}`);
  }
  const splitPercents: number[] = [];
  if (schedule === 'Split') {
    const parts = text(record.Split_Percents__c)?.split(',') ?? [];
    for (const part of parts) {
      const percent = /^\s*[+-]?(\d+\.?\d*|\.\d+)\s*$/.test(part) ? Number(part) : -1;
      if (!(percent > 0))
        throw new RuleError(`${origin}: Split_Percents__c "${part.trim()}" is not a positive percentage`);
      splitPercents.push(percent);
    }
    // Hundredths of a percent, as whole numbers: the sum is exact.
    const total = splitPercents.reduce((sum, percent) => sum + Math.round(percent * 100), 0);
    if (total !== 10000) {
      throw new RuleError(
        `${origin}: Split_Percents__c "${String(record.Split_Percents__c ?? null)}" must add up to 100, not ${total / 100}`
      );
    }
  }
  return {
    developerName: String(record.DeveloperName),
    billingType,
    schedule: schedule as BillingRule['schedule'],
    splitPercents
  };
}

function mappingOf(schema: OrgSchema, record: Record<string, unknown>): FieldMapping {
  const origin = `Handoff_Field_Mapping__mdt.${text(record.DeveloperName)}`;
  const sourceName = String(record.Source_Field__c ?? null);
  const targetName = String(record.Target_Field__c ?? null);
  const source = schema.field('Opportunity', sourceName);
  if (!source) throw new RuleError(`${origin}: Source_Field__c "${sourceName}" is not a field of Opportunity`);
  const target = schema.field('Engagement__c', targetName);
  if (!target) throw new RuleError(`${origin}: Target_Field__c "${targetName}" is not a field of Engagement__c`);
  if (!compatible(source, target)) {
    throw new RuleError(
      `${origin}: Opportunity.${source.name} (${displayType(source)}) cannot be copied to Engagement__c.${target.name} (${displayType(target)})`
    );
  }
  const targetType = displayType(target);
  const owner = text(record.Owner__c) ?? 'Deal';
  if (owner !== 'Deal' && owner !== 'Delivery') {
    throw new RuleError(`${origin}: Owner__c "${owner}" must be Deal or Delivery`);
  }
  return {
    sourceField: source.name,
    targetField: target.name,
    owner,
    isDate: targetType === 'DATE' || targetType === 'DATETIME',
    ...(TEXTS.has(targetType) ? { targetLength: target.length ?? 255 } : {})
  };
}

/** Schema.DisplayType of a field, as Apex describes it (the names appear in error messages). */
const DISPLAY_TYPES: Record<string, string> = {
  Id: 'ID',
  Text: 'STRING',
  AutoNumber: 'STRING',
  EncryptedText: 'ENCRYPTEDSTRING',
  TextArea: 'TEXTAREA',
  LongTextArea: 'TEXTAREA',
  Html: 'TEXTAREA',
  Number: 'DOUBLE',
  Summary: 'DOUBLE',
  Currency: 'CURRENCY',
  Percent: 'PERCENT',
  Checkbox: 'BOOLEAN',
  Date: 'DATE',
  DateTime: 'DATETIME',
  Time: 'TIME',
  Picklist: 'PICKLIST',
  MultiselectPicklist: 'MULTIPICKLIST',
  Email: 'EMAIL',
  Phone: 'PHONE',
  Url: 'URL',
  Lookup: 'REFERENCE',
  MasterDetail: 'REFERENCE',
  Hierarchy: 'REFERENCE'
};
const displayType = (field: FieldDef): string => DISPLAY_TYPES[field.type] ?? field.type.toUpperCase();

const NUMBERS = new Set(['CURRENCY', 'DOUBLE', 'INTEGER', 'PERCENT']);
const TEXTS = new Set(['STRING', 'TEXTAREA', 'PICKLIST', 'EMAIL', 'PHONE', 'URL']);

/** Numbers copy to numbers, texts to texts, references to references of the same objects, anything else to itself. */
function compatible(source: FieldDef, target: FieldDef): boolean {
  const [from, to] = [displayType(source), displayType(target)];
  if (from === 'REFERENCE' || to === 'REFERENCE') {
    return from === to && (source.referenceTo ?? []).join() === (target.referenceTo ?? []).join();
  }
  if (NUMBERS.has(from)) return NUMBERS.has(to);
  if (TEXTS.has(from)) return TEXTS.has(to);
  return from === to;
}

/** Apex compares strings with `==` case-insensitively. */
const sameText = (a: unknown, b: unknown): boolean =>
  typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();

/** Templates for a product: those naming its code, else those naming its family (HandoffRules.templatesFor). */
export function templatesFor(rules: HandoffRules, productCode: unknown, family: unknown): DemandTemplate[] {
  const byCode = rules.templates.filter((template) => sameText(template.productCode, productCode));
  if (byCode.length) return byCode;
  return rules.templates.filter((template) => !template.productCode && sameText(template.productFamily, family));
}
