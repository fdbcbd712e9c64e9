import type { FieldDef, ObjectDef } from '@handoff/schema';
import { storageKind } from '../schema/field-types';
import type { OrgSchema } from '../schema/org-schema';
import type { SqlValue } from '../store/database';
import { columnOf, tableOf } from '../store/tables';
import type { Condition, FieldRef, Literal, SelectItem, SoqlQuery, ValueExpr } from './ast';
import { dateLiteralRange, type DateRange } from './date-literals';
import { badRelationship, filterError, malformed, noSuchColumn, queryError, unsupportedType } from './errors';
import { literalValue, unquote } from './literals';

export interface CompileContext {
  schema: OrgSchema;
  soql: string;
  now: Date;
  userId: string;
  /** queryAll: include deleted records. */
  scanAll: boolean;
}

/** How one record of a records-mode result is put together from a result row. */
export interface RecordShape {
  object: ObjectDef;
  /** Result column holding this level's record Id. */
  idColumn: string;
  entries: ShapeEntry[];
}

export type ShapeEntry =
  | { kind: 'field'; name: string; field: FieldDef; column: string }
  | { kind: 'parent'; name: string; relationship: FieldDef; shape: RecordShape }
  | { kind: 'children'; name: string; query: CompiledQuery };

/** A column of an aggregate result (`expr0`, an alias, or a grouped field's name). */
export interface AggregateColumn {
  name: string;
  column: string;
  /** Field whose type the value has (grouped field, MIN/MAX argument); undefined for counts and sums. */
  field?: FieldDef;
  /** COUNT, SUM, CALENDAR_YEAR, ... or undefined for a grouped field. */
  fn?: string;
  displayName: string;
  aggregate: boolean;
}

export interface CompiledQuery {
  object: ObjectDef;
  mode: 'records' | 'count' | 'aggregate';
  select: string[];
  from: string;
  where: string[];
  groupBy: string[];
  having?: string;
  orderBy: string[];
  params: SqlValue[];
  limit?: number;
  offset?: number;
  shape: RecordShape;
  aggregates: AggregateColumn[];
  /** For a child subquery: the SQL expression of the child's lookup to its parent. */
  parentLink?: string;
  hasSubqueries: boolean;
}

const AGGREGATES = new Set(['COUNT', 'COUNT_DISTINCT', 'SUM', 'AVG', 'MIN', 'MAX']);
const DATE_FUNCTIONS: Record<string, (sql: string) => string> = {
  CALENDAR_YEAR: (sql) => `CAST(strftime('%Y', ${sql}) AS INTEGER)`,
  CALENDAR_QUARTER: (sql) => `((CAST(strftime('%m', ${sql}) AS INTEGER) + 2) / 3)`,
  CALENDAR_MONTH: (sql) => `CAST(strftime('%m', ${sql}) AS INTEGER)`,
  DAY_IN_MONTH: (sql) => `CAST(strftime('%d', ${sql}) AS INTEGER)`,
  DAY_IN_WEEK: (sql) => `(CAST(strftime('%w', ${sql}) AS INTEGER) + 1)`,
  DAY_IN_YEAR: (sql) => `CAST(strftime('%j', ${sql}) AS INTEGER)`,
  DAY_ONLY: (sql) => `substr(${sql}, 1, 10)`,
  HOUR_IN_DAY: (sql) => `CAST(strftime('%H', ${sql}) AS INTEGER)`,
  WEEK_IN_MONTH: (sql) => `((CAST(strftime('%d', ${sql}) AS INTEGER) - 1) / 7 + 1)`,
  WEEK_IN_YEAR: (sql) => `((CAST(strftime('%j', ${sql}) AS INTEGER) - 1) / 7 + 1)`,
  FISCAL_YEAR: (sql) => `CAST(strftime('%Y', ${sql}) AS INTEGER)`,
  FISCAL_QUARTER: (sql) => `((CAST(strftime('%m', ${sql}) AS INTEGER) + 2) / 3)`,
  FISCAL_MONTH: (sql) => `CAST(strftime('%m', ${sql}) AS INTEGER)`
};
/** Functions that pass the value through: labels equal values here, and there is one currency and locale. */
const PASS_THROUGH = new Set(['TOLABEL', 'FORMAT', 'CONVERTCURRENCY']);

const sqlText = (text: string) => `'${text.replace(/'/g, "''")}'`;
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

interface Resolved {
  sql: string;
  field: FieldDef;
  /** Relationship hops from the query's object, with the join alias and object of each. */
  chain: { relationship: FieldDef; alias: string; object: ObjectDef }[];
}

interface Scalar {
  sql: string;
  /** Field whose type the expression has; undefined for numeric function results. */
  field?: FieldDef;
  aggregate: boolean;
}

let aliasCounter = 0;

/** Compiles one SOQL query (and its subqueries) to SQLite over the org's tables. */
export class QueryCompiler {
  private readonly base: string;
  private readonly joins = new Map<string, { alias: string; object: ObjectDef }>();
  private readonly joinSql: string[] = [];
  private readonly select: string[] = [];
  private readonly params: SqlValue[];

  private constructor(
    private readonly context: CompileContext,
    private readonly object: ObjectDef,
    private readonly query: SoqlQuery,
    params: SqlValue[]
  ) {
    this.base = `t${++aliasCounter}`;
    this.params = params;
  }

  static compile(context: CompileContext, query: SoqlQuery): CompiledQuery {
    const object = context.schema.object(query.from);
    if (!object || !context.schema.queryable(object)) throw unsupportedType(context.soql, query.from);
    return new QueryCompiler(context, object, query, []).compileQuery();
  }

  private compileChild(query: SoqlQuery): CompiledQuery {
    if (query.select.some((item) => item.kind === 'subquery')) {
      throw malformed(this.context.soql, 'Nesting of semi join sub-selects is not supported', query.from);
    }
    const relationship = this.context.schema.childRelationship(this.object.name, query.from);
    const child = relationship && this.context.schema.object(relationship.childObject);
    if (!relationship || !child) throw badRelationship(this.context.soql, query.from, 'FROM');
    const compiler = new QueryCompiler(this.context, child, query, []);
    const compiled = compiler.compileQuery();
    compiled.parentLink = `${compiler.base}.${columnOf(relationship.field)}`;
    return compiled;
  }

  private compileQuery(): CompiledQuery {
    const { query, context } = this;
    const items = this.expandFields(query.select);
    const hasAggregate = items.some((item) => item.kind === 'fn' && AGGREGATES.has(item.fn.name));
    const isCount =
      items.length === 1 && items[0]!.kind === 'fn' && items[0]!.fn.name === 'COUNT' && items[0]!.fn.args.length === 0;
    const mode =
      isCount && query.groupBy.length === 0 ? 'count' : hasAggregate || query.groupBy.length ? 'aggregate' : 'records';
    const shape: RecordShape = {
      object: this.object,
      idColumn: mode === 'records' ? this.addSelect(`${this.base}.id`) : '',
      entries: []
    };
    if (mode !== 'records' && items.some((item) => item.kind === 'subquery')) {
      throw malformed(context.soql, 'Aggregate queries do not support child relationship subqueries', query.from);
    }
    const where: string[] = [];
    if (this.metaHas('isdeleted') && !context.scanAll) where.push(`${this.base}.isdeleted = 0`);
    if (query.scope === 'mine' && this.metaHas('ownerid')) {
      where.push(`${this.base}.ownerid = ?`);
      this.params.push(context.userId);
    }
    const aggregates: AggregateColumn[] = [];
    const groupBy: string[] = [];
    if (mode === 'records') {
      for (const item of items) this.addRecordItem(shape, item);
    }
    if (query.where) where.push(this.condition(query.where, false));
    let having: string | undefined;
    if (mode === 'aggregate') {
      for (const expr of query.groupBy) groupBy.push(this.scalar(expr, false).sql);
      let exprIndex = 0;
      for (const item of items) {
        if (item.kind === 'field') {
          const scalar = this.scalar(item.ref, false);
          if (!groupBy.includes(scalar.sql)) {
            throw malformed(context.soql, `Field must be grouped or aggregated: ${item.ref.raw}`, item.ref.raw);
          }
          aggregates.push({
            name: item.alias ?? scalar.field!.name,
            column: this.addSelect(scalar.sql),
            field: scalar.field,
            displayName: item.alias ?? scalar.field!.name,
            aggregate: false
          });
        } else if (item.kind === 'fn') {
          const scalar = this.scalar(item.fn, true);
          if (!scalar.aggregate && !groupBy.includes(scalar.sql)) {
            throw malformed(context.soql, `Field must be grouped or aggregated: ${item.fn.raw}`, item.fn.raw);
          }
          const name = item.alias ?? `expr${exprIndex++}`;
          aggregates.push({
            name,
            column: this.addSelect(scalar.sql),
            field:
              item.fn.name === 'MIN' || item.fn.name === 'MAX' || PASS_THROUGH.has(item.fn.name)
                ? scalar.field
                : undefined,
            fn: item.fn.name,
            displayName: item.alias ?? item.fn.raw,
            aggregate: true
          });
        }
      }
      if (query.having) having = this.condition(query.having, true);
    } else if (mode === 'count') {
      this.select.push('COUNT(*) AS c0');
      if (query.having) throw malformed(context.soql, 'HAVING needs GROUP BY', 'HAVING');
    }
    const orderBy = mode === 'count' ? [] : query.orderBy.map((item) => this.orderItem(item, mode === 'aggregate'));
    if (mode === 'records') orderBy.push(`${this.base}.rowid`);
    if (query.offset !== undefined && query.offset > 2000) {
      throw queryError(context.soql, 'NUMBER_OUTSIDE_VALID_RANGE', 'Maximum SOQL offset allowed is 2000', 'OFFSET');
    }
    return {
      object: this.object,
      mode,
      select: this.select,
      from: `${tableOf(this.object)} ${this.base}${this.joinSql.map((join) => ` ${join}`).join('')}`,
      where,
      groupBy,
      having,
      orderBy,
      params: this.params,
      limit: query.limit,
      offset: query.offset,
      shape,
      aggregates,
      hasSubqueries: shape.entries.some((entry) => entry.kind === 'children')
    };
  }

  private metaHas(column: string): boolean {
    return this.object.fields.some((field) => field.name.toLowerCase() === column);
  }

  private addSelect(sql: string): string {
    const alias = `c${this.select.length}`;
    this.select.push(`${sql} AS ${alias}`);
    return alias;
  }

  /** FIELDS(ALL | STANDARD | CUSTOM) expanded to the object's fields. */
  private expandFields(items: SelectItem[]): SelectItem[] {
    const result: SelectItem[] = [];
    for (const item of items) {
      if (item.kind !== 'fields') {
        result.push(item);
        continue;
      }
      if (item.mode !== 'STANDARD' && (this.query.limit === undefined || this.query.limit > 200)) {
        throw malformed(this.context.soql, 'The SOQL FIELDS function must specify a LIMIT of at most 200', 'FIELDS');
      }
      for (const field of this.object.fields) {
        if (item.mode === 'ALL' || (item.mode === 'CUSTOM') === field.custom) {
          result.push({ kind: 'field', ref: { kind: 'field', path: [field.name], raw: field.name } });
        }
      }
    }
    return result;
  }

  private addRecordItem(shape: RecordShape, item: SelectItem): void {
    if (item.kind === 'subquery') {
      const compiled = this.compileChild(item.query);
      const name = this.context.schema.childRelationship(this.object.name, item.query.from)!.relationshipName;
      shape.entries.push({ kind: 'children', name, query: compiled });
      return;
    }
    let ref: FieldRef;
    if (item.kind === 'fn') {
      const arg = item.fn.args[0];
      if (!PASS_THROUGH.has(item.fn.name) || item.fn.args.length !== 1 || arg?.kind !== 'field') {
        throw malformed(
          this.context.soql,
          AGGREGATES.has(item.fn.name) || DATE_FUNCTIONS[item.fn.name]
            ? `Field must be grouped or aggregated: ${item.fn.raw}`
            : `function ${item.fn.name} is not supported by the local org`,
          item.fn.name
        );
      }
      ref = arg;
    } else if (item.kind === 'field') {
      ref = item.ref;
    } else {
      return;
    }
    const resolved = this.resolve(ref);
    let level = shape;
    for (const hop of resolved.chain) {
      let entry = level.entries.find(
        (candidate): candidate is Extract<ShapeEntry, { kind: 'parent' }> =>
          candidate.kind === 'parent' && candidate.relationship === hop.relationship
      );
      if (!entry) {
        entry = {
          kind: 'parent',
          name: hop.relationship.relationshipName!,
          relationship: hop.relationship,
          shape: { object: hop.object, idColumn: this.addSelect(`${hop.alias}.id`), entries: [] }
        };
        level.entries.push(entry);
      }
      level = entry.shape;
    }
    if (level.entries.some((entry) => entry.kind === 'field' && entry.field === resolved.field)) return;
    level.entries.push({
      kind: 'field',
      name: resolved.field.name,
      field: resolved.field,
      column: this.addSelect(resolved.sql)
    });
  }

  /** A dotted field path: joins for each relationship hop, then the column. */
  private resolve(ref: FieldRef): Resolved {
    const { schema, soql } = this.context;
    let segments = ref.path;
    if (
      segments.length > 1 &&
      ((this.query.alias && same(segments[0]!, this.query.alias)) ||
        (same(segments[0]!, this.object.name) && !schema.relationship(this.object.name, segments[0]!)))
    ) {
      segments = segments.slice(1);
    }
    let object = this.object;
    let alias = this.base;
    let key = '';
    const chain: Resolved['chain'] = [];
    for (const segment of segments.slice(0, -1)) {
      const relationship = schema.relationship(object.name, segment);
      const target = relationship?.referenceTo?.[0] ? schema.object(relationship.referenceTo[0]) : undefined;
      if (!relationship || !target) throw badRelationship(soql, segment, 'field path');
      key = `${key}.${segment.toLowerCase()}`;
      let join = this.joins.get(key);
      if (!join) {
        join = { alias: `${this.base}j${this.joins.size + 1}`, object: target };
        this.joins.set(key, join);
        this.joinSql.push(
          `LEFT JOIN ${tableOf(target)} ${join.alias} ON ${join.alias}.id = ${alias}.${columnOf(relationship)}`
        );
      }
      chain.push({ relationship, alias: join.alias, object: target });
      object = target;
      alias = join.alias;
    }
    const name = segments[segments.length - 1]!;
    const field = schema.field(object.name, name);
    if (!field) throw noSuchColumn(soql, name, object.name);
    return { sql: `${alias}.${columnOf(field)}`, field, chain };
  }

  /** A field or function as an SQL expression, with the field whose type it has. */
  private scalar(expr: ValueExpr, allowAggregates: boolean): Scalar {
    if (expr.kind === 'field') {
      const resolved = this.resolve(expr);
      return { sql: resolved.sql, field: resolved.field, aggregate: false };
    }
    const { soql } = this.context;
    const argument = expr.args[0];
    if (AGGREGATES.has(expr.name)) {
      if (!allowAggregates) throw malformed(soql, `Aggregate functions are not allowed here: ${expr.raw}`, expr.name);
      if (expr.name === 'COUNT' && !argument) return { sql: 'COUNT(*)', aggregate: true };
      if (!argument || argument.kind !== 'field') throw malformed(soql, `invalid argument to ${expr.name}`, expr.name);
      const inner = this.scalar(argument, false);
      const kind = storageKind(inner.field!);
      if ((expr.name === 'SUM' || expr.name === 'AVG') && kind !== 'number') {
        throw queryError(
          soql,
          'INVALID_FIELD',
          `field ${inner.field!.name} does not support aggregate operator ${expr.name}`,
          argument.raw
        );
      }
      const sql = expr.name === 'COUNT_DISTINCT' ? `COUNT(DISTINCT ${inner.sql})` : `${expr.name}(${inner.sql})`;
      return { sql, field: inner.field, aggregate: true };
    }
    const dateFunction = DATE_FUNCTIONS[expr.name];
    if (dateFunction) {
      if (!argument || argument.kind !== 'field') throw malformed(soql, `invalid argument to ${expr.name}`, expr.name);
      const inner = this.scalar(argument, false);
      const kind = storageKind(inner.field!);
      if (kind !== 'date' && kind !== 'datetime') {
        throw queryError(
          soql,
          'INVALID_FIELD',
          `${expr.name} can only be applied to date and datetime fields`,
          argument.raw
        );
      }
      return {
        sql: dateFunction(inner.sql),
        field: expr.name === 'DAY_ONLY' ? { ...inner.field!, type: 'Date' } : undefined,
        aggregate: false
      };
    }
    if (PASS_THROUGH.has(expr.name) && argument?.kind === 'field') return this.scalar(argument, allowAggregates);
    throw malformed(soql, `function ${expr.name} is not supported by the local org`, expr.name);
  }

  private orderItem(
    item: { expr: ValueExpr; descending: boolean; nulls?: 'FIRST' | 'LAST' },
    aggregate: boolean
  ): string {
    const scalar = this.scalar(item.expr, aggregate);
    let sql = scalar.sql;
    if (
      scalar.field &&
      storageKind(scalar.field) === 'picklist' &&
      !scalar.aggregate &&
      scalar.field.picklistValues?.length
    ) {
      // Picklists sort in their definition order, not alphabetically.
      const cases = scalar.field.picklistValues.map((value, index) => `WHEN ${sql} = ${sqlText(value)} THEN ${index}`);
      sql = `CASE WHEN ${sql} IS NULL THEN NULL ${cases.join(' ')} ELSE ${cases.length} END, ${sql}`;
      const direction = item.descending ? 'DESC' : 'ASC';
      const nulls = item.nulls ?? (item.descending ? 'LAST' : 'FIRST');
      return sql
        .split(', ')
        .map((part) => `${part} ${direction} NULLS ${nulls}`)
        .join(', ');
    }
    return `${sql} ${item.descending ? 'DESC' : 'ASC'} NULLS ${item.nulls ?? (item.descending ? 'LAST' : 'FIRST')}`;
  }

  /** WHERE / HAVING as SQL. NOT treats an unknown (null) comparison as false, so NOT includes the nulls. */
  private condition(condition: Condition, allowAggregates: boolean): string {
    switch (condition.kind) {
      case 'and':
        return `(${this.condition(condition.left, allowAggregates)} AND ${this.condition(condition.right, allowAggregates)})`;
      case 'or':
        return `(${this.condition(condition.left, allowAggregates)} OR ${this.condition(condition.right, allowAggregates)})`;
      case 'not':
        return `NOT IFNULL((${this.condition(condition.operand, allowAggregates)}), 0)`;
      default:
        return this.comparison(condition, allowAggregates);
    }
  }

  private comparison(condition: Extract<Condition, { kind: 'compare' }>, allowAggregates: boolean): string {
    const { soql } = this.context;
    const lhs = this.scalar(condition.lhs, allowAggregates);
    const field = lhs.field;
    const kind =
      field && !(lhs.aggregate && condition.lhs.kind === 'fn' && /^COUNT/.test(condition.lhs.name))
        ? storageKind(field)
        : 'number';
    const numericFunction = condition.lhs.kind === 'fn' && (!field || /^COUNT/.test(condition.lhs.name));
    const token = condition.lhs.raw;
    const { operator } = condition;
    if (condition.subquery) {
      if (operator !== 'IN' && operator !== 'NOT IN')
        throw malformed(soql, 'semi join sub-selects need IN or NOT IN', token);
      const inner = this.semiJoin(condition.subquery);
      return operator === 'IN' ? `${lhs.sql} IN (${inner})` : `(${lhs.sql} IS NULL OR ${lhs.sql} NOT IN (${inner}))`;
    }
    const value = (literal: Literal): SqlValue =>
      numericFunction ? this.numberLiteral(literal, token) : literalValue(soql, field!, literal);
    const isRange = (literal: Literal) => literal.type === 'DATE_LITERAL' || literal.type === 'DATE_N_LITERAL';
    if (operator === 'LIKE') {
      const literal = condition.values[0];
      if (
        !literal ||
        literal.type !== 'STRING' ||
        numericFunction ||
        !['text', 'picklist', 'multipicklist', 'time'].includes(kind)
      ) {
        throw filterError(soql, `invalid operator on field: ${token}`, token);
      }
      this.params.push(unquote(literal.text, true));
      return `${lhs.sql} LIKE ? ESCAPE '\\'`;
    }
    if (operator === 'INCLUDES' || operator === 'EXCLUDES') {
      if (kind !== 'multipicklist')
        throw filterError(soql, `includes or excludes operator only valid on multipicklist field`, token);
      const groups = condition.values.map((literal) => {
        const parts = unquote(literal.text)
          .split(';')
          .map((part) => part.trim())
          .filter(Boolean);
        return `(${parts
          .map((part) => {
            this.params.push(`%;${part.replace(/[\\%_]/g, '\\$&')};%`);
            return `(';' || ${lhs.sql} || ';') LIKE ? ESCAPE '\\'`;
          })
          .join(' AND ')})`;
      });
      const includes = `(${groups.join(' OR ')})`;
      return operator === 'INCLUDES' ? includes : `(${lhs.sql} IS NULL OR NOT ${includes})`;
    }
    if (operator === 'IN' || operator === 'NOT IN') {
      const parts: string[] = [];
      const plain = condition.values.filter((literal) => literal.type !== 'NULL' && !isRange(literal));
      if (plain.length) {
        parts.push(`${lhs.sql} IN (${plain.map(() => '?').join(', ')})`);
        for (const literal of plain) this.params.push(value(literal));
      }
      for (const literal of condition.values.filter(isRange)) parts.push(this.range('=', lhs.sql, kind, literal));
      if (condition.values.some((literal) => literal.type === 'NULL')) parts.push(`${lhs.sql} IS NULL`);
      const any = parts.length ? `(${parts.join(' OR ')})` : '0';
      return operator === 'IN' ? any : `NOT IFNULL(${any}, 0)`;
    }
    const literal = condition.values[0];
    if (!literal || condition.list) throw malformed(soql, `unexpected token: ${operator}`, operator);
    if (literal.type === 'NULL') {
      if (operator === '=') return `${lhs.sql} IS NULL`;
      if (operator === '!=') return `${lhs.sql} IS NOT NULL`;
      throw filterError(soql, `invalid operator on null value: ${operator}`, token);
    }
    if (isRange(literal)) {
      if (kind !== 'date' && kind !== 'datetime') {
        throw filterError(
          soql,
          `value of filter criterion for field '${token}' must be of type ${kind === 'number' ? 'double' : 'string'}`,
          literal.text
        );
      }
      return this.range(operator, lhs.sql, kind, literal);
    }
    if (kind === 'boolean' && operator !== '=' && operator !== '!=') {
      throw filterError(soql, `invalid operator on boolean field: ${operator}`, token);
    }
    this.params.push(value(literal));
    if (operator === '!=') return `${lhs.sql} IS NOT ?`;
    return `${lhs.sql} ${operator} ?`;
  }

  private numberLiteral(literal: Literal, token: string): number {
    if (literal.type !== 'INTEGER' && literal.type !== 'DECIMAL') {
      throw filterError(this.context.soql, `value of filter criterion for ${token} must be a number`, literal.text);
    }
    return Number(literal.text);
  }

  /** A comparison against a date literal, which stands for a range of days. */
  private range(operator: string, sql: string, kind: string, literal: Literal): string {
    const bounds: DateRange | undefined = dateLiteralRange(literal.text, this.context.now);
    if (!bounds) throw malformed(this.context.soql, `unexpected token: ${literal.text}`, literal.text);
    const bound = (day: string) => {
      this.params.push(kind === 'datetime' ? `${day}T00:00:00.000Z` : day);
      return '?';
    };
    switch (operator) {
      case '=':
        return `(${sql} >= ${bound(bounds.start)} AND ${sql} < ${bound(bounds.end)})`;
      case '!=':
        return `(${sql} IS NULL OR ${sql} < ${bound(bounds.start)} OR ${sql} >= ${bound(bounds.end)})`;
      case '<':
        return `${sql} < ${bound(bounds.start)}`;
      case '<=':
        return `${sql} < ${bound(bounds.end)}`;
      case '>':
        return `${sql} >= ${bound(bounds.end)}`;
      case '>=':
        return `${sql} >= ${bound(bounds.start)}`;
      default:
        throw filterError(this.context.soql, `invalid operator on date field: ${operator}`, literal.text);
    }
  }

  /** `Id IN (SELECT AccountId FROM Contact WHERE ...)`: the inner query's single Id or reference column. */
  private semiJoin(query: SoqlQuery): string {
    const { schema, soql } = this.context;
    const object = schema.object(query.from);
    if (!object || !schema.queryable(object)) throw unsupportedType(soql, query.from);
    const item = query.select[0];
    if (query.select.length !== 1 || item?.kind !== 'field') {
      throw malformed(soql, 'semi join sub-selects must select exactly one Id or reference field', query.from);
    }
    const compiler = new QueryCompiler(this.context, object, query, this.params);
    const resolved = compiler.resolve(item.ref);
    const kind = storageKind(resolved.field);
    if (kind !== 'id' && kind !== 'reference') {
      throw malformed(
        soql,
        `semi join sub-selects must select an Id or reference field, not ${item.ref.raw}`,
        item.ref.raw
      );
    }
    const where: string[] = [];
    if (compiler.metaHas('isdeleted')) where.push(`${compiler.base}.isdeleted = 0`);
    if (query.where) where.push(compiler.condition(query.where, false));
    const from = `${tableOf(object)} ${compiler.base}${compiler.joinSql.map((join) => ` ${join}`).join('')}`;
    return `SELECT ${resolved.sql} FROM ${from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
  }
}
