import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LocalOrg } from '@handoff/local-org';
import { APEX_METHODS, AuraHandledError, type ApexMethod } from './adapters';
import { addDays, mondayOf } from './weeks';

/**
 * Controller vectors, offline: each file force-app/main/<feature>/staticresources/<Controller>Vectors.json is also run
 * by <Controller>VectorsTest in Apex (through ControllerVectors.cls). Here every case's records go into a fresh local
 * org (the lifecycle automation bypassed, as the Apex test bypasses HandoffTriggers), the preview twin of the
 * controller method is called, and its result, through JSON as Apex serialises it, is compared with the same rules
 * as ControllerVectors.compare. The format and the rules: README, "Controller vectors".
 * Cases with `runAs` are Apex-only: the local org has one admin user and enforces no sharing or field access.
 * `queries` is Apex-only too (it counts SOQL in the governor's sense).
 */

type Row = Record<string, unknown>;

export interface ControllerCall {
  method: string;
  args?: Row;
}

export interface ControllerExpectation {
  result?: unknown;
  /** The AuraHandledException message the user sees. */
  error?: string;
  /** The Apex exception type (e.g. System.QueryException), for runAs cases. */
  throws?: string;
}

export interface ControllerCase {
  name: string;
  records?: Record<string, Row[]>;
  call: ControllerCall;
  expect: ControllerExpectation;
  queries?: number;
  runAs?: string[];
  settings?: Row;
}

export interface ControllerVectors {
  controller: string;
  description?: string;
  settings?: Row;
  cases: ControllerCase[];
}

export const FORCE_APP = path.resolve(__dirname, '..', '..', 'force-app');

/** Every <Controller>Vectors.json under force-app/main/<feature>/staticresources holding a "controller". */
export function controllerVectorFiles(forceApp = FORCE_APP): string[] {
  const main = path.join(forceApp, 'main');
  if (!fs.existsSync(main)) return [];
  return fs
    .readdirSync(main)
    .map((feature) => path.join(main, feature, 'staticresources'))
    .filter((dir) => fs.existsSync(dir))
    .flatMap((dir) =>
      fs
        .readdirSync(dir)
        .filter((file) => file.endsWith('Vectors.json'))
        .map((file) => path.join(dir, file))
    )
    .filter(
      (file) => typeof (JSON.parse(fs.readFileSync(file, 'utf8')) as { controller?: unknown }).controller === 'string'
    )
    .sort();
}

export const readControllerVectors = (file: string): ControllerVectors =>
  JSON.parse(fs.readFileSync(file, 'utf8')) as ControllerVectors;

// --- relative dates and refs ---

const DATE_KEYS = new Set(['daysFromToday', 'weeksFromToday', 'mondayOffsetWeeks', 'plusDays', 'atHourGmt']);
const DATETIME_KEYS = new Set(['hoursFromNow', 'minutesFromNow']);

const isPlainObject = (value: unknown): value is Row =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Refs and relative dates of one case, resolved the way ControllerVectors.VectorCase.resolve does. */
export class CaseScope {
  readonly ids = new Map<string, string>();
  readonly types = new Map<string, string>();
  /** The case's clock: now, whole seconds, so a value written and the value expected are the same instant. */
  readonly now = new Date(Math.floor(Date.now() / 1000) * 1000);
  readonly today = new Date().toISOString().slice(0, 10);

  constructor(private readonly org: LocalOrg) {}

  resolve(value: unknown): unknown {
    if (typeof value === 'string' && value.startsWith('@')) return this.ref(value);
    if (Array.isArray(value)) return value.map((item) => this.resolve(item));
    if (isPlainObject(value)) {
      const keys = Object.keys(value);
      if (keys.length && (keys.every((key) => DATE_KEYS.has(key)) || keys.every((key) => DATETIME_KEYS.has(key)))) {
        return this.relative(value);
      }
      return Object.fromEntries(keys.map((key) => [key, this.resolve(value[key])]));
    }
    return value;
  }

  private ref(ref: string): string {
    if (ref === '@currentUser') return this.org.userId;
    if (ref === '@standardPricebook') {
      const [book] = this.org.store.query('SELECT Id FROM Pricebook2 WHERE IsStandard = true LIMIT 1');
      return String(book!.Id);
    }
    const target = ref.endsWith('.Name') ? ref.slice(0, -'.Name'.length) : ref;
    const id = this.ids.get(target);
    if (!id) throw new Error(`unknown ref ${target}`);
    if (target === ref) return id;
    return String(this.org.store.get(this.types.get(target)!, id)?.Name);
  }

  private relative(spec: Row): string {
    const number = (key: string) => (typeof spec[key] === 'number' ? (spec[key] as number) : 0);
    if ('hoursFromNow' in spec || 'minutesFromNow' in spec) {
      return new Date(
        this.now.getTime() + (number('hoursFromNow') * 60 + number('minutesFromNow')) * 60_000
      ).toISOString();
    }
    const base =
      'mondayOffsetWeeks' in spec
        ? addDays(mondayOf(this.today), 7 * number('mondayOffsetWeeks'))
        : addDays(this.today, number('daysFromToday') + 7 * number('weeksFromToday'));
    const day = addDays(base, number('plusDays'));
    if (!('atHourGmt' in spec)) return day;
    return new Date(`${day}T${String(number('atHourGmt')).padStart(2, '0')}:00:00.000Z`).toISOString();
  }
}

// --- comparison (ControllerVectors.compare) ---

const show = (value: unknown) => (value === undefined ? 'null' : JSON.stringify(value));
const only = (spec: Row, key: string, extra: string[] = []) =>
  key in spec && Object.keys(spec).every((name) => name === key || extra.includes(name));

/**
 * The result against the expectation. Objects: every expected key must match (keys not expected are not compared;
 * an expected null also matches a missing key). Lists: same length, in order, unless {"unordered": [...]} (each
 * expected item matches a different item) or {"contains": [...]} (each expected item is somewhere in the list).
 * Numbers by value; {"approx": x, "within": d} within d. {"present": true} matches any value but null.
 */
export function compare(expected: unknown, actual: unknown, at = 'result'): string[] {
  if (isPlainObject(expected)) {
    if (only(expected, 'unordered')) return compareUnordered(expected.unordered as unknown[], actual, at, true);
    if (only(expected, 'contains')) return compareUnordered(expected.contains as unknown[], actual, at, false);
    if (only(expected, 'approx', ['within'])) {
      const within = typeof expected.within === 'number' ? expected.within : 0;
      return typeof actual === 'number' && Math.abs(actual - (expected.approx as number)) <= within
        ? []
        : [`${at}: expected ${String(expected.approx)} ± ${within}, got ${show(actual)}`];
    }
    if (only(expected, 'present'))
      return actual === null || actual === undefined ? [`${at}: expected a value, got null`] : [];
    if (!isPlainObject(actual)) return [`${at}: expected an object, got ${show(actual)}`];
    return Object.keys(expected).flatMap((key) => compare(expected[key], actual[key], `${at}.${key}`));
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      return [`${at}: expected ${expected.length} items, got ${show(actual)}`];
    }
    return expected.flatMap((item, index) => compare(item, actual[index], `${at}[${index}]`));
  }
  const same = expected === null ? actual === null || actual === undefined : expected === actual;
  return same ? [] : [`${at}: expected ${show(expected)}, got ${show(actual)}`];
}

function compareUnordered(expected: unknown[], actual: unknown, at: string, sameLength: boolean): string[] {
  if (!Array.isArray(actual) || (sameLength && actual.length !== expected.length)) {
    return [`${at}: expected ${expected.length} items in any order, got ${show(actual)}`];
  }
  const left = [...actual];
  const differences: string[] = [];
  for (const item of expected) {
    const found = left.findIndex((candidate) => compare(item, candidate, at).length === 0);
    if (found < 0) differences.push(`${at}: no item matches ${show(item)}`);
    else left.splice(found, 1);
  }
  return differences;
}

// --- records ---

/** Objects in an order that inserts every lookup's target before the records pointing at it. */
export function insertOrder(org: LocalOrg, objectNames: string[]): string[] {
  const parentsOf = new Map<string, Set<string>>();
  for (const name of objectNames) {
    const object = org.store.schema.object(name);
    if (!object) throw new Error(`no sObject ${name}`);
    const parents = new Set<string>();
    for (const field of object.fields) {
      for (const target of field.referenceTo ?? []) {
        if (target !== name && objectNames.includes(target)) parents.add(target);
      }
    }
    parentsOf.set(name, parents);
  }
  const ordered: string[] = [];
  let pending = [...objectNames].sort();
  while (pending.length) {
    const ready = pending.filter((name) => [...parentsOf.get(name)!].every((parent) => ordered.includes(parent)));
    if (!ready.length) throw new Error(`lookups form a cycle among ${pending.join(', ')}`);
    ordered.push(...ready);
    pending = pending.filter((name) => !ready.includes(name));
  }
  return ordered;
}

function insertRecords(org: LocalOrg, scope: CaseScope, caseName: string, records: Record<string, Row[]>): void {
  for (const objectName of insertOrder(org, Object.keys(records))) {
    for (const spec of records[objectName]!) {
      const ref = typeof spec.ref === 'string' ? spec.ref : undefined;
      const values: Row = {};
      let createdDate: unknown;
      for (const [field, raw] of Object.entries(spec)) {
        if (field === 'ref') continue;
        const where = `${caseName}: ${objectName} record ${ref ?? '(no ref)'}, field ${field}`;
        const describe = org.store.schema.field(objectName, field);
        if (!describe) throw new Error(`${where} does not exist`);
        const value = scope.resolve(raw);
        if (field === 'CreatedDate') createdDate = value;
        else if (!describe.createable) throw new Error(`${where} cannot be set on insert`);
        else values[field] = value;
      }
      const [result] = org.store.write([{ kind: 'insert', object: objectName, values }]);
      if (!result?.success) {
        throw new Error(`${caseName}: inserting ${objectName} ${ref ?? ''}: ${result?.errors[0]?.message}`);
      }
      // Test.setCreatedDate in Apex; a platform write here.
      if (createdDate !== undefined) {
        org.store.write(
          [{ kind: 'update', object: objectName, id: result.id!, values: { CreatedDate: createdDate } }],
          {
            system: true
          }
        );
      }
      if (ref) {
        scope.ids.set(ref, result.id!);
        scope.types.set(ref, objectName);
      }
    }
  }
}

/** Handoff_Setting__mdt Default as the case sees it (Apex: ForecastSlot.settingsOverride). */
function useSettings(org: LocalOrg, settings: Row | undefined): void {
  if (!settings) return;
  const [current] = org.store.query("SELECT Id FROM Handoff_Setting__mdt WHERE DeveloperName = 'Default' LIMIT 1");
  const values = { Forecast_Stale_After_Hours__c: null, Expected_Weekly_Engagements__c: null, ...settings };
  const [result] = current
    ? org.store.write([{ kind: 'update', object: 'Handoff_Setting__mdt', id: String(current.Id), values }], {
        system: true
      })
    : org.store.write(
        [
          {
            kind: 'insert',
            object: 'Handoff_Setting__mdt',
            values: { DeveloperName: 'Default', MasterLabel: 'Default', Label: 'Default', ...values }
          }
        ],
        { system: true }
      );
  if (!result?.success) throw new Error(`settings: ${result?.errors[0]?.message}`);
}

export interface CaseOutcome {
  /** Why the case does not run here (runAs cases), or undefined. */
  skipped?: string;
  differences: string[];
}

/**
 * Runs one case: resets the org, writes the records, calls the twin `<controller>.<method>` and compares.
 * @param methods the twins (APEX_METHODS; a planted-defect test passes a drifted one)
 */
export function runControllerCase(
  org: LocalOrg,
  vectors: ControllerVectors,
  vector: ControllerCase,
  methods: Map<string, ApexMethod> = APEX_METHODS
): CaseOutcome {
  if (vector.runAs) {
    return { skipped: 'runAs: the local org has one admin user and no sharing or field access', differences: [] };
  }
  const twin = methods.get(`${vectors.controller}.${vector.call.method}`);
  if (!twin) return { differences: [`no preview twin for ${vectors.controller}.${vector.call.method}`] };
  org.reset();
  const scope = new CaseScope(org);
  useSettings(org, vector.settings ?? vectors.settings);
  insertRecords(org, scope, vector.name, vector.records ?? {});
  const args = (scope.resolve(vector.call.args ?? {}) ?? {}) as Row;
  let result: unknown;
  try {
    result = twin(org, args);
  } catch (error) {
    if (!(error instanceof AuraHandledError)) throw error;
    if (vector.expect.error === undefined) return { differences: [`unexpected error: ${error.message}`] };
    return {
      differences:
        error.message === vector.expect.error
          ? []
          : [`error: expected ${show(vector.expect.error)}, got ${show(error.message)}`]
    };
  }
  if (vector.expect.error !== undefined || vector.expect.throws !== undefined) {
    return { differences: [`expected an error, got ${show(result)}`] };
  }
  if (!('result' in vector.expect)) return { differences: ['expect has neither result nor error'] };
  // Through JSON, as the Apex test compares JSON.serialize of the result.
  const serialised: unknown = result === undefined ? null : JSON.parse(JSON.stringify(result));
  return { differences: compare(scope.resolve(vector.expect.result), serialised) };
}
