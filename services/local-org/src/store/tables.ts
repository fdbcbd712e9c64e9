import type { FieldDef, ObjectDef } from '@handoff/schema';
import { isTextual, storageKind } from '../schema/field-types';
import type { OrgSchema } from '../schema/org-schema';
import type { Database } from './database';

/** SQLite table of an object: one table per object, one column per field (lower-cased API name). */
export const tableOf = (object: ObjectDef | string): string =>
  `"o_${(typeof object === 'string' ? object : object.name).toLowerCase()}"`;

export const columnOf = (field: FieldDef | string): string =>
  `"${(typeof field === 'string' ? field : field.name).toLowerCase()}"`;

/** Key of a column in a result row (what node:sqlite names it). */
export const rowKey = (field: FieldDef): string => field.name.toLowerCase();

function columnDeclaration(schema: OrgSchema, object: ObjectDef, field: FieldDef): string {
  const kind = storageKind(field);
  if (kind === 'id') return `${columnOf(field)} TEXT PRIMARY KEY`;
  if (kind === 'number') return `${columnOf(field)} REAL`;
  if (kind === 'boolean') return `${columnOf(field)} INTEGER`;
  if (isTextual(kind) && !schema.extras(object.name, field.name).caseSensitive) {
    return `${columnOf(field)} TEXT COLLATE NOCASE`;
  }
  return `${columnOf(field)} TEXT`;
}

const META_TABLES = `
CREATE TABLE IF NOT EXISTS _meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS _tokens (token TEXT PRIMARY KEY, revoked INTEGER NOT NULL DEFAULT 0, issued_at TEXT);
CREATE TABLE IF NOT EXISTS _bulk_jobs (id TEXT PRIMARY KEY, kind TEXT NOT NULL, info TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS _bulk_files (job_id TEXT NOT NULL, name TEXT NOT NULL, content TEXT NOT NULL,
  PRIMARY KEY (job_id, name));
CREATE TABLE IF NOT EXISTS _events (id TEXT PRIMARY KEY, object TEXT NOT NULL, payload TEXT NOT NULL,
  published_at TEXT NOT NULL);
`;

/**
 * Brings the database in line with the schema: creates missing tables, adds columns for fields that appeared since
 * (the object model grows while the org runs), and indexes lookups and unique/external-id fields. Columns of fields
 * that disappeared stay in the table but are no longer served.
 */
export function syncTables(db: Database, schema: OrgSchema): void {
  db.exec(META_TABLES);
  for (const object of schema.objects()) {
    if (!schema.isStored(object) || !object.fields.some((field) => field.type === 'Id')) continue;
    const table = tableOf(object);
    const existing = db.all(`PRAGMA table_info(${table})`).map((row) => String(row.name).toLowerCase());
    if (existing.length === 0) {
      const columns = object.fields.map((field) => columnDeclaration(schema, object, field));
      db.exec(`CREATE TABLE ${table} (${columns.join(', ')})`);
    } else {
      const known = new Set(existing);
      for (const field of object.fields) {
        if (!known.has(field.name.toLowerCase())) {
          db.exec(`ALTER TABLE ${table} ADD COLUMN ${columnDeclaration(schema, object, field)}`);
        }
      }
    }
    for (const field of object.fields) {
      const kind = storageKind(field);
      if (kind === 'reference' || field.unique || field.externalId) {
        const index = `"ix_${object.name.toLowerCase()}_${field.name.toLowerCase()}"`;
        db.exec(`CREATE INDEX IF NOT EXISTS ${index} ON ${table} (${columnOf(field)})`);
      }
    }
  }
  db.clearStatements();
}

/** Deletes every record of every object (the tables stay). */
export function clearTables(db: Database, schema: OrgSchema): void {
  for (const object of schema.objects()) {
    if (!schema.isStored(object) || !object.fields.some((field) => field.type === 'Id')) continue;
    db.exec(`DELETE FROM ${tableOf(object)}`);
  }
  db.exec('DELETE FROM _bulk_jobs; DELETE FROM _bulk_files; DELETE FROM _events');
}
