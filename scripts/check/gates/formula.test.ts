import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorsOf } from '../gate';
import { FIXTURES, plantedProject, WIDGET } from '../fixtures';
import { formulaGate } from './formula';

const FORMULA = path.join(FIXTURES, 'formula');
const DEFAULT = 'force-app/main/default';

/** The good formulas (a rule, a formula field, the custom permission they use) plus, optionally, one planted file. */
async function errorsWith(planted?: { fixture: string; as: string }) {
  const project = plantedProject((write) => {
    const copy = (from: string, to: string) => write(to, fs.readFileSync(path.join(FORMULA, from), 'utf8'));
    copy(
      'good/objects/Widget__c/validationRules/Widget_Size_Range.validationRule-meta.xml',
      `${WIDGET}/validationRules/Widget_Size_Range.validationRule-meta.xml`
    );
    copy('good/objects/Widget__c/fields/Size_Band__c.field-meta.xml', `${WIDGET}/fields/Size_Band__c.field-meta.xml`);
    copy(
      'good/customPermissions/Widget_Admin.customPermission-meta.xml',
      `${DEFAULT}/customPermissions/Widget_Admin.customPermission-meta.xml`
    );
    if (planted) copy(`planted/${planted.fixture}`, planted.as);
  });
  try {
    const result = await formulaGate.run({ root: project.root });
    return Object.assign(errorsOf(result), { checked: result.checked });
  } finally {
    project.dispose();
  }
}

const rule = (fixture: string, name: string) => ({
  fixture: `${fixture}.validationRule-meta.xml`,
  as: `${WIDGET}/validationRules/${name}.validationRule-meta.xml`
});

describe('formula gate', () => {
  it('passes well-formed rules and formula fields (comments, ISNEW, ISCHANGED, $Permission) and counts them', async () => {
    const project = plantedProject(() => undefined);
    try {
      expect((await formulaGate.run({ root: project.root })).checked).toBe('0 formulas and roll-ups');
    } finally {
      project.dispose();
    }
    const errors = await errorsWith();
    expect([...errors]).toEqual([]);
    expect(errors.checked).toBe('2 formulas and roll-ups');
  });

  it.each([
    ['unknown-field', 'Widget_Unknown_Field', /Field Sise__c does not exist on Widget__c/],
    ['unknown-function', 'Widget_Unknown_Function', /Unknown function ISBLNK/],
    [
      'not-boolean',
      'Widget_Not_Boolean',
      /Formula result is data type \(Number\), incompatible with expected data type \(Boolean\)/
    ],
    ['unknown-permission', 'Widget_Unknown_Permission', /Custom permission Widget_Amdin does not exist/],
    ['unsupported', 'Widget_Unsupported', /the local org cannot evaluate it: REGEX\(\) is not evaluated/],
    ['syntax', 'Widget_Syntax', /Syntax error/]
  ])(
    'fails a validation rule with a planted %s, naming the file, the line and the formula',
    async (fixture, name, reason) => {
      const errors = await errorsWith(rule(fixture, name));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({
        file: `${WIDGET}/validationRules/${name}.validationRule-meta.xml`,
        line: 5,
        message: expect.stringMatching(new RegExp(`^validation rule Widget__c\\.${name}: `)) as unknown
      });
      expect(errors[0]!.message).toMatch(reason);
    }
  );

  it('fails a formula field whose result is not the field type', async () => {
    const errors = await errorsWith({
      fixture: 'wrong-type.field-meta.xml',
      as: `${WIDGET}/fields/Size_Band__c.field-meta.xml`
    });
    expect(errors.map((error) => [error.file, error.message])).toEqual([
      [
        `${WIDGET}/fields/Size_Band__c.field-meta.xml`,
        'formula field Widget__c.Size_Band__c: Size__c / 10 — Formula result is data type (Number), incompatible with expected data type (Text).'
      ]
    ]);
  });

  it('fails formula metadata it does not check (a workflow field update) rather than passing it', async () => {
    const errors = await errorsWith({
      fixture: 'workflow.workflow-meta.xml',
      as: `${DEFAULT}/workflows/Widget__c.workflow-meta.xml`
    });
    expect(errors.map((error) => [error.file, error.line, error.rule])).toEqual([
      [`${DEFAULT}/workflows/Widget__c.workflow-meta.xml`, 6, 'formula:unchecked']
    ]);
  });

  it('fails a roll-up summary over a lookup that is not master-detail', async () => {
    const errors = await errorsWith({
      fixture: 'summary-not-master-detail.field-meta.xml',
      as: `${DEFAULT}/objects/Account/fields/Widget_Count__c.field-meta.xml`
    });
    expect(errors.map((error) => [error.file, error.message])).toEqual([
      [
        `${DEFAULT}/objects/Account/fields/Widget_Count__c.field-meta.xml`,
        'roll-up summary Account.Widget_Count__c: Widget__c.Account__c is not a master-detail field to Account'
      ]
    ]);
  });
});
