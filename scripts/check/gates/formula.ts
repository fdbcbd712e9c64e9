import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  compileFormula,
  formulaTypeOf,
  FormulaError,
  loadSchema,
  type CompileOptions,
  type FieldDef,
  type ObjectDef,
  type Schema,
  type SourceLocation
} from '@handoff/schema';
import type { Finding, Gate } from '../gate';
import { lineAt, listFiles, packageDirectories, relative } from '../paths';

const oneLine = (source: string) => source.replace(/\s+/g, ' ').trim();

/**
 * Every formula in the package, checked as Salesforce checks it when the metadata is saved: validation rules
 * (Boolean), formula fields (the field's type) and roll-up summaries (child object, master-detail field, summarized
 * and filter fields). Fields, objects and custom permissions must exist, functions must be real ones with the right
 * parameter types. A formula the local org cannot evaluate fails too, with the reason: the local org would not
 * enforce it, so nothing here would show that it works.
 */
export const formulaGate: Gate = {
  id: 'formula',
  title: 'Validation rules, formula fields and roll-up summaries: fields, functions and result types',
  async run({ root }) {
    const schema = loadSchema(root);
    const permissions = new Set(
      packageDirectories(root)
        .flatMap((dir) => listFiles(dir, (file) => file.endsWith('.customPermission-meta.xml')))
        .map((file) => path.basename(file, '.customPermission-meta.xml').toLowerCase())
    );
    const findings: Finding[] = [];
    let checked = 0;
    const check = (
      object: ObjectDef,
      what: string,
      source: string,
      location: SourceLocation | undefined,
      options: CompileOptions
    ) => {
      checked++;
      const formula = `${what}: ${oneLine(source)}`;
      const at = { file: location?.file ?? `objects/${object.name}`, line: location?.line };
      try {
        const compiled = compileFormula(source, schema, object.name, { ...options, customPermissions: permissions });
        if (compiled.contextual && !options.saveContext) {
          findings.push({
            ...at,
            severity: 'error',
            rule: 'formula:unsupported',
            message: `${formula} — reads NOW(), TODAY(), $User or $Permission: the local org does not evaluate such formula fields`
          });
        }
      } catch (error) {
        if (!(error instanceof FormulaError)) throw error;
        const reason =
          error.kind === 'unsupported' ? `the local org cannot evaluate it: ${error.message}` : error.message;
        findings.push({ ...at, severity: 'error', rule: `formula:${error.kind}`, message: `${formula} — ${reason}` });
      }
    };
    for (const object of schema.objects()) {
      for (const rule of object.validationRules ?? []) {
        check(object, `validation rule ${object.name}.${rule.name}`, rule.formula, rule.source, {
          returnType: 'checkbox',
          saveContext: true
        });
        if (rule.errorDisplayField && !schema.field(object.name, rule.errorDisplayField)) {
          findings.push({
            file: rule.source.file,
            line: rule.source.line,
            severity: 'error',
            rule: 'formula:unknown-field',
            message: `validation rule ${object.name}.${rule.name}: errorDisplayField ${rule.errorDisplayField} is not a field of ${object.name}`
          });
        }
      }
      for (const field of object.fields) {
        if (field.formula) {
          check(object, `formula field ${object.name}.${field.name}`, field.formula, field.source, {
            returnType: formulaTypeOf(field),
            blankAsZero: field.formulaTreatBlanksAs === 'BlankAsZero'
          });
        }
        if (field.summary) {
          checked++;
          findings.push(...summaryFindings(schema, object, field));
        }
      }
    }
    // Formulas in any other metadata (workflow field updates, flows, ...) are not checked here: say so, never pass them.
    for (const dir of packageDirectories(root)) {
      for (const file of listFiles(dir, (name) => name.endsWith('-meta.xml'))) {
        if (/\.(field|validationRule)-meta\.xml$/.test(file)) continue;
        const text = fs.readFileSync(file, 'utf8');
        const match = /<(formula|formulas|errorConditionFormula)>/.exec(text);
        if (!match) continue;
        findings.push({
          file: relative(root, file),
          line: lineAt(text, match.index),
          severity: 'error',
          rule: 'formula:unchecked',
          message: `<${match[1]}> in ${path.basename(file)} is formula metadata the formula gate does not check yet (and the local org does not run)`
        });
      }
    }
    return { findings, checked: `${checked} formulas and roll-ups` };
  }
};

function summaryFindings(schema: Schema, object: ObjectDef, field: FieldDef): Finding[] {
  const summary = field.summary!;
  const what = `roll-up summary ${object.name}.${field.name}`;
  const finding = (message: string): Finding => ({
    file: field.source?.file ?? `objects/${object.name}`,
    line: field.source?.line,
    severity: 'error',
    rule: 'formula:summary',
    message: `${what}: ${message}`
  });
  const child = schema.object(summary.childObject);
  if (!child) return [finding(`summaryForeignKey names unknown object ${summary.childObject}`)];
  const foreignKey = schema.field(child.name, summary.foreignKey);
  if (!foreignKey || foreignKey.type !== 'MasterDetail' || !foreignKey.referenceTo?.includes(object.name)) {
    return [finding(`${child.name}.${summary.foreignKey} is not a master-detail field to ${object.name}`)];
  }
  const findings: Finding[] = [];
  if (summary.operation !== 'count') {
    const summarized = summary.field === undefined ? undefined : schema.field(child.name, summary.field);
    if (!summarized)
      findings.push(finding(`summarizedField ${summary.field ?? '(none)'} is not a field of ${child.name}`));
    else if (formulaTypeOf(summarized) !== 'number') {
      findings.push(
        finding(`the local org cannot evaluate it: only numeric fields are summed, or compared for MIN/MAX`)
      );
    }
  }
  for (const filter of summary.filters) {
    if (!schema.field(child.name, filter.field)) {
      findings.push(finding(`filter field ${filter.field} is not a field of ${child.name}`));
    }
  }
  return findings;
}
