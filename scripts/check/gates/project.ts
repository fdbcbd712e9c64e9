import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { Finding, Gate } from '../gate';
import { jsonLines } from '../json-locations';
import { metadataTypes, type MetadataTypes } from '../metadata-types';
import { listFiles, relative } from '../paths';
import { REPO_ROOT } from '../process';

/**
 * The project's JSON files against the JSON schemas Salesforce publishes in `@salesforce/schemas` (the ones the
 * `sf` CLI and the VS Code extensions use): `sfdx-project.json` and the scratch org definitions in `config/`.
 * The scratch-def schema only says `settings` holds objects; each setting is a Metadata API Settings type
 * (`lightningExperienceSettings` is `LightningExperienceSettings`), so those are checked against the types of
 * `@salesforce/types` too.
 */
export const projectGate: Gate = {
  id: 'project',
  title: 'Project JSON',
  async run({ root }) {
    const findings: Finding[] = [];
    const files = [
      path.join(root, 'sfdx-project.json'),
      ...listFiles(path.join(root, 'config'), (name) => name.endsWith('scratch-def.json'))
    ];
    for (const file of files) {
      const name = relative(root, file);
      const report = (line: number | undefined, message: string, rule: string) =>
        findings.push({ file: name, line, message, rule: `project:${rule}`, severity: 'error' });
      if (!fs.existsSync(file)) {
        report(undefined, `${name} is missing`, 'json');
        continue;
      }
      const text = fs.readFileSync(file, 'utf8');
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch (failure) {
        const message = failure instanceof Error ? failure.message : String(failure);
        const line = /line (\d+)/.exec(message)?.[1];
        report(line ? Number(line) : undefined, `not valid JSON: ${message}`, 'json');
        continue;
      }
      const lines = jsonLines(text);
      const scratch = name !== 'sfdx-project.json';
      const validate = validator(scratch ? 'project-scratch-def.schema.json' : 'sfdx-project.schema.json');
      if (!validate(data)) {
        for (const error of relevantErrors(validate.errors ?? [])) {
          const { line, message } = describe(error, lines);
          report(line, message, 'schema');
        }
      }
      if (scratch) {
        for (const problem of settingsProblems(data, metadataTypes(), schemaSettings())) {
          report(lines.get(problem.pointer) ?? lines.get(`key:${problem.pointer}`), problem.message, 'settings');
        }
      }
    }
    return { findings, checked: `${files.length} files` };
  }
};

const validators = new Map<string, ValidateFunction>();

function schema(schemaFile: string): object {
  const schemas = path.dirname(require.resolve('@salesforce/schemas/package.json', { paths: [REPO_ROOT] }));
  return JSON.parse(fs.readFileSync(path.join(schemas, schemaFile), 'utf8')) as object;
}

function validator(schemaFile: string): ValidateFunction {
  let validate = validators.get(schemaFile);
  if (!validate) {
    validate = new Ajv({ allErrors: true }).compile(schema(schemaFile));
    validators.set(schemaFile, validate);
  }
  return validate;
}

/** The settings the published scratch-def schema names (some, like orgPreferenceSettings, are retired types). */
function schemaSettings(): Set<string> {
  const scratch = schema('project-scratch-def.schema.json') as {
    definitions: { settings: { properties: Record<string, unknown> } };
  };
  return new Set(Object.keys(scratch.definitions.settings.properties));
}

/**
 * With `anyOf`, ajv reports every branch's failures. The branch with the fewest is the one the author meant (a
 * package directory with one misspelt property fails the packaging branch once and the plain branch more), so only
 * its errors are kept.
 */
function relevantErrors(errors: ErrorObject[]): ErrorObject[] {
  let kept = errors;
  for (const anyOf of errors.filter((error) => error.keyword === 'anyOf' || error.keyword === 'oneOf')) {
    const prefix = anyOf.schemaPath.slice(0, -anyOf.keyword.length);
    const branches = new Map<string, ErrorObject[]>();
    for (const error of kept) {
      if (error === anyOf || !error.schemaPath.startsWith(prefix)) continue;
      const branch = error.schemaPath.slice(prefix.length).split('/')[1];
      branches.set(branch, [...(branches.get(branch) ?? []), error]);
    }
    if (branches.size === 0) continue;
    const best = [...branches.values()].sort((a, b) => a.length - b.length)[0];
    const dropped = new Set([anyOf, ...[...branches.values()].flat().filter((error) => !best.includes(error))]);
    kept = kept.filter((error) => !dropped.has(error));
  }
  return kept;
}

function describe(error: ErrorObject, lines: Map<string, number>): { line?: number; message: string } {
  const at = error.instancePath || '/';
  if (error.keyword === 'additionalProperties') {
    const property = String((error.params as { additionalProperty: string }).additionalProperty);
    const pointer = `${error.instancePath}/${property.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    return { line: lines.get(`key:${pointer}`), message: `unknown property "${property}" at ${at}` };
  }
  if (error.keyword === 'enum') {
    const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map((value) => JSON.stringify(value));
    return { line: lines.get(error.instancePath), message: `${at} must be one of ${allowed.join(', ')}` };
  }
  return { line: lines.get(error.instancePath), message: `${at} ${error.message ?? error.keyword}` };
}

interface SettingsProblem {
  pointer: string;
  message: string;
}

/**
 * Checks `settings` of a scratch org definition against the Metadata API Settings types: each setting a Settings
 * type (or one the published schema names), each preference a field of it with a value of its type. Required elements are
 * not checked: a scratch definition sets only the preferences it changes, and the CLI deploys them as a partial
 * Settings update.
 */
export function settingsProblems(
  definition: unknown,
  types: MetadataTypes,
  schemaNames: ReadonlySet<string> = new Set()
): SettingsProblem[] {
  const settings = (definition as { settings?: unknown }).settings;
  if (!settings || typeof settings !== 'object') return [];
  const problems: SettingsProblem[] = [];
  const check = (value: unknown, type: string, pointer: string, where: string): void => {
    const def = types.types.get(type);
    const primitive = def?.kind === 'primitive' ? def.primitive : type;
    if (primitive === 'any') return;
    if (primitive === 'boolean') {
      if (typeof value !== 'boolean') problems.push({ pointer, message: `${where} must be true or false` });
      return;
    }
    if (primitive === 'number') {
      if (typeof value !== 'number') problems.push({ pointer, message: `${where} must be a number` });
      return;
    }
    if (primitive === 'string') {
      if (typeof value !== 'string') problems.push({ pointer, message: `${where} must be a string` });
      return;
    }
    if (!def) return;
    if (def.kind === 'enum') {
      if (typeof value !== 'string' || !def.values.has(value)) {
        problems.push({ pointer, message: `${where} must be one of ${[...def.values].join(', ')} (${type})` });
      }
      return;
    }
    if (def.kind !== 'object') return;
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      problems.push({ pointer, message: `${where} must be an object (${type})` });
      return;
    }
    for (const [key, item] of Object.entries(value)) {
      const field = def.fields.get(key);
      const itemPointer = `${pointer}/${key}`;
      if (!field) {
        problems.push({ pointer: `key:${itemPointer}`, message: `${where} has no setting "${key}" (${type})` });
        continue;
      }
      if (field.array && Array.isArray(item)) {
        item.forEach((entry, index) =>
          check(entry, field.type, `${itemPointer}/${index}`, `${where}.${key}[${index}]`)
        );
      } else check(item, field.type, itemPointer, `${where}.${key}`);
    }
  };
  for (const [key, value] of Object.entries(settings)) {
    const type = key.charAt(0).toUpperCase() + key.slice(1);
    const def = types.types.get(type);
    if (def?.kind !== 'object' || !/Settings$/.test(type)) {
      // Named by Salesforce's schema but absent from the WSDL of this API version: accepted, not checked.
      if (schemaNames.has(key)) continue;
      problems.push({
        pointer: `key:/settings/${key}`,
        message: `settings.${key} is not a Metadata API Settings type (no ${type} in @salesforce/types ${types.version})`
      });
      continue;
    }
    check(value, type, `/settings/${key}`, `settings.${key}`);
  }
  return problems;
}
