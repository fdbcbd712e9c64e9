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

/**
 * Runs several SOQL queries and reads every row of each. The first pages of all of them travel in one Composite
 * request (one API call); further pages follow nextRecordsUrl. Rows are counted against totalSize, so a query can
 * never be silently truncated (jsforce's autoFetch stops at maxFetch, 10,000 by default).
 */
export async function queryAll<Q extends Record<string, string>>(
  client: SalesforceClient,
  queries: Q
): Promise<{ [K in keyof Q]: Record<string, unknown>[] }> {
  const names = Object.keys(queries);
  const base = `/services/data/v${client.version}`;
  const rows: Record<string, Record<string, unknown>[]> = {};
  // Composite takes at most 25 subrequests.
  for (let start = 0; start < names.length; start += 25) {
    const chunk = names.slice(start, start + 25);
    const response = await client.request<CompositeResponse>({
      method: 'POST',
      url: `${base}/composite`,
      body: {
        allOrNone: false,
        compositeRequest: chunk.map((name) => ({
          method: 'GET',
          url: `${base}/query?q=${encodeURIComponent(queries[name]!)}`,
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

/** Active values of a picklist field, from the object's describe. */
export async function picklistValues(client: SalesforceClient, object: string, field: string): Promise<string[]> {
  const describe = await client.request<{
    fields: { name: string; picklistValues?: { value: string; active: boolean }[] }[];
  }>({
    method: 'GET',
    url: `/services/data/v${client.version}/sobjects/${object}/describe`,
    idempotent: true
  });
  const described = describe.fields.find((candidate) => candidate.name === field);
  if (!described) throw new SalesforceError(`${object} has no field ${field}`, 'INVALID_FIELD');
  return (described.picklistValues ?? []).filter((value) => value.active).map((value) => value.value);
}
