import { compileFormula, FormulaError, storedFormulaValue, stripComments, type FormulaEnv } from './formula';
import { Schema } from './schema';
import type { FieldDef, FieldType } from './types';

const f = (name: string, type: FieldType, extra: Partial<FieldDef> = {}): FieldDef => ({
  name,
  label: name,
  type,
  required: false,
  unique: false,
  externalId: false,
  calculated: false,
  createable: true,
  updateable: true,
  custom: true,
  ...extra
});

const schema = new Schema([
  {
    name: 'User',
    label: 'User',
    pluralLabel: 'Users',
    custom: false,
    customMetadata: false,
    platformEvent: false,
    keyPrefix: '005',
    fields: [f('Id', 'Id', { custom: false }), f('Name', 'Text', { custom: false })]
  },
  {
    name: 'Deal__c',
    label: 'Deal',
    pluralLabel: 'Deals',
    custom: true,
    customMetadata: false,
    platformEvent: false,
    keyPrefix: 'a01',
    fields: [
      f('Id', 'Id', { custom: false }),
      f('Name', 'Text', { custom: false, length: 80 }),
      f('Hours__c', 'Number', { scale: 0 }),
      f('Rate__c', 'Percent', { scale: 0 }),
      f('Stage__c', 'Picklist', { picklistValues: ['Open', 'Won'] }),
      f('Start__c', 'Date'),
      f('Signed__c', 'DateTime'),
      f('Billable__c', 'Checkbox'),
      f('Owner__c', 'Lookup', { referenceTo: ['User'], relationshipName: 'Owner__r' })
    ]
  }
]);

const NOW = new Date('2026-03-02T09:30:00Z');
const env = (values: Record<string, unknown>, prior?: Record<string, unknown>): FormulaEnv => ({
  get: (column) => values[column] as never,
  ...(prior ? { prior: (column: string) => prior[column] as never } : {}),
  isNew: prior === undefined,
  permissions: new Set(['deal_admin']),
  userId: '005000000000001AAA',
  now: NOW
});
const run = (source: string, values: Record<string, unknown> = {}, options = {}, prior?: Record<string, unknown>) =>
  compileFormula(source, schema, 'Deal__c', { saveContext: true, ...options }).evaluate(env(values, prior));
const failure = (source: string, options = {}) => {
  try {
    compileFormula(source, schema, 'Deal__c', options);
  } catch (error) {
    if (error instanceof FormulaError) return `${error.kind}: ${error.message}`;
    throw error;
  }
  throw new Error(`${source} compiled`);
};

describe('formulas: compiled once, evaluated per record', () => {
  it('treats blanks as blanks in validation rules: a comparison with a blank field never fires', () => {
    expect(run('Hours__c < 0', { hours__c: null })).toBeNull();
    expect(run('Hours__c < 0', { hours__c: -1 })).toBe(true);
    expect(run('OR(Hours__c < 0, Hours__c > 80)', { hours__c: null })).toBeNull();
    expect(run('NOT(Hours__c >= 0)', { hours__c: null })).toBeNull();
    expect(run('AND(ISBLANK(Hours__c), ISBLANK(Name))', { hours__c: null, name: '' })).toBe(true);
    expect(run('Hours__c + 1', { hours__c: null }, { blankAsZero: true })).toBe(1);
  });

  it('reads percents as fractions and stores percent results as whole percents at the field scale', () => {
    expect(run('Rate__c * 200', { rate__c: 25 })).toBe(50);
    const field = f('Share__c', 'Percent', { scale: 0 });
    expect(storedFormulaValue(field, 'number', 1 / 3)).toBe(33);
    expect(storedFormulaValue(f('Cost__c', 'Currency', { scale: 2 }), 'number', 2.005)).toBe(2.01);
    expect(storedFormulaValue(field, 'number', null)).toBeNull();
  });

  it('does date and datetime arithmetic from the org clock', () => {
    expect(run('Start__c < TODAY()', { start__c: '2026-03-01' })).toBe(true);
    expect(run('Start__c < TODAY()', { start__c: '2026-03-02' })).toBe(false);
    expect(run('TODAY() - Start__c', { start__c: '2026-02-20' })).toBe(10);
    expect(run('Signed__c > NOW() - 90', { signed__c: '2025-12-01T09:31:00Z' })).toBe(false);
    expect(run('Signed__c > NOW() - 90', { signed__c: '2025-12-02T09:31:00Z' })).toBe(true);
    expect(run('TEXT(Start__c + 30)', { start__c: '2026-02-20' })).toBe('2026-03-22');
  });

  it('gives ISNEW, ISCHANGED, PRIORVALUE, $Permission and $User the save context', () => {
    expect(run('ISNEW()', {})).toBe(true);
    expect(run('ISCHANGED(Hours__c)', { hours__c: 5 })).toBe(false);
    expect(run('ISCHANGED(Hours__c)', { hours__c: 5 }, {}, { hours__c: 4 })).toBe(true);
    expect(run('ISCHANGED(Name)', { name: 'a' }, {}, { name: 'a' })).toBe(false);
    expect(run('ISPICKVAL(PRIORVALUE(Stage__c), "Open")', { stage__c: 'Won' }, {}, { stage__c: 'Open' })).toBe(true);
    expect(run('$Permission.Deal_Admin && NOT($Permission.Other)', {})).toBe(true);
    expect(run('Owner__c = $User.Id', { owner__c: '005000000000001AAA' })).toBe(true);
  });

  it('handles picklists through ISPICKVAL, TEXT and CASE, text concatenation and checkboxes', () => {
    expect(run('ISPICKVAL(Stage__c, "Won")', { stage__c: 'Won' })).toBe(true);
    expect(run('TEXT(Stage__c) & "/" & Name', { stage__c: 'Open', name: 'A' })).toBe('Open/A');
    expect(run('CASE(Stage__c, "Won", 1, "Open", 2, 0)', { stage__c: 'Open' })).toBe(2);
    expect(run('IF(Billable__c, "yes", "no")', { billable__c: 1 })).toBe('yes');
    expect(run('ROUND(Hours__c / 3, 1)', { hours__c: 10 })).toBe(3.3);
  });

  it('ignores comments, but not comment marks inside strings', () => {
    expect(stripComments('Hours__c /* a note */ > 1')).toBe('Hours__c   > 1');
    expect(run('Name = "/* kept */"', { name: '/* kept */' })).toBe(true);
  });

  it('rejects what Salesforce rejects when the formula is saved', () => {
    expect(failure('Hours__c <')).toMatch(/^syntax: /);
    expect(failure('Hrs__c > 1')).toBe('unknown-field: Field Hrs__c does not exist on Deal__c. Check spelling.');
    expect(failure('Owner__r.Nme = ""')).toMatch(/^unknown-field: Field Owner__r\.Nme does not exist/);
    expect(failure('ISBLNK(Name)')).toBe('unknown-function: Unknown function ISBLNK. Check spelling.');
    expect(failure('Hours__c + 1', { returnType: 'checkbox' })).toBe(
      'type: Formula result is data type (Number), incompatible with expected data type (Boolean).'
    );
    expect(failure('Stage__c = "Won"')).toBe(
      'type: Field Stage__c is a picklist field. Picklist fields are only supported in certain functions.'
    );
    expect(failure('IF(Billable__c, 1, "one")')).toMatch(/^type: Incorrect parameter type for function 'IF\(\)'/);
    expect(failure('ISCHANGED(Name)')).toBe('type: Function ISCHANGED may not be used in this type of formula');
    expect(failure('$Permission.Nope', { customPermissions: new Set(['deal_admin']) })).toMatch(
      /^unknown-permission: Custom permission Nope does not exist/
    );
  });

  it('says which real functions, globals and references it does not evaluate, rather than passing them', () => {
    expect(failure('REGEX(Name, "[0-9]+")')).toBe('unsupported: REGEX() is not evaluated by the local org');
    expect(failure('$Profile.Name = "Admin"')).toBe(
      'unsupported: global $Profile.Name is not evaluated by the local org'
    );
    expect(failure('Owner__r.Name = ""')).toBe(
      'unsupported: cross-object reference Owner__r.Name is not evaluated by the local org'
    );
  });
});
