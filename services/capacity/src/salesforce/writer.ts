import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { OutputRow } from '../run/rows';
import type { SalesforceClient } from './client';
import { errorCodeOf, isTransient, SalesforceError } from './errors';

/** Above this many rows an upsert goes through Bulk API 2.0; up to it, through sObject Collections (200 a call). */
export const BULK_THRESHOLD = 2000;
const COLLECTION_SIZE = 200;

interface CollectionResult {
  id?: string;
  success: boolean;
  created?: boolean;
  errors: { statusCode: string; message: string; fields?: string[] }[];
}

export interface WriteOptions {
  /** Rows above which Bulk API 2.0 is used (default BULK_THRESHOLD). */
  bulkThreshold?: number;
  /** Resume this Bulk 2.0 job instead of creating one (after a poll timeout). */
  resumeJobId?: string;
  /** Called as soon as a bulk job exists, so its id can be recorded before waiting on it. */
  onBulkJob?: (jobId: string) => Promise<void>;
  pollIntervalMs?: number;
  pollTimeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Upserts rows by external id: sObject Collections for up to 2,000 rows, Bulk API 2.0 above. Upserts are
 * idempotent, so transient failures are retried (per record for UNABLE_TO_LOCK_ROW); any other record failure stops
 * the run with the record's key and Salesforce's errorCode.
 */
export async function upsertRows(
  client: SalesforceClient,
  object: string,
  keyField: string,
  rows: OutputRow[],
  options: WriteOptions = {}
): Promise<{ written: number; bulkJobId?: string }> {
  if (rows.length === 0) return { written: 0 };
  if (rows.length > (options.bulkThreshold ?? BULK_THRESHOLD) || options.resumeJobId) {
    return bulkUpsert(client, object, keyField, rows, options);
  }
  for (let start = 0; start < rows.length; start += COLLECTION_SIZE) {
    let batch = rows.slice(start, start + COLLECTION_SIZE);
    for (let attempt = 1; batch.length > 0; attempt++) {
      const results = await client.request<CollectionResult[]>({
        method: 'PATCH',
        url: `/services/data/v${client.version}/composite/sobjects/${object}/${keyField}`,
        body: {
          allOrNone: false,
          records: batch.map((row) => ({ attributes: { type: object }, [keyField]: row.key, ...row.fields }))
        },
        idempotent: true
      });
      const locked: OutputRow[] = [];
      results.forEach((result, index) => {
        if (result.success) return;
        const [error] = result.errors;
        if (error?.statusCode === 'UNABLE_TO_LOCK_ROW' && attempt < 5) {
          locked.push(batch[index]!);
          return;
        }
        throw new SalesforceError(
          `${object} ${batch[index]!.key}: ${error?.message ?? 'not saved'}${error?.fields?.length ? ` (${error.fields.join(', ')})` : ''}`,
          error?.statusCode ?? 'UNKNOWN',
          { recordKey: batch[index]!.key }
        );
      });
      if (locked.length > 0) {
        client.retries++;
        await (options.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms))))(
          client.backoff(attempt)
        );
      }
      batch = locked;
    }
  }
  return { written: rows.length };
}

/** Deletes rows by Id through sObject Collections (200 a call); deleting is idempotent. */
export async function deleteRows(client: SalesforceClient, ids: string[]): Promise<number> {
  for (let start = 0; start < ids.length; start += COLLECTION_SIZE) {
    const batch = ids.slice(start, start + COLLECTION_SIZE);
    const results = await client.request<CollectionResult[]>({
      method: 'DELETE',
      url: `/services/data/v${client.version}/composite/sobjects?allOrNone=false&ids=${batch.join(',')}`,
      idempotent: true
    });
    const failed = results.find((result) => !result.success && result.errors[0]?.statusCode !== 'ENTITY_IS_DELETED');
    if (failed) {
      throw new SalesforceError(
        `delete ${failed.id}: ${failed.errors[0]?.message}`,
        failed.errors[0]?.statusCode ?? 'UNKNOWN',
        {
          recordKey: failed.id
        }
      );
    }
  }
  return ids.length;
}

interface JobInfo {
  id: string;
  state: 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
  object?: string;
  operation?: string;
  externalIdFieldName?: string;
  createdById?: string;
  createdDate?: string;
  numberRecordsProcessed?: number;
  numberRecordsFailed?: number;
  errorMessage?: string;
}

/** How many failing records a bulk failure names (the rest are in the job's failedResults). */
const NAMED_FAILURES = 3;

async function bulkUpsert(
  client: SalesforceClient,
  object: string,
  keyField: string,
  rows: OutputRow[],
  options: WriteOptions
): Promise<{ written: number; bulkJobId: string }> {
  const base = `/services/data/v${client.version}/jobs/ingest`;
  let jobId = options.resumeJobId;
  if (!jobId) {
    jobId = await submitJob(client, base, object, keyField, rows);
    await options.onBulkJob?.(jobId);
    try {
      await client.request({
        method: 'PATCH',
        url: `${base}/${jobId}`,
        body: { state: 'UploadComplete' },
        idempotent: true
      });
    } catch (error) {
      // A retried PATCH whose first attempt was applied finds the job past Open: that is the answer it wanted.
      const info = await client.request<JobInfo>({ method: 'GET', url: `${base}/${jobId}`, idempotent: true });
      if (info.state === 'Open' || info.state === 'Aborted') throw withJob(error, jobId);
    }
  }
  const sleep = options.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  const deadline = Date.now() + (options.pollTimeoutMs ?? 10 * 60_000);
  for (;;) {
    const info = await client.request<JobInfo>({ method: 'GET', url: `${base}/${jobId}`, idempotent: true });
    if (info.state === 'JobComplete') {
      if ((info.numberRecordsFailed ?? 0) > 0) {
        const failed = await client.request<string>({
          method: 'GET',
          url: `${base}/${jobId}/failedResults`,
          idempotent: true
        });
        const failures = failedRecords(String(failed ?? ''), keyField);
        const named = failures
          .slice(0, NAMED_FAILURES)
          .map((failure) => `${object} ${failure.key}: ${failure.errors}`)
          .join('; ');
        throw new SalesforceError(
          `bulk job ${jobId}: ${info.numberRecordsFailed} of ${rows.length} rows failed: ${named || 'no failed rows returned'}`,
          'BULK_ROWS_FAILED',
          { jobId, recordKey: failures[0]?.key }
        );
      }
      return { written: info.numberRecordsProcessed ?? rows.length, bulkJobId: jobId };
    }
    if (info.state === 'Failed' || info.state === 'Aborted') {
      throw new SalesforceError(`bulk job ${jobId} ${info.state}: ${info.errorMessage ?? ''}`, 'BULK_JOB_FAILED', {
        jobId
      });
    }
    if (Date.now() > deadline) {
      throw new SalesforceError(
        `bulk job ${jobId} is still ${info.state}; it keeps running in the org: resume it by id, do not resubmit`,
        'BULK_POLL_TIMEOUT',
        { jobId }
      );
    }
    await sleep(options.pollIntervalMs ?? 1000);
  }
}

/**
 * Creates an ingest job and uploads the rows to it. Neither request is idempotent on its own, but the pair is, as
 * long as the job is never closed: an Open job processes nothing until its state is set to UploadComplete ("Bulk API
 * 2.0 and Bulk API Developer Guide": upload job data, then close the job). So a creation that fails transiently is
 * sent again, and a failed upload aborts its job and starts over with a new one. When a creation needed a retry,
 * the first attempt may have created a job whose answer was lost: Open jobs of this user for the same object,
 * operation and key, created since the first attempt, are aborted (they can hold no data).
 */
async function submitJob(
  client: SalesforceClient,
  base: string,
  object: string,
  keyField: string,
  rows: OutputRow[]
): Promise<string> {
  const fields = [keyField, ...Object.keys(rows[0]!.fields)];
  const csv = stringify(
    rows.map((row) => [row.key, ...fields.slice(1).map((field) => csvValue(row.fields[field]))]),
    { header: true, columns: fields, record_delimiter: 'unix' }
  );
  const maxSubmissions = 3;
  for (let submission = 1; ; submission++) {
    const retriesBefore = client.retries;
    const startedAt = Date.now();
    const job = await client.request<JobInfo>({
      method: 'POST',
      url: base,
      body: { object, operation: 'upsert', externalIdFieldName: keyField, contentType: 'CSV', lineEnding: 'LF' },
      idempotent: true // an Open job without data writes nothing; an orphan of a lost answer is aborted below
    });
    if (client.retries > retriesBefore) await abortOrphans(client, base, job, startedAt);
    try {
      await client.request({
        method: 'PUT',
        url: `${base}/${job.id}/batches`,
        body: csv,
        headers: { 'Content-Type': 'text/csv' },
        idempotent: false // Salesforce takes one upload per job: a second one is refused, so start over instead
      });
      return job.id;
    } catch (error) {
      await abort(client, base, job.id);
      if (submission >= maxSubmissions || !isTransient(error)) throw withJob(error, job.id);
      client.retries++;
    }
  }
}

async function abortOrphans(client: SalesforceClient, base: string, job: JobInfo, since: number): Promise<void> {
  try {
    const listed = await client.request<{ records: JobInfo[] }>({ method: 'GET', url: base, idempotent: true });
    const orphans = listed.records.filter(
      (other) =>
        other.id !== job.id &&
        other.state === 'Open' &&
        other.object === job.object &&
        other.operation === job.operation &&
        other.externalIdFieldName === job.externalIdFieldName &&
        (job.createdById === undefined || other.createdById === job.createdById) &&
        // createdDate has second precision in Salesforce: allow a second of clock difference.
        Date.parse(other.createdDate ?? '') >= since - 1000 &&
        Date.parse(other.createdDate ?? '') <= Date.parse(job.createdDate ?? '') + 1000
    );
    for (const orphan of orphans) await abort(client, base, orphan.id);
  } catch {
    // Best effort: an orphan left Open writes nothing, and Salesforce deletes it after seven days.
  }
}

/** Aborts a job that must not run (best effort: the job may already be gone). */
async function abort(client: SalesforceClient, base: string, jobId: string): Promise<void> {
  try {
    await client.request({ method: 'PATCH', url: `${base}/${jobId}`, body: { state: 'Aborted' }, idempotent: true });
  } catch {
    // An Open job that could not be aborted still processes nothing.
  }
}

function withJob(error: unknown, jobId: string): SalesforceError {
  if (error instanceof SalesforceError) {
    return new SalesforceError(`bulk job ${jobId}: ${error.message}`, error.errorCode, { ...error.details, jobId });
  }
  return new SalesforceError(`bulk job ${jobId}: ${(error as Error).message}`, errorCodeOf(error), { jobId });
}

/**
 * The failed rows of a job: their external key and their errors, from sf__Error (`CODE:message:Field1,Field2 --`,
 * several errors separated by spaces) rewritten as `Field1, Field2: message (CODE)`.
 */
export function failedRecords(csv: string, keyField: string): { key: string; errors: string }[] {
  if (!csv.trim()) return [];
  const records = parse(csv, { columns: true, skip_empty_lines: true, bom: true }) as Record<string, string>[];
  return records.map((record) => ({
    key: record[keyField] ?? record.sf__Id ?? '',
    errors: describeBulkErrors(record.sf__Error ?? '')
  }));
}

export function describeBulkErrors(sfError: string): string {
  const described: string[] = [];
  for (const match of sfError.matchAll(/([A-Z][A-Z0-9_]*):(.*?):([\w.,]*) --/g)) {
    const [, code, message, fields] = match;
    const named = fields ? fields.split(',').filter(Boolean).join(', ') : '';
    described.push(`${named ? `${named}: ` : ''}${message!.trim()} (${code})`);
  }
  return described.length ? described.join('; ') : sfError.trim();
}

/** CSV for Bulk 2.0: empty cell leaves a field unchanged, so null is written as #N/A. */
function csvValue(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '#N/A';
  return String(value);
}
