import type { FieldDef, ObjectDef } from '@handoff/schema';
import { RecordError } from '../errors';
import type { FaultConfig } from '../http/faults';
import type { Store, WriteOperation } from '../store/store';
import type { JobInfo } from './job-info';

type Column = { kind: 'field'; field: FieldDef } | { kind: 'reference'; relationship: FieldDef; keyField: FieldDef };

export interface IngestOutcome {
  successful: string[][];
  failed: string[][];
  unprocessed: string[][];
  /** Set when the job as a whole failed. */
  errorMessage?: string;
}

const CHUNK = 200;

/** `REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --`, as failedResults writes sf__Error. */
export const bulkError = (error: RecordError): string =>
  `${error.statusCode}:${error.message}:${error.fields.join(',')} --`;

function columnsOf(store: Store, object: ObjectDef, header: string[]): Column[] | string {
  const columns: Column[] = [];
  for (const raw of header) {
    const name = raw.trim();
    const field = store.schema.field(object.name, name);
    if (field) {
      columns.push({ kind: 'field', field });
      continue;
    }
    const [relationshipName, keyName, ...rest] = name.split('.');
    const relationship =
      keyName && !rest.length ? store.schema.relationship(object.name, relationshipName!) : undefined;
    const target = relationship?.referenceTo?.[0];
    const keyField = target ? store.schema.field(target, keyName!) : undefined;
    if (!relationship || !keyField) return `InvalidBatch : Field name not found : ${name}`;
    columns.push({ kind: 'reference', relationship, keyField });
  }
  return columns;
}

function operationFor(info: JobInfo, columns: Column[], row: string[]): WriteOperation {
  const values: Record<string, unknown> = {};
  let id: string | undefined;
  columns.forEach((column, index) => {
    const cell = row[index] ?? '';
    if (column.kind === 'field') {
      if (column.field.type === 'Id') id = cell || undefined;
      values[column.field.name] = cell;
    } else if (cell !== '') {
      values[column.relationship.relationshipName!] = cell === '#N/A' ? null : { [column.keyField.name]: cell };
    }
  });
  switch (info.operation) {
    case 'insert':
      return { kind: 'insert', object: info.object, values };
    case 'update':
      return { kind: 'update', object: info.object, id: id ?? '', values };
    case 'upsert':
      return { kind: 'upsert', object: info.object, externalIdField: info.externalIdFieldName!, values };
    default:
      return { kind: 'delete', object: info.object, id: id ?? '' };
  }
}

/**
 * Applies an ingest job's rows in chunks of 200 (each chunk its own transaction, like the platform's internal
 * batches), honouring the bulk fault: rows after `failAfterRow` fail, or the job stops there.
 */
export async function processIngest(
  store: Store,
  info: JobInfo,
  rows: string[][],
  options: { fault?: FaultConfig['bulkIngest']; aborted: () => boolean }
): Promise<IngestOutcome> {
  const [header, ...data] = rows;
  const outcome: IngestOutcome = { successful: [], failed: [], unprocessed: [] };
  if (!header) return { ...outcome, errorMessage: 'InvalidBatch : Empty batch' };
  const object = store.object(info.object);
  const columns = columnsOf(store, object, header);
  if (typeof columns === 'string') return { ...outcome, unprocessed: data, errorMessage: columns };
  const needsId = info.operation === 'update' || info.operation === 'delete' || info.operation === 'hardDelete';
  if (needsId && !columns.some((column) => column.kind === 'field' && column.field.type === 'Id')) {
    return { ...outcome, unprocessed: data, errorMessage: 'InvalidBatch : Field name not found : Id' };
  }
  const { fault } = options;
  for (let start = 0; start < data.length; start += CHUNK) {
    if (options.aborted()) {
      outcome.unprocessed.push(...data.slice(start));
      break;
    }
    const chunk = data.slice(start, start + CHUNK);
    const stopAt = fault?.mode === 'job' ? fault.failAfterRow - start : Infinity;
    if (stopAt < chunk.length) {
      outcome.unprocessed.push(...data.slice(start + Math.max(0, stopAt)));
      chunk.length = Math.max(0, stopAt);
      outcome.errorMessage = `${fault!.errorCode} : ${fault!.message}`;
    }
    const operations: { row: string[]; operation: WriteOperation }[] = [];
    chunk.forEach((row, offset) => {
      if (fault?.mode === 'records' && start + offset >= fault.failAfterRow) {
        outcome.failed.push(['', bulkError(new RecordError(fault.errorCode, fault.message)), ...row]);
      } else {
        operations.push({ row, operation: operationFor(info, columns, row) });
      }
    });
    const results = store.write(
      operations.map((entry) => entry.operation),
      { format: 'csv' }
    );
    results.forEach((result, index) => {
      const { row } = operations[index]!;
      if (result.success) {
        const created = info.operation === 'insert' || (info.operation === 'upsert' && result.created === true);
        outcome.successful.push([result.id ?? '', String(created), ...row]);
        if (info.operation === 'hardDelete' && result.id) store.writer.purge(object, result.id);
      } else {
        outcome.failed.push([result.id ?? '', result.errors.map(bulkError).join(' '), ...row]);
      }
    });
    if (outcome.errorMessage) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return outcome;
}
