import type { FieldDef, ObjectDef } from '@handoff/schema';
import type { SqlValue } from './database';
import { toJsonValue } from './output';

export interface RecordAttributes {
  type: string;
  url?: string;
}

/** The REST path of a record: `/services/data/v66.0/sobjects/Account/001...`. */
export const recordUrl = (version: string, objectName: string, id: string): string =>
  `/services/data/v${version}/sobjects/${objectName}/${id}`;

/**
 * A stored row as the REST API shows a record: API field names in schema order, JSON-typed values, and (when a
 * version is given) the `attributes` header.
 */
export function apiRecord(
  object: ObjectDef,
  row: Record<string, SqlValue>,
  options: { version?: string; fields?: FieldDef[] } = {}
): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  if (options.version !== undefined) {
    record.attributes = { type: object.name, url: recordUrl(options.version, object.name, String(row.id)) };
  }
  for (const field of options.fields ?? object.fields) {
    record[field.name] = toJsonValue(field, row[field.name.toLowerCase()]);
  }
  return record;
}
