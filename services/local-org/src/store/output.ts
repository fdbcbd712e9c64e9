import type { FieldDef } from '@handoff/schema';
import { storageKind } from '../schema/field-types';
import type { SqlValue } from './database';

/** `2024-01-15T10:00:00.000Z` as the REST API writes datetimes: `2024-01-15T10:00:00.000+0000`. */
export const restDateTime = (iso: string): string => iso.replace(/Z$/, '+0000');

/** A stored value as the REST API returns it in JSON. */
export function toJsonValue(field: FieldDef, stored: SqlValue | undefined): unknown {
  if (stored === null || stored === undefined) return storageKind(field) === 'boolean' ? false : null;
  switch (storageKind(field)) {
    case 'boolean':
      return stored === 1 || stored === '1' || stored === 'true';
    case 'number':
      return typeof stored === 'number' ? stored : Number(stored);
    case 'datetime':
      return restDateTime(String(stored));
    default:
      return typeof stored === 'string' ? stored : String(stored);
  }
}

/** A stored value as the Bulk API writes it in CSV (nulls are empty cells). */
export function toCsvValue(field: FieldDef, stored: SqlValue | undefined): string {
  if (stored === null || stored === undefined) return storageKind(field) === 'boolean' ? 'false' : '';
  switch (storageKind(field)) {
    case 'boolean':
      return stored === 1 ? 'true' : 'false';
    default:
      return String(stored);
  }
}
