import { z } from 'zod';
import type { ColumnDelimiter, LineEnding } from './csv';
import { COLUMN_DELIMITERS } from './csv';

export type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

/** Job info as Bulk API 2.0 returns it; `kind` and the counters are kept for both job types. */
export interface JobInfo {
  id: string;
  operation: string;
  object: string;
  createdById: string;
  createdDate: string;
  systemModstamp: string;
  state: JobState;
  externalIdFieldName?: string;
  concurrencyMode: 'Parallel';
  contentType: 'CSV';
  apiVersion: number;
  jobType: 'V2Ingest' | 'V2Query';
  contentUrl?: string;
  lineEnding: LineEnding;
  columnDelimiter: ColumnDelimiter;
  numberRecordsProcessed: number;
  numberRecordsFailed?: number;
  retries: number;
  totalProcessingTime: number;
  apiActiveProcessingTime?: number;
  apexProcessingTime?: number;
  errorMessage?: string;
  query?: string;
}

const delimiter = z.enum(Object.keys(COLUMN_DELIMITERS) as [ColumnDelimiter, ...ColumnDelimiter[]]).default('COMMA');
const lineEnding = z.enum(['LF', 'CRLF']).default('LF');

export const ingestJobRequest = z.object({
  object: z.string().min(1),
  operation: z.enum(['insert', 'update', 'upsert', 'delete', 'hardDelete']),
  externalIdFieldName: z.string().optional(),
  contentType: z.literal('CSV').default('CSV'),
  columnDelimiter: delimiter,
  lineEnding,
  assignmentRuleId: z.string().optional()
});

export const queryJobRequest = z.object({
  operation: z.enum(['query', 'queryAll']).default('query'),
  query: z.string().min(1),
  contentType: z.literal('CSV').default('CSV'),
  columnDelimiter: delimiter,
  lineEnding
});

export const stateChange = z.object({ state: z.enum(['UploadComplete', 'Aborted']) });

/** `2024-01-15T10:00:00.000+0000`, the job timestamps' format. */
export const jobTimestamp = (date: Date): string => date.toISOString().replace(/Z$/, '+0000');
