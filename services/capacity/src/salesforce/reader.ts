import { parse } from 'csv-parse/sync';
import type { SalesforceClient } from './client';
import { SalesforceError } from './errors';

interface QueryPage<T> {
  totalSize: number;
  done: boolean;
  records: T[];
  nextRecordsUrl?: string;
}

interface CompositeResponse {
  compositeResponse: { referenceId: string; httpStatusCode: number; body: unknown }[];
}

/** Above this many rows (the totalSize of a query's first page), a query is read through a Bulk API 2.0 query job. */
export const BULK_QUERY_ABOVE = 20_000;

export interface QueryOptions {
  /** Rows above which a query is read through Bulk API 2.0 instead of REST pages (default BULK_QUERY_ABOVE). */
  bulkAbove?: number;
  /**
   * Rows per Bulk API 2.0 results page (default 50,000): without maxRecords Salesforce sends as many as fit in one
   * response, which can outlast the per-request timeout; bounded pages each arrive well within it.
   */
  maxRecordsPerPage?: number;
  pollIntervalMs?: number;
  /** A query job not complete after this long is aborted and the read fails (default 10 minutes). */
  pollTimeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Composite takes up to 25 subrequests, but at most 5 of them may be queries (Query, QueryAll, or a next page) or
 * sObject Collections ("Send Multiple Requests Using Composite", REST API Developer Guide).
 */
export const QUERIES_PER_COMPOSITE = 5;

/**
 * Runs several SOQL queries and reads every row of each. The first pages of all of them travel in Composite
 * requests of up to five queries (one API call each), each bounded to `bulkAbove` + 1 rows; a query that reaches the bound is then read through
 * a Bulk API 2.0 query job (a few calls for hundreds of thousands of rows instead of one call per 2,000), the others follow
 * nextRecordsUrl. Both paths return the same rows: the Bulk CSV is typed back from the objects' describe. Rows are
 * counted against totalSize or the job's numberRecordsProcessed, so a query can never be silently truncated
 * (jsforce's autoFetch stops at maxFetch, 10,000 by default).
 */
export async function queryAll<Q extends Record<string, string>>(
  client: SalesforceClient,
  queries: Q,
  options: QueryOptions = {}
): Promise<{ [K in keyof Q]: Record<string, unknown>[] }> {
  const names = Object.keys(queries);
  const base = `/services/data/v${client.version}`;
  const rows: Record<string, Record<string, unknown>[]> = {};
  const bulkAbove = options.bulkAbove ?? BULK_QUERY_ABOVE;
  for (let start = 0; start < names.length; start += QUERIES_PER_COMPOSITE) {
    const chunk = names.slice(start, start + QUERIES_PER_COMPOSITE);
    const response = await client.request<CompositeResponse>({
      method: 'POST',
      url: `${base}/composite`,
      body: {
        allOrNone: false,
        compositeRequest: chunk.map((name) => ({
          method: 'GET',
          url: `${base}/query?q=${encodeURIComponent(probe(queries[name]!, bulkAbove))}`,
          referenceId: name
        }))
      },
      idempotent: true // a composite of reads changes nothing
    });
    for (const sub of response.compositeResponse) {
      if (sub.httpStatusCode >= 300) {
        const [first] = (Array.isArray(sub.body) ? sub.body : [sub.body]) as { errorCode?: string; message?: string }[];
        throw new SalesforceError(
          `query "${sub.referenceId}" failed: ${first?.message ?? sub.httpStatusCode}`,
          first?.errorCode ?? `ERROR_HTTP_${sub.httpStatusCode}`
        );
      }
      let page = sub.body as QueryPage<Record<string, unknown>>;
      if (!page.done && page.totalSize > bulkAbove) {
        rows[sub.referenceId] = await bulkQuery(client, sub.referenceId, queries[sub.referenceId]!, options);
        continue;
      }
      const records = [...page.records];
      while (!page.done && page.nextRecordsUrl) {
        page = await client.request<QueryPage<Record<string, unknown>>>({
          method: 'GET',
          url: page.nextRecordsUrl,
          idempotent: true
        });
        records.push(...page.records);
      }
      if (records.length !== page.totalSize) {
        throw new SalesforceError(
          `query "${sub.referenceId}" returned ${records.length} of ${page.totalSize} rows`,
          'INCOMPLETE_QUERY'
        );
      }
      rows[sub.referenceId] = records;
    }
  }
  return rows as { [K in keyof Q]: Record<string, unknown>[] };
}

/**
 * The query the Composite sends first: bounded to one row more than the Bulk threshold, so telling a large query
 * from a small one never makes the org assemble a cursor over hundreds of thousands of rows. A small query's answer
 * is complete (its totalSize is below the bound); a large one is read again, whole, through a Bulk query job.
 */
function probe(soql: string, bulkAbove: number): string {
  if (!Number.isFinite(bulkAbove) || /\bLIMIT\s+\d+\s*$/i.test(soql)) return soql;
  return `${soql} LIMIT ${Math.max(2000, Math.floor(bulkAbove)) + 1}`;
}

interface QueryJob {
  id: string;
  object?: string;
  state: 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
  numberRecordsProcessed?: number;
  errorMessage?: string;
}

/**
 * One query through Bulk API 2.0: create the job, poll it (waits growing from pollIntervalMs to 5 s), then read the
 * CSV results page by page, following Sforce-Locator until it says "null" ("Bulk API 2.0 and Bulk API Developer
 * Guide": Get Results for a Query Job). Creating a query job is safe to repeat: it only reads.
 */
async function bulkQuery(
  client: SalesforceClient,
  name: string,
  soql: string,
  options: QueryOptions
): Promise<Record<string, unknown>[]> {
  const base = `/services/data/v${client.version}/jobs/query`;
  const sleep = options.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  const job = await client.request<QueryJob>({
    method: 'POST',
    url: base,
    body: { operation: 'query', query: soql, contentType: 'CSV', columnDelimiter: 'COMMA', lineEnding: 'LF' },
    idempotent: true
  });
  const deadline = Date.now() + (options.pollTimeoutMs ?? 10 * 60_000);
  let wait = options.pollIntervalMs ?? 250;
  let info = job;
  for (;;) {
    info = await client.request<QueryJob>({ method: 'GET', url: `${base}/${job.id}`, idempotent: true });
    if (info.state === 'JobComplete') break;
    if (info.state === 'Failed' || info.state === 'Aborted') {
      throw new SalesforceError(
        `query "${name}" (bulk query job ${job.id}) ${info.state}: ${info.errorMessage ?? ''}`,
        'BULK_QUERY_FAILED',
        { jobId: job.id }
      );
    }
    if (Date.now() > deadline) {
      await client
        .request({ method: 'PATCH', url: `${base}/${job.id}`, body: { state: 'Aborted' }, idempotent: true })
        .catch(() => undefined); // best effort: the job only reads
      throw new SalesforceError(
        `query "${name}" (bulk query job ${job.id}) still ${info.state} after the poll timeout; aborted`,
        'BULK_POLL_TIMEOUT',
        { jobId: job.id }
      );
    }
    await sleep(wait);
    wait = Math.min(5000, wait * 2);
  }

  const object = info.object ?? job.object ?? /\bFROM\s+(\w+)/i.exec(soql)?.[1] ?? '';
  const records: Record<string, unknown>[] = [];
  let locator: string | undefined;
  let typer: ((cells: string[]) => Record<string, unknown>) | undefined;
  do {
    const query = new URLSearchParams();
    if (locator) query.set('locator', locator);
    query.set('maxRecords', String(options.maxRecordsPerPage ?? 50_000));
    const response = await client.requestRaw({
      method: 'GET',
      url: `${base}/${job.id}/results?${query}`,
      headers: { Accept: 'text/csv' },
      idempotent: true
    });
    const [header, ...cells] = parse(response.text, { bom: true, skip_empty_lines: true }) as string[][];
    if (header) {
      typer ??= await csvRowTyper(client, object, header);
      for (const row of cells) records.push(typer(row));
    }
    const next = response.headers.get('sforce-locator');
    locator = next && next !== 'null' ? next : undefined;
  } while (locator);
  if (records.length !== (info.numberRecordsProcessed ?? records.length)) {
    throw new SalesforceError(
      `query "${name}" (bulk query job ${job.id}) returned ${records.length} of ${info.numberRecordsProcessed} rows`,
      'INCOMPLETE_QUERY',
      { jobId: job.id }
    );
  }
  return records;
}

interface DescribedField {
  name: string;
  type: string;
  nillable?: boolean;
  relationshipName?: string | null;
  referenceTo?: string[];
  picklistValues?: { value: string; active: boolean }[];
}

const describes = new WeakMap<SalesforceClient, Map<string, Promise<DescribedField[]>>>();

/** An object's fields, described once per client (a run). */
export function describeFields(client: SalesforceClient, object: string): Promise<DescribedField[]> {
  let cache = describes.get(client);
  if (!cache) describes.set(client, (cache = new Map()));
  let fields = cache.get(object);
  if (!fields) {
    fields = client
      .request<{ fields: DescribedField[] }>({
        method: 'GET',
        url: `/services/data/v${client.version}/sobjects/${object}/describe`,
        idempotent: true
      })
      .then((describe) => describe.fields);
    fields.catch(() => cache.delete(object));
    cache.set(object, fields);
  }
  return fields;
}

type Cast = (cell: string) => unknown;

/** How a CSV cell becomes the value the REST API would have returned in JSON for a field of this describe type. */
function castFor(type: string | undefined): Cast {
  switch (type) {
    case 'int':
    case 'double':
    case 'currency':
    case 'percent':
    case 'long':
      return (cell) => (cell === '' ? null : Number(cell));
    case 'boolean':
      return (cell) => cell === 'true'; // REST answers false, never null, for an empty checkbox
    case 'datetime':
      return (cell) => (cell === '' ? null : cell.replace(/Z$/, '+0000')); // REST writes +0000, Bulk writes Z
    default:
      return (cell) => (cell === '' ? null : cell); // Salesforce stores no empty strings: empty is null
  }
}

interface Column {
  path: string[];
  cast: Cast;
}

interface Relationship {
  /** Path of the relationship (e.g. ['Engagement__r']) and of its lookup field at the same level. */
  path: string[];
  lookupPath: string[];
  /** A required lookup (master-detail) always has a parent. */
  required: boolean;
}

/**
 * Builds the function that turns one CSV row of a query on `object` into the record the REST query API returns:
 * typed values, and relationship columns (`Engagement__r.Status__c`) nested back into objects, null when the lookup
 * is empty (judged from the lookup column when selected; else a required lookup always has a parent, and an optional
 * one whose selected fields are all empty has none, the one case the CSV cannot tell apart). The `attributes` the REST API adds to each record are not rebuilt: nothing reads them.
 */
async function csvRowTyper(
  client: SalesforceClient,
  object: string,
  header: string[]
): Promise<(cells: string[]) => Record<string, unknown>> {
  const columns: Column[] = [];
  const relationships = new Map<string, Relationship>();
  for (const name of header) {
    const path = name.split('.');
    let current = object;
    let field: DescribedField | undefined;
    for (let depth = 0; depth < path.length; depth++) {
      const fields = await describeFields(client, current);
      const part = path[depth]!.toLowerCase();
      if (depth === path.length - 1) {
        field = fields.find((candidate) => candidate.name.toLowerCase() === part);
        break;
      }
      const lookup = fields.find((candidate) => candidate.relationshipName?.toLowerCase() === part);
      if (!lookup?.referenceTo?.[0]) break;
      const key = path.slice(0, depth + 1).join('.');
      if (!relationships.has(key)) {
        relationships.set(key, {
          path: path.slice(0, depth + 1),
          lookupPath: [...path.slice(0, depth), lookup.name],
          required: lookup.nillable === false
        });
      }
      current = lookup.referenceTo[0];
    }
    columns.push({ path, cast: castFor(field?.type) });
  }
  const lookupColumn = new Map<string, number>();
  for (const [key, relationship] of relationships) {
    const index = header.findIndex((name) => name.toLowerCase() === relationship.lookupPath.join('.').toLowerCase());
    if (index >= 0) lookupColumn.set(key, index);
  }
  // Deepest relationships first, so an empty parent nulls its own parents' children before they are judged.
  const nested = [...relationships.entries()].sort((a, b) => b[1].path.length - a[1].path.length);
  return (cells) => {
    const record: Record<string, unknown> = {};
    columns.forEach((column, index) => {
      let target = record;
      for (const part of column.path.slice(0, -1)) {
        target = (target[part] ??= {}) as Record<string, unknown>;
      }
      target[column.path[column.path.length - 1]!] = column.cast(cells[index] ?? '');
    });
    for (const [key, relationship] of nested) {
      const parent = relationship.path
        .slice(0, -1)
        .reduce<Record<string, unknown> | null>(
          (target, part) => (target ? ((target[part] as Record<string, unknown> | null) ?? null) : null),
          record
        );
      if (!parent) continue;
      const name = relationship.path[relationship.path.length - 1]!;
      const lookupIndex = lookupColumn.get(key);
      const value = parent[name] as Record<string, unknown>;
      // Without its lookup column, an optional parent whose selected fields are all empty reads as no parent.
      const empty =
        lookupIndex !== undefined
          ? (cells[lookupIndex] ?? '') === ''
          : !relationship.required && Object.values(value).every((cell) => cell === null || cell === false);
      if (empty) parent[name] = null;
    }
    return record;
  };
}

/** Active values of a picklist field, from the object's describe. */
export async function picklistValues(client: SalesforceClient, object: string, field: string): Promise<string[]> {
  const fields = await describeFields(client, object);
  const described = fields.find((candidate) => candidate.name === field);
  if (!described) throw new SalesforceError(`${object} has no field ${field}`, 'INVALID_FIELD');
  return (described.picklistValues ?? []).filter((value) => value.active).map((value) => value.value);
}
