import * as formulon from 'formulon';
import type { Schema } from './schema';
import type { FieldDef, FieldType } from './types';

/**
 * Salesforce formulas (validation rules, formula fields), parsed once by `formulon` and compiled to closures over a
 * record, so a write evaluates them without parsing again. The compiler checks what Salesforce checks when the
 * formula is saved: fields exist, functions exist and take the right types, the result has the expected type.
 * It evaluates the functions the package's formulas need; a function Salesforce has but this evaluator does not is
 * an `unsupported` error, never a silent pass.
 */

/** Formula value types, as Salesforce's formula editor names them. */
export type FormulaType =
  'checkbox' | 'number' | 'text' | 'date' | 'datetime' | 'time' | 'picklist' | 'multipicklist' | 'null';

export type FormulaErrorKind =
  'syntax' | 'unknown-field' | 'unknown-function' | 'unknown-permission' | 'type' | 'unsupported';

export class FormulaError extends Error {
  constructor(
    readonly kind: FormulaErrorKind,
    message: string
  ) {
    super(message);
    this.name = 'FormulaError';
  }
}

/** A stored record value (SQLite row or API record): numbers, strings, booleans as 0/1 or true/false, null. */
export type RecordValue = string | number | boolean | null | undefined;

/** What one evaluation sees: the record being saved, the record before the save, and the running context. */
export interface FormulaEnv {
  /** Value of a field of the record, by lower-cased API name. */
  get(column: string): RecordValue;
  /** The record before this save (update only); `undefined` on insert. */
  prior?: ((column: string) => RecordValue) | undefined;
  isNew: boolean;
  /** Custom permissions the running user has, lower-cased. */
  permissions: ReadonlySet<string>;
  userId: string;
  now: Date;
}

export interface CompileOptions {
  /** The type the formula must return (Boolean for a validation rule, the field's type for a formula field). */
  returnType?: FormulaType;
  /** `BlankAsZero` (formula field option): blank numbers read as 0. Validation rules treat blanks as blanks. */
  blankAsZero?: boolean;
  /** Where ISNEW, ISCHANGED and PRIORVALUE are allowed (validation rules), as in Salesforce. */
  saveContext?: boolean;
  /** Custom permissions that exist; when given, `$Permission.X` must name one of them. */
  customPermissions?: ReadonlySet<string>;
}

export interface CompiledFormula {
  readonly source: string;
  readonly type: FormulaType;
  /** Fields of the record the formula reads (for dependency order between formula fields). */
  readonly fields: FieldDef[];
  /** Reads NOW(), TODAY() or $User: its value depends on when and by whom it is read. */
  readonly contextual: boolean;
  evaluate(env: FormulaEnv): unknown;
}

/** The formula value type of a field. */
export function formulaTypeOf(field: FieldDef): FormulaType {
  const map: Partial<Record<FieldType, FormulaType>> = {
    Checkbox: 'checkbox',
    Number: 'number',
    Currency: 'number',
    Percent: 'number',
    Summary: 'number',
    Date: 'date',
    DateTime: 'datetime',
    Time: 'time',
    Picklist: 'picklist',
    MultiselectPicklist: 'multipicklist'
  };
  return map[field.type] ?? 'text';
}

interface Node {
  type: FormulaType;
  run: (env: FormulaEnv) => unknown;
  constant?: boolean;
}

interface AstNode {
  type: string;
  id?: string;
  name?: string;
  value?: unknown;
  dataType?: string;
  arguments?: AstNode[];
  message?: string;
}

const DAY = 86_400_000;
const OPERATORS: Record<string, string> = {
  add: '+',
  subtract: '-',
  multiply: '*',
  divide: '/',
  exponentiate: '^',
  equal: '=',
  unequal: '<>',
  greaterThan: '>',
  greaterThanOrEqual: '>=',
  lessThan: '<',
  lessThanOrEqual: '<='
};
/** Functions that read the save itself; formulon leaves them to the caller. */
const SAVE_FUNCTIONS = new Set(['isnew', 'ischanged', 'priorvalue']);

const knownFunctions = new Map<string, boolean>();
/** Whether Salesforce has the function: formulon's function table answers (it knows every documented one). */
function isKnownFunction(name: string): boolean {
  if (SAVE_FUNCTIONS.has(name)) return true;
  let known = knownFunctions.get(name);
  if (known === undefined) {
    const probe = formulon.parse(`${name.toUpperCase()}()`) as { type: string; errorType?: string };
    known = !(probe.type === 'error' && probe.errorType === 'NoFunctionError');
    knownFunctions.set(name, known);
  }
  return known;
}

/** Removes `/* ... *\/` comments (Salesforce allows them; formulon's grammar does not), keeping string literals. */
export function stripComments(source: string): string {
  return source.replace(/("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|\/\*[\s\S]*?\*\//g, (_match, literal: string) =>
    literal ? literal : ' '
  );
}

/** Compiles a formula of `objectName`; throws FormulaError with what Salesforce would reject it for. */
export function compileFormula(
  source: string,
  schema: Schema,
  objectName: string,
  options: CompileOptions = {}
): CompiledFormula {
  const ast = formulon.ast(stripComments(source)) as AstNode;
  if (!ast || !ast.type || ast.type === 'error') {
    throw new FormulaError('syntax', `Syntax error in formula: ${ast?.message ?? 'empty formula'}`);
  }
  const fields = new Map<string, FieldDef>();
  let contextual = false;

  const fieldNode = (name: string, reader: 'get' | 'prior'): Node => {
    if (name.includes('.')) {
      const resolved = schema.resolveFieldPath(objectName, name);
      if (!resolved.ok) throw new FormulaError('unknown-field', `Field ${name} does not exist. Check spelling.`);
      throw new FormulaError('unsupported', `cross-object reference ${name} is not evaluated by the local org`);
    }
    const field = schema.field(objectName, name);
    if (!field)
      throw new FormulaError('unknown-field', `Field ${name} does not exist on ${objectName}. Check spelling.`);
    fields.set(field.name.toLowerCase(), field);
    const column = field.name.toLowerCase();
    const type = formulaTypeOf(field);
    const convert = fieldReader(field, type, options.blankAsZero === true);
    if (reader === 'prior') {
      return { type, run: (env) => convert(env.prior ? env.prior(column) : env.get(column)) };
    }
    return { type, run: (env) => convert(env.get(column)) };
  };

  const identifier = (name: string): Node => {
    if (name.startsWith('$')) {
      const [global, member, ...rest] = name.split('.');
      if (global?.toLowerCase() === '$permission' && member && rest.length === 0) {
        const key = member.toLowerCase();
        if (options.customPermissions && !options.customPermissions.has(key)) {
          throw new FormulaError(
            'unknown-permission',
            `Custom permission ${member} does not exist ($Permission.${member})`
          );
        }
        contextual = true;
        return { type: 'checkbox', run: (env) => env.permissions.has(key) };
      }
      if (global?.toLowerCase() === '$user' && member?.toLowerCase() === 'id' && rest.length === 0) {
        contextual = true;
        return { type: 'text', run: (env) => env.userId };
      }
      throw new FormulaError('unsupported', `global ${name} is not evaluated by the local org`);
    }
    return fieldNode(name, 'get');
  };

  const compile = (node: AstNode): Node => {
    if (node.type === 'literal') return literal(node);
    if (node.type === 'identifier') return identifier(node.name!);
    if (node.type !== 'callExpression') throw new FormulaError('syntax', `unexpected ${node.type} in formula`);
    const id = node.id!;
    const raw = node.arguments ?? [];
    const name = id.toLowerCase();
    if (!(id in OPERATORS) && !isKnownFunction(name)) {
      throw new FormulaError('unknown-function', `Unknown function ${id.toUpperCase()}. Check spelling.`);
    }
    if (SAVE_FUNCTIONS.has(name)) {
      if (!options.saveContext) {
        throw new FormulaError('type', `Function ${id.toUpperCase()} may not be used in this type of formula`);
      }
      if (name === 'isnew') {
        arity(id, raw, 0, 0);
        return { type: 'checkbox', run: (env) => env.isNew };
      }
      arity(id, raw, 1, 1);
      const target = raw[0]!;
      if (target.type !== 'identifier' || target.name!.startsWith('$')) {
        throw new FormulaError('type', `${id.toUpperCase()} needs a field of the record as its argument`);
      }
      const current = fieldNode(target.name!, 'get');
      const prior = fieldNode(target.name!, 'prior');
      // Salesforce Help, PRIORVALUE: on create it "returns the value of the field referenced rather than null";
      // ISCHANGED: "returns FALSE when evaluating any field on a newly created record".
      if (name === 'priorvalue') {
        return { type: current.type, run: (env) => (env.isNew ? current.run(env) : prior.run(env)) };
      }
      return {
        type: 'checkbox',
        run: (env) => !env.isNew && !same(current.run(env), prior.run(env))
      };
    }
    const args = raw.map(compile);
    const handler = Object.hasOwn(FUNCTIONS, id) ? FUNCTIONS[id] : undefined;
    if (!handler) throw new FormulaError('unsupported', `${id.toUpperCase()}() is not evaluated by the local org`);
    for (const [index, arg] of args.entries()) {
      if ((arg.type === 'picklist' || arg.type === 'multipicklist') && !PICKLIST_FUNCTIONS.has(id)) {
        throw new FormulaError(
          'type',
          `Field ${fieldNameOf(raw[index]!)} is a picklist field. Picklist fields are only supported in certain functions.`
        );
      }
    }
    const result = handler(id, args);
    if (id === 'now' || id === 'today') contextual = true;
    return result;
  };

  const root = compile(ast);
  const expected = options.returnType;
  if (expected && root.type !== expected && root.type !== 'null') {
    throw new FormulaError(
      'type',
      `Formula result is data type (${label(root.type)}), incompatible with expected data type (${label(expected)}).`
    );
  }
  return {
    source,
    type: root.type,
    fields: [...fields.values()],
    contextual,
    evaluate: root.run
  };
}

const fieldNameOf = (node: AstNode): string => node.name ?? node.id ?? '?';

const label = (type: FormulaType): string =>
  ({
    checkbox: 'Boolean',
    number: 'Number',
    text: 'Text',
    date: 'Date',
    datetime: 'DateTime',
    time: 'Time',
    picklist: 'Picklist',
    multipicklist: 'Multi-Select Picklist',
    null: 'Null'
  })[type];

/** How a stored value reads in a formula: dates as UTC milliseconds, percents as fractions, text never null. */
function fieldReader(field: FieldDef, type: FormulaType, blankAsZero: boolean): (value: RecordValue) => unknown {
  switch (type) {
    case 'checkbox':
      return (value) => value === true || value === 1 || value === '1' || value === 'true';
    case 'number': {
      // Percent fields hold 25 for 25%; a formula reads them as 0.25 (Salesforce's spreadsheet-like rule).
      const divisor = field.type === 'Percent' ? 100 : 1;
      return (value) =>
        value === null || value === undefined || value === '' ? (blankAsZero ? 0 : null) : Number(value) / divisor;
    }
    case 'date':
    case 'datetime':
      return (value) => (value === null || value === undefined || value === '' ? null : Date.parse(String(value)));
    default:
      return (value) => (value === null || value === undefined ? '' : String(value));
  }
}

function literal(node: AstNode): Node {
  const value = node.value;
  switch (node.dataType) {
    case 'number':
      return { type: 'number', run: () => value, constant: true };
    case 'text':
      return { type: 'text', run: () => value, constant: true };
    case 'checkbox':
      return { type: 'checkbox', run: () => value, constant: true };
    case 'null':
      return { type: 'null', run: () => null, constant: true };
    default:
      throw new FormulaError('unsupported', `${node.dataType} literals are not evaluated by the local org`);
  }
}

function arity(id: string, args: unknown[], min: number, max: number): void {
  if (args.length < min || args.length > max) {
    const expected = min === max ? String(min) : `${min} to ${max === Infinity ? 'many' : max}`;
    throw new FormulaError(
      'type',
      `Incorrect number of parameters for function '${id.toUpperCase()}()'. Expected ${expected}, received ${args.length}`
    );
  }
}

function expect(id: string, arg: Node, ...types: FormulaType[]): void {
  if (arg.type !== 'null' && !types.includes(arg.type)) {
    throw new FormulaError(
      'type',
      `Incorrect parameter type for function '${id.toUpperCase()}()'. Expected ${types.map(label).join(', ')}, received ${label(arg.type)}`
    );
  }
}

const isBlank = (value: unknown) => value === null || value === undefined || value === '';
const same = (a: unknown, b: unknown) => (isBlank(a) && isBlank(b)) || a === b;

/** Three-valued logic: a comparison with a blank operand is blank; a rule fires only on a true result. */
function compare(id: string, args: Node[], test: (a: number | string, b: number | string) => boolean): Node {
  arity(id, args, 2, 2);
  const [left, right] = args as [Node, Node];
  const types = [left.type, right.type].filter((type) => type !== 'null');
  if (types.length === 2 && types[0] !== types[1]) {
    throw new FormulaError(
      'type',
      `Incorrect parameter type for operator '${OPERATORS[id]}'. Expected ${label(types[0]!)}, received ${label(types[1]!)}`
    );
  }
  const type = types[0] ?? 'null';
  if (type === 'checkbox' && id !== 'equal' && id !== 'unequal') {
    throw new FormulaError(
      'type',
      `Incorrect parameter type for operator '${OPERATORS[id]}'. Expected Number, Date, DateTime, Text, received Boolean`
    );
  }
  const equality = id === 'equal' || id === 'unequal';
  return {
    type: 'checkbox',
    run: (env) => {
      const a = left.run(env);
      const b = right.run(env);
      if (type === 'text') {
        return test(String(a ?? ''), String(b ?? ''));
      }
      if (a === null || a === undefined || b === null || b === undefined) {
        const bothBlank = (a ?? null) === null && (b ?? null) === null;
        if (!equality) return null;
        return id === 'equal' ? bothBlank : !bothBlank;
      }
      return test(a as number, b as number);
    }
  };
}

const numeric = (
  id: string,
  args: Node[],
  min: number,
  max: number,
  fn: (...values: number[]) => number | null
): Node => {
  arity(id, args, min, max);
  for (const arg of args) expect(id, arg, 'number');
  return {
    type: 'number',
    run: (env) => {
      const values = args.map((arg) => arg.run(env));
      if (values.some((value) => value === null || value === undefined)) return null;
      const result = fn(...(values as number[]));
      return result === null || Number.isFinite(result) ? result : null;
    }
  };
};

const text = (
  id: string,
  args: Node[],
  min: number,
  max: number,
  fn: (...values: string[]) => unknown,
  type: FormulaType
): Node => {
  arity(id, args, min, max);
  expect(id, args[0]!, 'text');
  return { type, run: (env) => fn(...args.map((arg) => String(arg.run(env) ?? ''))) };
};

const toText = (value: unknown, type: FormulaType): string => {
  if (value === null || value === undefined) return '';
  if (type === 'date') return new Date(value as number).toISOString().slice(0, 10);
  if (type === 'datetime')
    return new Date(value as number)
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, 'Z');
  if (type === 'checkbox') return value ? 'true' : 'false';
  return String(value);
};

const utcDay = (ms: number) => Math.floor(ms / DAY) * DAY;

type Handler = (id: string, args: Node[]) => Node;
/** Functions whose arguments may be picklists. */
const PICKLIST_FUNCTIONS = new Set(['ispickval', 'text', 'isblank', 'isnull', 'case', 'includes', 'priorvalue']);

/**
 * AND and OR: `decisive` (false for AND, true for OR) settles the result at once; otherwise a blank argument makes
 * the result blank, and all-indecisive arguments give the opposite of `decisive`.
 */
function junction(id: string, args: Node[], decisive: boolean): Node {
  for (const arg of args) expect(id, arg, 'checkbox');
  return {
    type: 'checkbox',
    run: (env) => {
      let blank = false;
      for (const arg of args) {
        const value = arg.run(env);
        if (value === decisive) return decisive;
        if (value === null || value === undefined) blank = true;
      }
      return blank ? null : !decisive;
    }
  };
}

const FUNCTIONS: Record<string, Handler> = {
  and: (id, args) => junction(id, args, false),
  or: (id, args) => junction(id, args, true),
  not: (id, args) => {
    arity(id, args, 1, 1);
    expect(id, args[0]!, 'checkbox');
    return {
      type: 'checkbox',
      run: (env) => {
        const value = args[0]!.run(env);
        return value === null || value === undefined ? null : !value;
      }
    };
  },
  if: (id, args) => {
    arity(id, args, 3, 3);
    const [condition, then, otherwise] = args as [Node, Node, Node];
    expect(id, condition, 'checkbox');
    const type = branchType(id, [then, otherwise]);
    return { type, run: (env) => (condition.run(env) === true ? then.run(env) : otherwise.run(env)) };
  },
  case: (id, args) => {
    if (args.length < 4 || args.length % 2 !== 0) {
      throw new FormulaError(
        'type',
        `Incorrect number of parameters for function 'CASE()'. Expected an even number of at least 4, received ${args.length}`
      );
    }
    const [subject, ...rest] = args as [Node, ...Node[]];
    const otherwise = rest[rest.length - 1]!;
    const pairs: [Node, Node][] = [];
    for (let index = 0; index + 1 < rest.length; index += 2) pairs.push([rest[index]!, rest[index + 1]!]);
    const type = branchType(id, [...pairs.map(([, result]) => result), otherwise]);
    const textual = subject.type === 'picklist' || subject.type === 'text';
    return {
      type,
      run: (env) => {
        const value = subject.run(env);
        for (const [match, result] of pairs) {
          const candidate = match.run(env);
          if (textual ? String(value ?? '') === String(candidate ?? '') : value === candidate) return result.run(env);
        }
        return otherwise.run(env);
      }
    };
  },
  ispickval: (id, args) => {
    arity(id, args, 2, 2);
    const [field, value] = args as [Node, Node];
    if (field.type !== 'picklist') {
      throw new FormulaError(
        'type',
        `Incorrect parameter type for function 'ISPICKVAL()'. Expected Picklist, received ${label(field.type)}`
      );
    }
    expect(id, value, 'text');
    return { type: 'checkbox', run: (env) => String(field.run(env) ?? '') === String(value.run(env) ?? '') };
  },
  includes: (id, args) => {
    arity(id, args, 2, 2);
    const [field, value] = args as [Node, Node];
    if (field.type !== 'multipicklist') {
      throw new FormulaError(
        'type',
        `Incorrect parameter type for function 'INCLUDES()'. Expected Multi-Select Picklist, received ${label(field.type)}`
      );
    }
    return {
      type: 'checkbox',
      run: (env) =>
        String(field.run(env) ?? '')
          .split(';')
          .includes(String(value.run(env)))
    };
  },
  text: (id, args) => {
    arity(id, args, 1, 1);
    const [arg] = args as [Node];
    return { type: 'text', run: (env) => toText(arg.run(env), arg.type) };
  },
  isblank: (id, args) => {
    arity(id, args, 1, 1);
    return { type: 'checkbox', run: (env) => isBlank(args[0]!.run(env)) };
  },
  isnull: (id, args) => {
    arity(id, args, 1, 1);
    return { type: 'checkbox', run: (env) => isBlank(args[0]!.run(env)) };
  },
  blankvalue: (id, args) => {
    arity(id, args, 2, 2);
    const type = branchType(id, args);
    return {
      type,
      run: (env) => {
        const value = args[0]!.run(env);
        return isBlank(value) ? args[1]!.run(env) : value;
      }
    };
  },
  add: (id, args) => {
    arity(id, args, 2, 2);
    const [left, right] = args as [Node, Node];
    if (left.type === 'text' || right.type === 'text') {
      expect(id, left, 'text');
      expect(id, right, 'text');
      return { type: 'text', run: (env) => String(left.run(env) ?? '') + String(right.run(env) ?? '') };
    }
    if (left.type === 'date' || left.type === 'datetime') {
      expect(id, right, 'number');
      return arithmetic(left.type, [left, right], (a, b) => a + b * DAY, left.type === 'date');
    }
    if (right.type === 'date' || right.type === 'datetime') {
      expect(id, left, 'number');
      return arithmetic(right.type, [left, right], (a, b) => a * DAY + b, right.type === 'date');
    }
    expect(id, left, 'number');
    expect(id, right, 'number');
    return arithmetic('number', [left, right], (a, b) => a + b);
  },
  subtract: (id, args) => {
    arity(id, args, 2, 2);
    const [left, right] = args as [Node, Node];
    if (left.type === 'date' || left.type === 'datetime') {
      if (right.type === left.type) return arithmetic('number', [left, right], (a, b) => (a - b) / DAY);
      expect(id, right, 'number');
      return arithmetic(left.type, [left, right], (a, b) => a - b * DAY, left.type === 'date');
    }
    expect(id, left, 'number');
    expect(id, right, 'number');
    return arithmetic('number', [left, right], (a, b) => a - b);
  },
  multiply: (id, args) => numeric(id, args, 2, 2, (a, b) => a * b),
  divide: (id, args) => numeric(id, args, 2, 2, (a, b) => (b === 0 ? null : a / b)),
  exponentiate: (id, args) => numeric(id, args, 2, 2, (a, b) => a ** b),
  equal: (id, args) => compare(id, args, (a, b) => a === b),
  unequal: (id, args) => compare(id, args, (a, b) => a !== b),
  greaterThan: (id, args) => compare(id, args, (a, b) => a > b),
  greaterThanOrEqual: (id, args) => compare(id, args, (a, b) => a >= b),
  lessThan: (id, args) => compare(id, args, (a, b) => a < b),
  lessThanOrEqual: (id, args) => compare(id, args, (a, b) => a <= b),
  abs: (id, args) => numeric(id, args, 1, 1, Math.abs),
  floor: (id, args) => numeric(id, args, 1, 1, Math.floor),
  ceiling: (id, args) => numeric(id, args, 1, 1, Math.ceil),
  round: (id, args) =>
    numeric(id, args, 2, 2, (value, digits) => {
      // Salesforce rounds half away from zero.
      const factor = 10 ** digits;
      return (Math.sign(value) * Math.round(Math.abs(value) * factor)) / factor;
    }),
  mod: (id, args) => numeric(id, args, 2, 2, (a, b) => (b === 0 ? null : a % b)),
  max: (id, args) => numeric(id, args, 1, Infinity, Math.max),
  min: (id, args) => numeric(id, args, 1, Infinity, Math.min),
  len: (id, args) => text(id, args, 1, 1, (value) => value.length, 'number'),
  lower: (id, args) => text(id, args, 1, 1, (value) => value.toLowerCase(), 'text'),
  upper: (id, args) => text(id, args, 1, 1, (value) => value.toUpperCase(), 'text'),
  trim: (id, args) => text(id, args, 1, 1, (value) => value.trim(), 'text'),
  contains: (id, args) => text(id, args, 2, 2, (value, part) => value.includes(part!), 'checkbox'),
  begins: (id, args) => text(id, args, 2, 2, (value, part) => value.startsWith(part!), 'checkbox'),
  now: (id, args) => {
    arity(id, args, 0, 0);
    return { type: 'datetime', run: (env) => env.now.getTime() };
  },
  today: (id, args) => {
    arity(id, args, 0, 0);
    return { type: 'date', run: (env) => utcDay(env.now.getTime()) };
  },
  date: (id, args) => ({
    ...numeric(id, args, 3, 3, (year, month, day) => Date.UTC(year, month - 1, day)),
    type: 'date'
  }),
  year: (id, args) => datePart(id, args, (date) => date.getUTCFullYear()),
  month: (id, args) => datePart(id, args, (date) => date.getUTCMonth() + 1),
  day: (id, args) => datePart(id, args, (date) => date.getUTCDate())
};
FUNCTIONS.nullvalue = FUNCTIONS.blankvalue!;

function datePart(id: string, args: Node[], part: (date: Date) => number): Node {
  arity(id, args, 1, 1);
  expect(id, args[0]!, 'date');
  return {
    type: 'number',
    run: (env) => {
      const value = args[0]!.run(env);
      return value === null || value === undefined ? null : part(new Date(value as number));
    }
  };
}

function arithmetic(type: FormulaType, args: [Node, Node], fn: (a: number, b: number) => number, toDay = false): Node {
  return {
    type,
    run: (env) => {
      const a = args[0].run(env);
      const b = args[1].run(env);
      if (a === null || a === undefined || b === null || b === undefined) return null;
      const result = fn(a as number, b as number);
      return toDay ? utcDay(result) : result;
    }
  };
}

function branchType(id: string, branches: Node[]): FormulaType {
  const types = [...new Set(branches.map((branch) => branch.type).filter((type) => type !== 'null'))];
  if (types.length > 1) {
    throw new FormulaError(
      'type',
      `Incorrect parameter type for function '${id.toUpperCase()}()'. Expected ${label(types[0]!)}, received ${label(types[1]!)}`
    );
  }
  return types[0] ?? 'null';
}

/** A formula result as the field stores it: Percent as 25 for 0.25, numbers rounded to the field's scale. */
export function storedFormulaValue(field: FieldDef, type: FormulaType, value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'checkbox':
      return value ? 1 : 0;
    case 'number': {
      const scaled = field.type === 'Percent' ? (value as number) * 100 : (value as number);
      const factor = 10 ** (field.scale ?? 2);
      return (Math.sign(scaled) * Math.round(Math.abs(scaled) * factor)) / factor;
    }
    case 'date':
      return new Date(value as number).toISOString().slice(0, 10);
    case 'datetime':
      return new Date(value as number).toISOString();
    default:
      return value === '' ? null : String(value);
  }
}
