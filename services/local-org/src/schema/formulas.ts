import {
  compileFormula,
  formulaTypeOf,
  FormulaError,
  type CompiledFormula,
  type FieldDef,
  type ObjectDef,
  type Schema,
  type ValidationRuleDef
} from '@handoff/schema';
import type { SqlValue } from '../store/database';
import { columnOf, tableOf } from '../store/tables';

export interface CompiledRule {
  rule: ValidationRuleDef;
  formula: CompiledFormula;
}

export interface CompiledFormulaField {
  field: FieldDef;
  column: string;
  formula: CompiledFormula;
}

/** A roll-up summary as SQL over the child table: `sql` takes the parent Id and answers one row `{ v }`. */
export interface CompiledRollUp {
  parent: ObjectDef;
  field: FieldDef;
  column: string;
  /** The child's master-detail column. */
  foreignKey: string;
  sql: string;
  params: SqlValue[];
  /** The same roll-up for every parent at once: rows `{ k: parent Id, v }`. */
  groupSql: string;
  /** Value for a parent with no children: 0 for COUNT and SUM, blank for MIN and MAX. */
  empty: number | null;
}

export interface ObjectFormulas {
  /** Active validation rules, in name order. */
  rules: CompiledRule[];
  /** Formula fields, each after the formula fields it reads. */
  fields: CompiledFormulaField[];
  /** Roll-up summary fields of this object (their value on insert). */
  summaries: CompiledRollUp[];
}

const EMPTY: ObjectFormulas = { rules: [], fields: [], summaries: [] };

const FILTER_OPERATORS: Record<string, string> = {
  equals: '=',
  notEqual: '<>',
  lessThan: '<',
  greaterThan: '>',
  lessOrEqual: '<=',
  greaterOrEqual: '>='
};

/**
 * Every validation rule, formula field and roll-up summary of the schema, compiled once when the schema loads
 * (a write evaluates closures, it never parses). What cannot be compiled is listed in `problems` with the reason;
 * such a rule or field is not evaluated (a formula field then reads blank), and the formula gate fails on it.
 */
export class OrgFormulas {
  readonly problems: string[] = [];
  private readonly byObject = new Map<string, ObjectFormulas>();
  private readonly rollUpsByChild = new Map<string, CompiledRollUp[]>();

  constructor(schema: Schema) {
    for (const object of schema.objects()) {
      const key = object.name.toLowerCase();
      const compiled: ObjectFormulas = { rules: [], fields: [], summaries: [] };
      for (const rule of object.validationRules ?? []) {
        if (!rule.active) continue;
        const formula = this.compile(schema, object, rule.formula, `validation rule ${object.name}.${rule.name}`, {
          returnType: 'checkbox',
          saveContext: true
        });
        if (formula) compiled.rules.push({ rule, formula });
      }
      const fields: CompiledFormulaField[] = [];
      for (const field of object.fields) {
        if (field.formula) {
          const what = `formula field ${object.name}.${field.name}`;
          const formula = this.compile(schema, object, field.formula, what, {
            returnType: formulaTypeOf(field),
            blankAsZero: field.formulaTreatBlanksAs === 'BlankAsZero'
          });
          if (formula?.contextual) {
            this.problems.push(
              `${what}: reads NOW(), TODAY(), $User or $Permission, which the local org does not evaluate on read (${field.source?.file ?? object.name})`
            );
          } else if (formula) {
            fields.push({ field, column: field.name.toLowerCase(), formula });
          }
        }
        if (field.summary) {
          const rollUp = this.rollUp(schema, object, field);
          if (rollUp) {
            compiled.summaries.push(rollUp);
            const child = field.summary.childObject.toLowerCase();
            this.rollUpsByChild.set(child, [...(this.rollUpsByChild.get(child) ?? []), rollUp]);
          }
        }
      }
      compiled.fields = ordered(fields);
      if (compiled.rules.length || compiled.fields.length || compiled.summaries.length)
        this.byObject.set(key, compiled);
    }
  }

  of(object: ObjectDef): ObjectFormulas {
    return this.byObject.get(object.name.toLowerCase()) ?? EMPTY;
  }

  /** Roll-ups that a change to a record of `child` can move. */
  rollUpsFrom(child: ObjectDef): CompiledRollUp[] {
    return this.rollUpsByChild.get(child.name.toLowerCase()) ?? [];
  }

  private compile(
    schema: Schema,
    object: ObjectDef,
    source: string,
    what: string,
    options: Parameters<typeof compileFormula>[3]
  ): CompiledFormula | undefined {
    try {
      return compileFormula(source, schema, object.name, options);
    } catch (error) {
      if (!(error instanceof FormulaError)) throw error;
      this.problems.push(`${what} is not evaluated: ${error.message}`);
      return undefined;
    }
  }

  private rollUp(schema: Schema, parent: ObjectDef, field: FieldDef): CompiledRollUp | undefined {
    const summary = field.summary!;
    const what = `roll-up summary ${parent.name}.${field.name}`;
    const child = schema.object(summary.childObject);
    const foreignKey = child && schema.field(child.name, summary.foreignKey);
    if (!child || !foreignKey) {
      this.problems.push(`${what} is not evaluated: ${summary.childObject}.${summary.foreignKey} does not exist`);
      return undefined;
    }
    const summarized = summary.field === undefined ? undefined : schema.field(child.name, summary.field);
    if (summary.operation !== 'count' && (!summarized || formulaTypeOf(summarized) !== 'number')) {
      this.problems.push(`${what} is not evaluated: only numeric fields are summed, or compared for MIN and MAX`);
      return undefined;
    }
    const where: string[] = [];
    if (child.fields.some((candidate) => candidate.name === 'IsDeleted')) where.push('"isdeleted" = 0');
    const params: SqlValue[] = [];
    for (const filter of summary.filters) {
      const filterField = schema.field(child.name, filter.field);
      const operator = FILTER_OPERATORS[filter.operation];
      if (!filterField || !operator) {
        this.problems.push(`${what} is not evaluated: filter ${filter.field} ${filter.operation} is not supported`);
        return undefined;
      }
      const type = formulaTypeOf(filterField);
      const values = filter.value.split(',').map((value): SqlValue => {
        const trimmed = value.trim();
        if (type === 'checkbox') return trimmed.toLowerCase() === 'true' ? 1 : 0;
        if (type === 'number') return Number(trimmed);
        return trimmed;
      });
      if (values.length > 1 && (operator === '=' || operator === '<>')) {
        where.push(
          `${columnOf(filterField)} ${operator === '=' ? 'IN' : 'NOT IN'} (${values.map(() => '?').join(', ')})`
        );
      } else {
        where.push(`${columnOf(filterField)} ${operator} ?`);
      }
      params.push(...values);
    }
    const aggregate =
      summary.operation === 'count' ? 'COUNT(*)' : `${summary.operation.toUpperCase()}(${columnOf(summarized!)})`;
    const filters = where.map((condition) => ` AND ${condition}`).join('');
    return {
      parent,
      field,
      column: field.name.toLowerCase(),
      foreignKey: foreignKey.name.toLowerCase(),
      sql: `SELECT ${aggregate} AS v FROM ${tableOf(child)} WHERE ${columnOf(foreignKey)} = ?${filters}`,
      groupSql: `SELECT ${columnOf(foreignKey)} AS k, ${aggregate} AS v FROM ${tableOf(child)} WHERE ${columnOf(foreignKey)} IS NOT NULL${filters} GROUP BY ${columnOf(foreignKey)}`,
      params,
      empty: summary.operation === 'count' || summary.operation === 'sum' ? 0 : null
    };
  }
}

/** Formula fields in an order where each comes after the formula fields it reads. */
function ordered(fields: CompiledFormulaField[]): CompiledFormulaField[] {
  const byColumn = new Map(fields.map((entry) => [entry.column, entry]));
  const result: CompiledFormulaField[] = [];
  const visiting = new Set<string>();
  const visit = (entry: CompiledFormulaField) => {
    if (result.includes(entry) || visiting.has(entry.column)) return;
    visiting.add(entry.column);
    for (const field of entry.formula.fields) {
      const dependency = byColumn.get(field.name.toLowerCase());
      if (dependency) visit(dependency);
    }
    result.push(entry);
  };
  fields.forEach(visit);
  return result;
}
