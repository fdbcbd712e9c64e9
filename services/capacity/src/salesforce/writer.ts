import { stringify } from 'csv-stringify/sync';
import type { OutputRow } from '../run/rows';
import type { SalesforceClient } from './client';
import { SalesforceError } from './errors';

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
  numberRecordsProcessed?: number;
  numberRecordsFailed?: number;
  errorMessage?: string;
}

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
    // Creating a job and uploading to it are not idempotent: they are sent once, never retried.
    const job = await client.request<JobInfo>({
      method: 'POST',
      url: base,
      body: { object, operation: 'upsert', externalIdFieldName: keyField, contentType: 'CSV', lineEnding: 'LF' },
      idempotent: false
    });
    jobId = job.id;
    await options.onBulkJob?.(jobId);
    const fields = [keyField, ...Object.keys(rows[0]!.fields)];
    const csv = stringify(
      rows.map((row) => [row.key, ...fields.slice(1).map((field) => csvValue(row.fields[field]))]),
      { header: true, columns: fields, record_delimiter: 'unix' }
    );
    await client.request({
      method: 'PUT',
      url: `${base}/${jobId}/batches`,
      body: csv,
      headers: { 'Content-Type': 'text/csv' },
      idempotent: false
    });
    await client.request({
      method: 'PATCH',
      url: `${base}/${jobId}`,
      body: { state: 'UploadComplete' },
      idempotent: true
    });
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
        const firstFailure = String(failed).split('\n')[1] ?? '';
        throw new SalesforceError(
          `bulk job ${jobId}: ${info.numberRecordsFailed} of ${rows.length} rows failed, first: ${firstFailure}`,
          'BULK_ROWS_FAILED',
          { jobId }
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

/** CSV for Bulk 2.0: empty cell leaves a field unchanged, so null is written as #N/A. */
function csvValue(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '#N/A';
  return String(value);
}
