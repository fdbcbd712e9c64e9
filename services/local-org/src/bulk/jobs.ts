import { SalesforceError } from '../errors';
import type { FaultController } from '../http/faults';
import type { Database } from '../store/database';
import type { Store } from '../store/store';
import { parseCsv, writeCsv, type CsvFormat } from './csv';
import { processIngest } from './ingest';
import { ingestJobRequest, jobTimestamp, queryJobRequest, stateChange, type JobInfo } from './job-info';
import { runQueryJob } from './query';
import type { ZodType } from 'zod';

export type ResultKind = 'successfulResults' | 'failedResults' | 'unprocessedrecords';

export interface BulkOptions {
  /** Wait this long after UploadComplete before processing (0: process before the PATCH answers). */
  delayMs: number;
}

const invalidJob = (message: string) => new SalesforceError(400, 'INVALIDJOB', message);

function validate<T>(schema: ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalidJob(`InvalidJob : ${issue.path.join('.') || 'request'}: ${issue.message}`);
  }
  return parsed.data;
}

/**
 * Bulk API 2.0 ingest and query jobs, kept in the org database so they survive a restart (an interrupted job is
 * marked Failed). Processing runs in chunks of 200 records, each chunk one transaction, yielding between chunks
 * so other requests are served meanwhile.
 */
export class BulkJobs {
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly db: Database,
    private readonly store: Store,
    private readonly faults: FaultController,
    private readonly options: BulkOptions
  ) {
    for (const row of db.all(
      "SELECT id, info FROM _bulk_jobs WHERE json_extract(info, '$.state') IN ('UploadComplete', 'InProgress')"
    )) {
      const info = JSON.parse(String(row.info)) as JobInfo;
      this.save({ ...info, state: 'Failed', errorMessage: 'The local org restarted while the job was processing' });
    }
  }

  private save(info: JobInfo): JobInfo {
    info.systemModstamp = jobTimestamp(this.store.now());
    this.db.run(
      'INSERT INTO _bulk_jobs (id, kind, info) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET info = excluded.info',
      [info.id, info.jobType, JSON.stringify(info)]
    );
    return info;
  }

  get(id: string, jobType: JobInfo['jobType']): JobInfo {
    const row = this.db.get('SELECT info FROM _bulk_jobs WHERE id = ? AND kind = ?', [id, jobType]);
    if (!row) throw new SalesforceError(404, 'NOT_FOUND', 'The requested resource does not exist');
    return JSON.parse(String(row.info)) as JobInfo;
  }

  list(jobType: JobInfo['jobType']): JobInfo[] {
    return this.db
      .all('SELECT info FROM _bulk_jobs WHERE kind = ? ORDER BY rowid', [jobType])
      .map((row) => JSON.parse(String(row.info)) as JobInfo);
  }

  counts(): { ingest: number; query: number } {
    const count = (kind: string) =>
      Number(this.db.get('SELECT COUNT(*) AS n FROM _bulk_jobs WHERE kind = ?', [kind])?.n ?? 0);
    return { ingest: count('V2Ingest'), query: count('V2Query') };
  }

  file(id: string, name: string): string | undefined {
    const row = this.db.get('SELECT content FROM _bulk_files WHERE job_id = ? AND name = ?', [id, name]);
    return row ? String(row.content) : undefined;
  }

  putFile(id: string, name: string, content: string): void {
    this.db.run(
      'INSERT INTO _bulk_files (job_id, name, content) VALUES (?, ?, ?) ON CONFLICT (job_id, name) DO UPDATE SET content = excluded.content',
      [id, name, content]
    );
  }

  private base(
    version: string,
    jobType: JobInfo['jobType'],
    format: CsvFormat
  ): Omit<JobInfo, 'id' | 'operation' | 'object'> {
    const now = jobTimestamp(this.store.now());
    return {
      createdById: '',
      createdDate: now,
      systemModstamp: now,
      state: jobType === 'V2Ingest' ? 'Open' : 'UploadComplete',
      concurrencyMode: 'Parallel',
      contentType: 'CSV',
      apiVersion: Number(version),
      jobType,
      lineEnding: format.lineEnding,
      columnDelimiter: format.columnDelimiter,
      numberRecordsProcessed: 0,
      retries: 0,
      totalProcessingTime: 0
    };
  }

  createIngest(body: unknown, version: string, userId: string): JobInfo {
    const request = validate(ingestJobRequest, body);
    const object = this.store.schema.object(request.object);
    if (!object || !this.store.schema.writable(object) || !this.store.schema.isStored(object)) {
      throw invalidJob(`InvalidJob : Unable to find object: ${request.object}`);
    }
    let externalIdFieldName: string | undefined;
    if (request.operation === 'upsert') {
      const field = request.externalIdFieldName && this.store.schema.field(object.name, request.externalIdFieldName);
      if (!field) throw invalidJob('InvalidJob : External ID field is required for upsert: externalIdFieldName');
      if (!(field.externalId || field.type === 'Id' || field.unique)) {
        throw invalidJob(`InvalidJob : The field ${field.name} is not an external id field on ${object.name}`);
      }
      externalIdFieldName = field.name;
    }
    const id = this.store.writer.newId('750');
    return this.save({
      ...this.base(version, 'V2Ingest', request),
      createdById: userId,
      id,
      operation: request.operation,
      object: object.name,
      ...(externalIdFieldName ? { externalIdFieldName } : {}),
      contentUrl: `services/data/v${version}/jobs/ingest/${id}/batches`,
      numberRecordsFailed: 0,
      apiActiveProcessingTime: 0,
      apexProcessingTime: 0
    });
  }

  upload(id: string, csv: string | undefined): void {
    const info = this.get(id, 'V2Ingest');
    if (info.state !== 'Open' || this.file(id, 'upload') !== undefined) {
      throw new SalesforceError(
        409,
        'INVALIDJOBSTATE',
        `Found multiple contents for job: <${id}>, please 'Close' / 'Abort' / 'Delete' the current Job then create a new Job and make sure you only do 'PUT' once on a given Job.`
      );
    }
    if (!csv) throw new SalesforceError(400, 'INVALIDBATCH', 'InvalidBatch : Empty batch');
    this.putFile(id, 'upload', csv);
  }

  /** PATCH state: UploadComplete starts processing (awaited unless a delay is configured), Aborted stops. */
  async changeState(id: string, body: unknown, jobType: JobInfo['jobType']): Promise<JobInfo> {
    const { state } = validate(stateChange, body);
    const info = this.get(id, jobType);
    if (state === 'Aborted') {
      if (['JobComplete', 'Failed', 'Aborted'].includes(info.state)) {
        throw new SalesforceError(409, 'INVALIDJOBSTATE', `Job ${id} is already ${info.state}`);
      }
      return this.save({ ...info, state: 'Aborted' });
    }
    if (jobType !== 'V2Ingest' || info.state !== 'Open') {
      throw new SalesforceError(409, 'INVALIDJOBSTATE', `Job ${id} is ${info.state}, not Open`);
    }
    const accepted = this.save({ ...info, state: 'UploadComplete' });
    const run = (async () => {
      if (this.options.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.options.delayMs));
      await this.process(id);
    })().finally(() => this.running.delete(id));
    this.running.set(id, run);
    if (this.options.delayMs === 0) await run;
    return accepted;
  }

  private async process(id: string): Promise<void> {
    const started = Date.now();
    let info = this.get(id, 'V2Ingest');
    if (info.state !== 'UploadComplete') return;
    info = this.save({ ...info, state: 'InProgress' });
    const upload = this.file(id, 'upload');
    if (!upload) {
      this.save({ ...info, state: 'Failed', errorMessage: 'InvalidBatch : No data uploaded for the job' });
      return;
    }
    let rows: string[][];
    try {
      rows = parseCsv(upload, info);
    } catch (error) {
      this.save({
        ...info,
        state: 'Failed',
        errorMessage: `InvalidBatch : ${error instanceof Error ? error.message : String(error)}`
      });
      return;
    }
    const outcome = await processIngest(this.store, info, rows, {
      fault: this.faults.bulkIngestFailure(),
      aborted: () => this.get(id, 'V2Ingest').state === 'Aborted'
    });
    const header = rows[0] ?? [];
    this.putFile(id, 'successfulResults', writeCsv(['sf__Id', 'sf__Created', ...header], outcome.successful, info));
    this.putFile(id, 'failedResults', writeCsv(['sf__Id', 'sf__Error', ...header], outcome.failed, info));
    this.putFile(id, 'unprocessedrecords', writeCsv(header, outcome.unprocessed, info));
    const current = this.get(id, 'V2Ingest');
    const elapsed = Date.now() - started;
    this.save({
      ...current,
      state: current.state === 'Aborted' ? 'Aborted' : outcome.errorMessage ? 'Failed' : 'JobComplete',
      ...(outcome.errorMessage ? { errorMessage: outcome.errorMessage } : {}),
      numberRecordsProcessed: outcome.successful.length + outcome.failed.length,
      numberRecordsFailed: outcome.failed.length,
      totalProcessingTime: elapsed,
      apiActiveProcessingTime: elapsed
    });
  }

  results(id: string, kind: ResultKind): string {
    const info = this.get(id, 'V2Ingest');
    const stored = this.file(id, kind);
    if (stored !== undefined) return stored;
    const header =
      kind === 'unprocessedrecords' ? [] : ['sf__Id', kind === 'failedResults' ? 'sf__Error' : 'sf__Created'];
    const upload = this.file(id, 'upload');
    if (kind === 'unprocessedrecords' && upload) return upload;
    return writeCsv(header, [], info);
  }

  delete(id: string, jobType: JobInfo['jobType']): void {
    const info = this.get(id, jobType);
    if (info.state === 'InProgress' || (info.state === 'UploadComplete' && this.running.has(id))) {
      throw new SalesforceError(409, 'INVALIDJOBSTATE', `Job ${id} is still being processed`);
    }
    this.db.run('DELETE FROM _bulk_jobs WHERE id = ?', [id]);
    this.db.run('DELETE FROM _bulk_files WHERE job_id = ?', [id]);
  }

  createQuery(body: unknown, version: string, userId: string): JobInfo {
    const request = validate(queryJobRequest, body);
    const compiled = this.store.queries.compile(request.query, request.operation === 'queryAll');
    if (compiled.mode !== 'records')
      throw new SalesforceError(400, 'API_ERROR', 'FeatureNotEnabled : Aggregate Queries not supported');
    if (compiled.hasSubqueries) {
      throw new SalesforceError(
        400,
        'API_ERROR',
        'FeatureNotEnabled : Cannot serialize value for a child relationship in CSV format'
      );
    }
    if (compiled.offset !== undefined)
      throw new SalesforceError(400, 'API_ERROR', 'FeatureNotEnabled : OFFSET is not supported');
    const id = this.store.writer.newId('750');
    const info = this.save({
      ...this.base(version, 'V2Query', request),
      createdById: userId,
      id,
      operation: request.operation,
      object: compiled.object.name,
      query: request.query
    });
    const started = Date.now();
    const run = async () => {
      if (this.options.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.options.delayMs));
      const current = this.get(id, 'V2Query');
      if (current.state === 'Aborted') return;
      try {
        const { header, rows } = runQueryJob(this.store, compiled);
        this.putFile(id, 'results', JSON.stringify({ header, rows }));
        this.save({
          ...current,
          state: 'JobComplete',
          numberRecordsProcessed: rows.length,
          totalProcessingTime: Date.now() - started
        });
      } catch (error) {
        this.save({
          ...current,
          state: 'Failed',
          errorMessage: error instanceof Error ? error.message : String(error)
        });
      }
    };
    const pending = run().finally(() => this.running.delete(id));
    this.running.set(id, pending);
    return info;
  }

  /** One page of query results; the `Sforce-Locator` of the next page is `null` after the last. */
  queryResults(
    id: string,
    locator: string | undefined,
    maxRecords: string | undefined
  ): { csv: string; locator: string; count: number } {
    const info = this.get(id, 'V2Query');
    if (info.state !== 'JobComplete') {
      throw new SalesforceError(
        400,
        'INVALIDJOBSTATE',
        `Job ${id} is ${info.state}; results are available once it is JobComplete`
      );
    }
    const { header, rows } = JSON.parse(this.file(id, 'results') ?? '{"header":[],"rows":[]}') as {
      header: string[];
      rows: string[][];
    };
    const offset = locator ? Number(Buffer.from(locator, 'base64url').toString()) : 0;
    if (!Number.isInteger(offset) || offset < 0 || offset > rows.length) {
      throw new SalesforceError(400, 'INVALIDLOCATOR', `Invalid locator: ${locator}`);
    }
    const size = maxRecords ? Math.max(1, Number(maxRecords) || 1) : 50_000;
    const page = rows.slice(offset, offset + size);
    const next = offset + page.length;
    return {
      csv: writeCsv(header, page, info),
      locator: next < rows.length ? Buffer.from(String(next)).toString('base64url') : 'null',
      count: page.length
    };
  }

  /** Waits for jobs that are processing (used by close()). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.running.values()]);
  }
}
