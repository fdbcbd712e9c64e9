import * as path from 'node:path';
import { OrgSchema } from '../schema/org-schema';
import { compileRules, RuleError, type RuleRecords, type RuleType } from './rules';
import { readVectors } from './vectors';

const schema = OrgSchema.load(path.resolve(__dirname, '../../../..'));
const vectorRules = readVectors().rules;

/** The vectors' rules with one more record of a type. */
const withRecord = (type: RuleType, record: Record<string, unknown>): RuleRecords => ({
  ...vectorRules,
  [type]: [...(vectorRules[type] ?? []), { DeveloperName: 'Bad', Active__c: true, ...record }]
});
const template = { Product_Code__c: 'HO-X', Role__c: 'Developer', Hours_Per_Unit__c: 8, Duration_Weeks__c: 1 };

describe('rules: validated like HandoffRules.cls', () => {
  it('refuses a required share of handoff answers outside 0-100, naming the record and field', () => {
    const stage = {
      Stage_Name__c: 'Needs Analysis',
      Engagement_Status__c: 'Pipeline',
      Required_Handoff_Answers__c: 120
    };
    expect(() => compileRules(schema, withRecord('Handoff_Stage_Rule__mdt', stage))).toThrow(
      'Handoff_Stage_Rule__mdt.Bad: Required_Handoff_Answers__c must be between 0 and 100'
    );
  });

  it('compiles the vectors rules: active records only, in record order', () => {
    const rules = compileRules(schema, vectorRules);
    expect(
      [...rules.stageRules.values()].map((rule) => [
        rule.stageName,
        rule.status,
        rule.billable,
        rule.confirmSoftBookings,
        rule.requiredAnswers
      ])
    ).toEqual([
      ['Perception Analysis', 'Pipeline', false, false, 100],
      ['Proposal/Price Quote', 'Pipeline', false, false, 0],
      ['Negotiation/Review', 'Pipeline', false, false, 0],
      ['Closed Won', 'Active', true, true, 0],
      ['Closed Lost', 'Lost', false, false, 0]
    ]);
    expect(rules.mappings.map((mapping) => `${mapping.sourceField}>${mapping.targetField}`)).toEqual([
      'Name>Name',
      'Amount>Contract_Value__c',
      'Probability>Win_Probability__c',
      'Expected_Start__c>Expected_Start__c',
      'Delivery_Lead__c>Delivery_Lead__c',
      'Expected_End__c>Expected_End__c',
      'AccountId>Account__c',
      'Billing_Type__c>Billing_Type__c',
      'Practice__c>Practice__c',
      'OwnerId>Sales_Rep__c'
    ]);
    expect(rules.mappings.map((mapping) => mapping.isDate)).toEqual([
      false,
      false,
      false,
      true,
      false,
      true,
      false,
      false,
      false,
      false
    ]);
    expect(rules.mappings[0]!.targetLength).toBe(80);
    expect(rules.templates.map((candidate) => candidate.developerName)).not.toContain('Retired_Template');
    expect(rules.questions.map((question) => question.sortOrder)).toEqual([1, 2, 3]);
  });

  it.each<[string, RuleType, Record<string, unknown>, string]>([
    [
      'a mapping from an unknown field',
      'Handoff_Field_Mapping__mdt',
      { Source_Field__c: 'Amont', Target_Field__c: 'Contract_Value__c' },
      'Handoff_Field_Mapping__mdt.Bad: Source_Field__c "Amont" is not a field of Opportunity'
    ],
    [
      'a mapping to an unknown field',
      'Handoff_Field_Mapping__mdt',
      { Source_Field__c: 'Amount', Target_Field__c: 'Value__c' },
      'Handoff_Field_Mapping__mdt.Bad: Target_Field__c "Value__c" is not a field of Engagement__c'
    ],
    [
      'a number copied to text',
      'Handoff_Field_Mapping__mdt',
      { Source_Field__c: 'Amount', Target_Field__c: 'Name' },
      'Handoff_Field_Mapping__mdt.Bad: Opportunity.Amount (CURRENCY) cannot be copied to Engagement__c.Name (STRING)'
    ],
    [
      'a lookup copied to a lookup of another object',
      'Handoff_Field_Mapping__mdt',
      { Source_Field__c: 'Delivery_Lead__c', Target_Field__c: 'Account__c' },
      'Handoff_Field_Mapping__mdt.Bad: Opportunity.Delivery_Lead__c (REFERENCE) cannot be copied to Engagement__c.Account__c (REFERENCE)'
    ],
    [
      'a date copied to a datetime',
      'Handoff_Field_Mapping__mdt',
      { Source_Field__c: 'CloseDate', Target_Field__c: 'Entered_Active__c' },
      'Handoff_Field_Mapping__mdt.Bad: Opportunity.CloseDate (DATE) cannot be copied to Engagement__c.Entered_Active__c (DATETIME)'
    ],
    [
      'a stage rule with an unknown status',
      'Handoff_Stage_Rule__mdt',
      { Stage_Name__c: 'Verbal', Engagement_Status__c: 'Won', Billable__c: false },
      'Handoff_Stage_Rule__mdt.Bad: Engagement_Status__c "Won" must be one of Pipeline, Active, Lost'
    ],
    [
      'a template with an unknown role',
      'Handoff_Demand_Template__mdt',
      { ...template, Role__c: 'Wizard' },
      'Handoff_Demand_Template__mdt.Bad: Role__c "Wizard" is not a Handoff role'
    ],
    [
      'a template with an unknown skill',
      'Handoff_Demand_Template__mdt',
      { ...template, Skill__c: 'Cobol' },
      'Handoff_Demand_Template__mdt.Bad: Skill__c "Cobol" is not a Handoff skill'
    ],
    [
      'a template for no product',
      'Handoff_Demand_Template__mdt',
      { ...template, Product_Code__c: null },
      'Handoff_Demand_Template__mdt.Bad: set Product_Code__c or Product_Family__c'
    ],
    [
      'a template with negative hours',
      'Handoff_Demand_Template__mdt',
      { ...template, Hours_Per_Unit__c: -1 },
      'Handoff_Demand_Template__mdt.Bad: Hours_Per_Unit__c must be zero or more'
    ],
    [
      'a template without a duration',
      'Handoff_Demand_Template__mdt',
      { ...template, Duration_Weeks__c: 0 },
      'Handoff_Demand_Template__mdt.Bad: Duration_Weeks__c must be at least 1'
    ]
  ])('refuses %s, naming the record and the field', (_case, type, record, message) => {
    expect(() => compileRules(schema, withRecord(type, record))).toThrow(new RuleError(message));
  });

  it('ignores inactive records, however wrong', () => {
    const records = withRecord('Handoff_Field_Mapping__mdt', { Source_Field__c: 'Amont', Active__c: false });
    expect(compileRules(schema, records).mappings).toHaveLength(10);
  });

  it('accepts compatible types and resolves field names case-insensitively', () => {
    const records: RuleRecords = {
      Handoff_Field_Mapping__mdt: [
        { DeveloperName: 'A', Source_Field__c: 'probability', Target_Field__c: 'contract_value__c', Active__c: true },
        { DeveloperName: 'B', Source_Field__c: 'NextStep', Target_Field__c: 'Cost_Center__c', Active__c: true },
        { DeveloperName: 'C', Source_Field__c: 'Practice__c', Target_Field__c: 'Practice__c', Active__c: true }
      ]
    };
    expect(compileRules(schema, records).mappings).toEqual([
      { sourceField: 'Probability', targetField: 'Contract_Value__c', isDate: false, owner: 'Deal' },
      { sourceField: 'NextStep', targetField: 'Cost_Center__c', isDate: false, owner: 'Deal', targetLength: 40 },
      { sourceField: 'Practice__c', targetField: 'Practice__c', isDate: false, owner: 'Deal', targetLength: 255 }
    ]);
  });

  it('reports, without failing the load, a stage rule naming a stage the StageName picklist does not offer', () => {
    const rules = compileRules(schema, {
      ...vectorRules,
      Handoff_Stage_Rule__mdt: [
        ...(vectorRules.Handoff_Stage_Rule__mdt ?? []),
        { DeveloperName: 'Renamed', Stage_Name__c: 'Contract Signed', Engagement_Status__c: 'Active', Active__c: true },
        { DeveloperName: 'Cased', Stage_Name__c: 'closed won', Engagement_Status__c: 'Active', Active__c: true },
        { DeveloperName: 'Off', Stage_Name__c: 'Nowhere', Engagement_Status__c: 'Active', Active__c: false }
      ]
    });
    expect(rules.unknownStages.map((unknown) => unknown.ruleName)).toEqual(['Renamed', 'Cased']);
    expect(rules.unknownStages[0]!.message).toBe(
      'Handoff_Stage_Rule__mdt.Renamed: Stage_Name__c "Contract Signed" is not an active value of Opportunity.StageName, so the rule never applies (was the stage renamed or deactivated?)'
    );
    expect(rules.stageRules.get('Closed Won')?.status).toBe('Active');
  });

  it('the vectors rules name only stages the org offers', () => {
    expect(compileRules(schema, vectorRules).unknownStages).toEqual([]);
  });
});
