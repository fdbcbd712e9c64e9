import { SalesforceError } from '../errors';
import type { OrgSchema } from '../schema/org-schema';
import { recordUrl } from '../store/api-record';
import type { Database, SqlRow } from '../store/database';
import { randomToken } from '../store/ids';
import { toJsonValue } from '../store/output';
import { columnMetadata, type ColumnsResponse } from './columns';
import { QueryCompiler, type CompiledQuery, type RecordShape } from './compile';
import { parseSoql } from './parse';

export interface QueryOptions {
  /** queryAll: include deleted records. */
  scanAll: boolean;
  /** API version, for record URLs. */
  version: string;
  /** Records per page (Sforce-Query-Options batchSize), 200 to 2000. */
  batchSize: number;
}

export interface QueryResponse {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Record<string, unknown>[];
}

interface Cursor {
  compiled: CompiledQuery;
  rows: SqlRow[];
  totalSize: number;
  pageSize: number;
  version: string;
  lastUsed: number;
}

const DEFAULTS: QueryOptions = { scanAll: false, version: '66.0', batchSize: 2000 };
/** A query cursor left alone this long is released, as Salesforce releases idle cursors after 15 minutes. */
const CURSOR_IDLE_MS = 15 * 60_000;

/**
 * Runs SOQL against the store: compiles it to SQLite, runs it once, and hands results out in pages through query
 * locators. Like Salesforce, a user holds at most `maxCursors` open cursors; opening another releases the oldest.
 */
export class QueryEngine {
  private readonly cursors = new Map<string, Cursor>();

  constructor(
    private readonly db: Database,
    private readonly schema: OrgSchema,
    private readonly options: { now: () => Date; userId: () => string; maxCursors?: number }
  ) {}

  compile(soql: string, scanAll = false): CompiledQuery {
    if (!soql.trim()) throw new SalesforceError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
    const query = parseSoql(soql);
    return QueryCompiler.compile(
      { schema: this.schema, soql, now: this.options.now(), userId: this.options.userId(), scanAll },
      query
    );
  }

  /** Runs a compiled query: every matching row (count queries: only the count). */
  run(compiled: CompiledQuery): { totalSize: number; rows: SqlRow[] } {
    const sql = assemble(compiled);
    if (compiled.mode === 'count') {
      const count = Number(this.db.get(sql, compiled.params)?.c0 ?? 0);
      return { totalSize: compiled.limit === undefined ? count : Math.min(count, compiled.limit), rows: [] };
    }
    const rows = this.db.all(sql, compiled.params);
    return { totalSize: rows.length, rows };
  }

  /** Result rows as REST API records (nested parents, child subqueries, aggregate results). */
  records(compiled: CompiledQuery, rows: SqlRow[], version: string): Record<string, unknown>[] {
    if (compiled.mode === 'aggregate') {
      return rows.map((row) => {
        const record: Record<string, unknown> = { attributes: { type: 'AggregateResult' } };
        for (const column of compiled.aggregates) record[column.name] = aggregateValue(column, row[column.column]);
        return record;
      });
    }
    return this.shapeRecords(compiled, rows, version);
  }

  private shapeRecords(compiled: CompiledQuery, rows: SqlRow[], version: string): Record<string, unknown>[] {
    const children = new Map<string, Map<string, QueryResponse>>();
    if (compiled.hasSubqueries && rows.length) {
      const ids = rows.map((row) => String(row[compiled.shape.idColumn]));
      for (const entry of compiled.shape.entries) {
        if (entry.kind === 'children') children.set(entry.name, this.childResults(entry.query, ids, version));
      }
    }
    return rows.map((row) => build(compiled.shape, row, version, children));
  }

  private childResults(compiled: CompiledQuery, parentIds: string[], version: string): Map<string, QueryResponse> {
    const byParent = new Map<string, SqlRow[]>();
    for (let start = 0; start < parentIds.length; start += 500) {
      const ids = parentIds.slice(start, start + 500);
      const sql = assemble(compiled, `${compiled.parentLink!} IN (${ids.map(() => '?').join(', ')})`);
      for (const row of this.db.all(sql, [...compiled.params, ...ids])) {
        const parent = String(row.cfk);
        if (!byParent.has(parent)) byParent.set(parent, []);
        byParent.get(parent)!.push(row);
      }
    }
    const result = new Map<string, QueryResponse>();
    for (const [parent, all] of byParent) {
      const offset = compiled.offset ?? 0;
      const rows = all.slice(offset, compiled.limit === undefined ? undefined : offset + compiled.limit);
      if (rows.length === 0) continue;
      result.set(parent, { totalSize: rows.length, done: true, records: this.shapeRecords(compiled, rows, version) });
    }
    return result;
  }

  /** The first page of a query, opening a cursor when more pages follow. */
  query(soql: string, options: Partial<QueryOptions> = {}): QueryResponse {
    const { scanAll, version, batchSize } = { ...DEFAULTS, ...options };
    const compiled = this.compile(soql, scanAll);
    const { totalSize, rows } = this.run(compiled);
    const pageSize = Math.min(2000, Math.max(200, Math.floor(batchSize) || 2000));
    if (rows.length <= pageSize) {
      return { totalSize, done: true, records: this.records(compiled, rows, version) };
    }
    const id = `01g${randomToken(15)}`;
    this.cursors.set(id, { compiled, rows, totalSize, pageSize, version, lastUsed: Date.now() });
    this.releaseOldCursors();
    return this.page(id, 0);
  }

  /** A later page: the locator is `<cursor>-<offset>` from the previous page's nextRecordsUrl. */
  more(locator: string): QueryResponse {
    const match = /^(01g\w+)-(\d+)$/.exec(locator);
    const cursor = match && this.cursors.get(match[1]!);
    if (!match || !cursor || Date.now() - cursor.lastUsed > CURSOR_IDLE_MS) {
      if (match) this.cursors.delete(match[1]!);
      throw new SalesforceError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    }
    return this.page(match[1]!, Number(match[2]));
  }

  private page(id: string, offset: number): QueryResponse {
    const cursor = this.cursors.get(id)!;
    cursor.lastUsed = Date.now();
    const slice = cursor.rows.slice(offset, offset + cursor.pageSize);
    const next = offset + cursor.pageSize;
    const done = next >= cursor.rows.length;
    if (done) this.cursors.delete(id);
    return {
      totalSize: cursor.totalSize,
      done,
      ...(done ? {} : { nextRecordsUrl: `/services/data/v${cursor.version}/query/${id}-${next}` }),
      records: this.records(cursor.compiled, slice, cursor.version)
    };
  }

  private releaseOldCursors(): void {
    const max = this.options.maxCursors ?? 10;
    for (const id of this.cursors.keys()) {
      if (this.cursors.size <= max) break;
      this.cursors.delete(id);
    }
  }

  /** Every record of a query, without paging (in-process callers and Bulk API query jobs). */
  all(soql: string, options: Partial<QueryOptions> = {}): Record<string, unknown>[] {
    const { scanAll, version } = { ...DEFAULTS, ...options };
    const compiled = this.compile(soql, scanAll);
    return this.records(compiled, this.run(compiled).rows, version);
  }

  /** `query?q=...&columns=true`: what the query would return, column by column, without running it. */
  columns(soql: string): ColumnsResponse {
    return columnMetadata(this.compile(soql));
  }

  clearCursors(): void {
    this.cursors.clear();
  }
}

/** The SQL text of a compiled query; `extraWhere` narrows it (a child subquery to one page of parents). */
export function assemble(compiled: CompiledQuery, extraWhere?: string): string {
  const select =
    extraWhere && compiled.parentLink ? [...compiled.select, `${compiled.parentLink} AS cfk`] : compiled.select;
  const where = extraWhere ? [...compiled.where, extraWhere] : compiled.where;
  let sql = `SELECT ${select.join(', ')} FROM ${compiled.from}`;
  if (where.length) sql += ` WHERE ${where.join(' AND ')}`;
  if (compiled.groupBy.length) sql += ` GROUP BY ${compiled.groupBy.join(', ')}`;
  if (compiled.having) sql += ` HAVING ${compiled.having}`;
  if (compiled.orderBy.length) sql += ` ORDER BY ${compiled.orderBy.join(', ')}`;
  if (!compiled.parentLink && compiled.mode !== 'count') {
    if (compiled.limit !== undefined) sql += ` LIMIT ${compiled.limit}`;
    if (compiled.offset !== undefined)
      sql += `${compiled.limit === undefined ? ' LIMIT -1' : ''} OFFSET ${compiled.offset}`;
  }
  return sql;
}

function build(
  shape: RecordShape,
  row: SqlRow,
  version: string,
  children: Map<string, Map<string, QueryResponse>>
): Record<string, unknown> {
  const id = String(row[shape.idColumn]);
  const record: Record<string, unknown> = {
    attributes: { type: shape.object.name, url: recordUrl(version, shape.object.name, id) }
  };
  for (const entry of shape.entries) {
    if (entry.kind === 'field') {
      record[entry.name] = toJsonValue(entry.field, row[entry.column]);
    } else if (entry.kind === 'parent') {
      const parentId = row[entry.shape.idColumn];
      record[entry.name] =
        parentId === null || parentId === undefined ? null : build(entry.shape, row, version, new Map());
    } else {
      record[entry.name] = children.get(entry.name)?.get(id) ?? null;
    }
  }
  return record;
}

function aggregateValue(column: CompiledQuery['aggregates'][number], value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (column.fn === 'COUNT' || column.fn === 'COUNT_DISTINCT') return Number(value);
  if (column.field) return toJsonValue(column.field, value as SqlRow[string]);
  return typeof value === 'number' ? value : Number(value);
}
