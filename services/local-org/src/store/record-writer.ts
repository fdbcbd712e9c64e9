import { storedFormulaValue, type FieldDef, type FormulaEnv, type ObjectDef, type RecordValue } from '@handoff/schema';
import { RecordError } from '../errors';
import { storageKind } from '../schema/field-types';
import type { CompiledRollUp } from '../schema/formulas';
import type { OrgSchema } from '../schema/org-schema';
import type { Database, SqlValue } from './database';
import { makeId, normalizeId } from './ids';
import { ObjectMetaCache, type ObjectMeta } from './object-meta';
import {
  DERIVED_FIELDS,
  HISTORY_ROWS,
  STANDARD_DELETE_RULES,
  STANDARD_ROLL_UPS,
  type Row
} from './standard-behaviours';
import { apiRecord } from './api-record';
import type { BeforeSaveRecord } from './hooks';
import { columnOf, tableOf } from './tables';
import { coerceValue } from './values';

export type { Row } from './standard-behaviours';

const NO_PERMISSIONS: ReadonlySet<string> = new Set();

/** Who writes, when, and how incoming values are encoded. */
export interface WriteContext {
  userId: string;
  now: Date;
  /** `csv` (Bulk API): `#N/A` means null and an empty cell leaves the field unchanged. */
  format: 'json' | 'csv';
  /** Platform writes (seed data) may set fields the API may not. */
  system?: boolean;
  /** Consulted before a record is written; returning an error fails that record (fault injection). */
  guard?: (object: ObjectDef, id: string | undefined, row: Row) => RecordError | undefined;
  /** Custom permissions of the running user, lower-cased (`$Permission.X`). */
  permissions?: ReadonlySet<string>;
  /** Before triggers: consulted with API-shaped values before the record is checked; an error fails it. */
  beforeSave?: (record: BeforeSaveRecord) => RecordError | undefined;
}

export interface Change {
  object: ObjectDef;
  operation: 'insert' | 'update' | 'delete' | 'undelete';
  id: string;
  old?: Row;
  new?: Row;
}

export type ValueMap = Record<string, unknown>;

interface ParsedValues {
  row: Row;
  provided: Set<string>;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Validates and applies single-record inserts, updates, upserts and deletes against the schema, inside whatever
 * transaction the caller opened. Every API path (REST, collections, composite, Bulk) writes through here, so the
 * checks and system fields are the same everywhere.
 */
export class RecordWriter {
  private readonly metas: ObjectMetaCache;
  private sequence: number;

  constructor(
    private readonly db: Database,
    readonly schema: OrgSchema
  ) {
    this.metas = new ObjectMetaCache(schema);
    this.sequence = this.highestSequence() + 1;
  }

  meta(object: ObjectDef): ObjectMeta {
    return this.metas.of(object);
  }

  /** A fresh Id with the object's key prefix. */
  newId(prefix: string): string {
    return makeId(prefix, this.sequence++);
  }

  private highestSequence(): number {
    let highest = '';
    const tables = this.schema
      .objects()
      .filter((object) => this.schema.isStored(object) && object.fields.some((field) => field.type === 'Id'))
      .map((object) => `SELECT MAX(substr(id, 6, 10)) AS s FROM ${tableOf(object)}`);
    tables.push(
      'SELECT MAX(substr(id, 6, 10)) AS s FROM _bulk_jobs',
      'SELECT MAX(substr(id, 6, 10)) AS s FROM _events'
    );
    for (const sql of tables) {
      const value = this.db.get(sql)?.s;
      if (typeof value === 'string' && value > highest) highest = value;
    }
    let sequence = 0;
    for (const char of highest)
      sequence = sequence * 62 + '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'.indexOf(char);
    return sequence;
  }

  /** The stored row of a record (deleted ones only when asked). */
  get(object: ObjectDef, id: string, includeDeleted = false): Row | undefined {
    const meta = this.meta(object);
    const row = this.db.get(`SELECT * FROM ${meta.table} WHERE id = ?`, [id]);
    if (!row) return undefined;
    if (!includeDeleted && meta.hasIsDeleted && row.isdeleted === 1) return undefined;
    return { ...row };
  }

  /** Ids of live records whose `field` equals `value` (case-insensitively unless the field is case-sensitive). */
  findByField(object: ObjectDef, field: FieldDef, value: SqlValue): string[] {
    const meta = this.meta(object);
    const live = meta.hasIsDeleted ? ' AND isdeleted = 0' : '';
    return this.db
      .all(`SELECT id FROM ${meta.table} WHERE ${columnOf(field)} = ?${live} LIMIT 2`, [value])
      .map((row) => String(row.id));
  }

  insert(object: ObjectDef, values: ValueMap, context: WriteContext): Change {
    this.requireWritable(object, context);
    const meta = this.meta(object);
    const { row, provided } = this.parse(object, values, 'insert', context);
    for (const [column, value] of meta.defaults) {
      if (row[column] === undefined) row[column] = value;
    }
    const id = typeof row.id === 'string' && context.system ? row.id : this.newId(object.keyPrefix);
    const guardError = context.guard?.(object, undefined, row);
    if (guardError) throw guardError;
    this.beforeSave(object, 'insert', row, undefined, context);
    const now = context.now.toISOString();
    Object.assign(row, this.systemFields(meta, now, context.userId, true), { id });
    if (meta.hasOwner && (row.ownerid === undefined || row.ownerid === null)) row.ownerid = context.userId || null;
    // A custom object's text Name left blank is filled with the record Id, as the platform does.
    if (object.custom && meta.fieldsByColumn.get('name')?.type === 'Text' && (row.name ?? null) === null) row.name = id;
    DERIVED_FIELDS[object.name.toLowerCase()]?.({ row, old: undefined, provided, now: context.now });
    this.checkRequired(meta, row, undefined);
    this.checkReferences(meta, row, undefined, context);
    this.checkUnique(meta, row, id);
    for (const rollUp of this.schema.formulas.of(object).summaries) row[rollUp.column] = rollUp.empty;
    this.calculate(object, row, undefined, context, !context.system);
    // Every check is done: from here on the writes cannot fail half-way for a record-level reason.
    for (const field of meta.autoNumbers)
      row[field.name.toLowerCase()] = this.nextAutoNumber(object, field, context.now);
    const columns = Object.keys(row).filter((column) => meta.fieldsByColumn.has(column));
    this.db.run(
      `INSERT INTO ${meta.table} (${columns.map((column) => `"${column}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      columns.map((column) => row[column] ?? null)
    );
    this.rollUp(object, row, undefined, context);
    const stored: Row = {};
    for (const column of meta.fieldsByColumn.keys()) stored[column] = row[column] ?? null;
    this.writeHistory(object, stored, undefined, context);
    return { object, operation: 'insert', id, new: stored };
  }

  update(object: ObjectDef, idValue: string, values: ValueMap, context: WriteContext): Change {
    this.requireWritable(object, context);
    const meta = this.meta(object);
    const id = this.existingId(object, idValue);
    const old = this.get(object, id)!;
    const { row: changes, provided } = this.parse(object, values, 'update', context);
    const guardError = context.guard?.(object, id, { ...old, ...changes });
    if (guardError) throw guardError;
    this.beforeSave(object, 'update', { ...old, ...changes }, old, context);
    const row: Row = {
      ...old,
      ...changes,
      ...this.systemFields(meta, context.now.toISOString(), context.userId, false)
    };
    DERIVED_FIELDS[object.name.toLowerCase()]?.({ row, old, provided, now: context.now });
    this.checkRequired(meta, row, provided);
    this.checkReferences(meta, row, old, context);
    this.checkUnique(meta, row, id, old);
    this.calculate(object, row, old, context, !context.system);
    this.writeChanges(meta, id, old, row);
    this.rollUp(object, row, old, context);
    this.writeHistory(object, row, old, context);
    return { object, operation: 'update', id, old, new: row };
  }

  /** Upsert on an external id field (or `Id`): 0 matches insert, 1 updates, more fail. */
  upsert(
    object: ObjectDef,
    externalIdField: string,
    externalIdValue: unknown,
    values: ValueMap,
    context: WriteContext
  ): Change & { created: boolean } {
    const field = this.schema.field(object.name, externalIdField);
    if (!field || !(field.externalId || field.type === 'Id' || (field.unique && storageKind(field) === 'text'))) {
      throw new RecordError(
        'INVALID_FIELD',
        `Field name provided, ${externalIdField} is not an External ID or indexed field for ${object.name}`
      );
    }
    const rawValue =
      externalIdValue ?? Object.entries(values).find(([key]) => key.toLowerCase() === field.name.toLowerCase())?.[1];
    if (field.type === 'Id') {
      const withoutId = Object.fromEntries(Object.entries(values).filter(([key]) => key.toLowerCase() !== 'id'));
      if (rawValue === undefined || rawValue === null || rawValue === '') {
        return { ...this.insert(object, withoutId, context), created: true };
      }
      return { ...this.update(object, String(rawValue), withoutId, context), created: false };
    }
    if (rawValue === undefined || rawValue === null || rawValue === '') {
      throw new RecordError('MISSING_ARGUMENT', `${field.name} not specified`, [field.name]);
    }
    const value = coerceValue(this.schema, object, field, rawValue);
    const matches = this.findByField(object, field, value);
    if (matches.length > 1) {
      throw new RecordError(
        'DUPLICATE_EXTERNAL_ID',
        `${field.name}: more than one record found for external id field: ${String(value)}`,
        [field.name]
      );
    }
    const withKey = { ...values, [field.name]: rawValue };
    if (matches.length === 0) return { ...this.insert(object, withKey, context), created: true };
    return { ...this.update(object, matches[0]!, withKey, context), created: false };
  }

  /** Soft-deletes a record (to the recycle bin: IsDeleted = true) and applies its children's delete rules. */
  delete(object: ObjectDef | undefined, idValue: string, context: WriteContext): Change[] {
    const id = normalizeId(idValue);
    if (!id) throw new RecordError('MALFORMED_ID', `malformed id ${idValue}`);
    const target = object ?? this.schema.objectByKeyPrefix(id.slice(0, 3));
    if (!target || !this.schema.isStored(target) || (object && object.keyPrefix !== id.slice(0, 3))) {
      throw new RecordError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
    }
    this.requireWritable(target, context);
    const existing = this.existingId(target, id);
    const old = this.get(target, existing)!;
    const guardError = context.guard?.(target, existing, old);
    if (guardError) throw guardError;
    const changes: Change[] = [];
    this.deleteTree(target, existing, old, context, changes);
    this.rollUp(target, undefined, old, context);
    return changes;
  }

  private deleteTree(object: ObjectDef, id: string, old: Row, context: WriteContext, changes: Change[]): void {
    const now = context.now.toISOString();
    for (const { object: childObject, field } of this.schema.referencesTo(object.name)) {
      if (!this.schema.isStored(childObject)) continue;
      const childMeta = this.meta(childObject);
      const live = childMeta.hasIsDeleted ? ' AND isdeleted = 0' : '';
      const children = this.db.all(`SELECT * FROM ${childMeta.table} WHERE ${columnOf(field)} = ?${live}`, [id]);
      if (children.length === 0) continue;
      const rule = this.deleteRule(childObject, field);
      if (rule === 'Restrict') {
        const names = children.map((child) => String(child.name ?? child.id)).join(', ');
        throw new RecordError(
          'DELETE_FAILED',
          `Your attempt to delete ${String(old.name ?? id)} could not be completed because it is associated with the following ${childObject.pluralLabel.toLowerCase()}.: ${names}`
        );
      }
      for (const child of children) {
        if (rule === 'Cascade') {
          if (child.id !== id) this.deleteTree(childObject, String(child.id), { ...child }, context, changes);
        } else {
          this.db.run(`UPDATE ${childMeta.table} SET ${columnOf(field)} = NULL, systemmodstamp = ? WHERE id = ?`, [
            now,
            child.id
          ]);
        }
      }
    }
    const meta = this.meta(object);
    if (meta.hasIsDeleted) {
      this.db.run(`UPDATE ${meta.table} SET isdeleted = 1, systemmodstamp = ? WHERE id = ?`, [now, id]);
    } else {
      this.db.run(`DELETE FROM ${meta.table} WHERE id = ?`, [id]);
    }
    changes.push({ object, operation: 'delete', id, old });
  }

  private deleteRule(childObject: ObjectDef, field: FieldDef): 'Cascade' | 'Restrict' | 'SetNull' {
    return (
      this.schema.extras(childObject.name, field.name).deleteConstraint ??
      (field.type === 'MasterDetail' ? 'Cascade' : undefined) ??
      STANDARD_DELETE_RULES[`${childObject.name}.${field.name}`.toLowerCase()] ??
      'SetNull'
    );
  }

  /**
   * Restores a record from the recycle bin (Apex `undelete`), with the children its delete cascaded to: those deleted
   * in the same operation, i.e. with the parent's deletion SystemModstamp. Roll-ups follow the restored children.
   * Lookups the delete cleared (SetNull) are not restored.
   */
  undelete(object: ObjectDef | undefined, idValue: string, context: WriteContext): Change[] {
    const id = normalizeId(idValue);
    if (!id) throw new RecordError('MALFORMED_ID', `malformed id ${idValue}`);
    const target = object ?? this.schema.objectByKeyPrefix(id.slice(0, 3));
    if (!target || !this.schema.isStored(target) || (object && object.keyPrefix !== id.slice(0, 3))) {
      throw new RecordError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
    }
    this.requireWritable(target, context);
    const old = this.get(target, id, true);
    if (!old) throw new RecordError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
    if (old.isdeleted !== 1) throw new RecordError('UNDELETE_FAILED', 'Entity is not in the recycle bin');
    this.checkReferences(this.meta(target), old, undefined, context);
    const changes: Change[] = [];
    this.undeleteTree(target, id, old, context, changes);
    return changes;
  }

  private undeleteTree(object: ObjectDef, id: string, old: Row, context: WriteContext, changes: Change[]): void {
    const meta = this.meta(object);
    this.checkUnique(meta, old, id);
    this.db.run(`UPDATE ${meta.table} SET isdeleted = 0, systemmodstamp = ? WHERE id = ?`, [
      context.now.toISOString(),
      id
    ]);
    const restored = this.get(object, id)!;
    changes.push({ object, operation: 'undelete', id, new: restored });
    this.rollUp(object, restored, undefined, context);
    for (const { object: childObject, field } of this.schema.referencesTo(object.name)) {
      const childMeta = this.schema.isStored(childObject) ? this.meta(childObject) : undefined;
      if (!childMeta?.hasIsDeleted || this.deleteRule(childObject, field) !== 'Cascade') continue;
      const children = this.db.all(
        `SELECT * FROM ${childMeta.table} WHERE ${columnOf(field)} = ? AND isdeleted = 1 AND systemmodstamp = ?`,
        [id, old.systemmodstamp ?? null]
      );
      for (const child of children) {
        if (child.id !== id) this.undeleteTree(childObject, String(child.id), { ...child }, context, changes);
      }
    }
  }

  /** Removes records for good (Bulk API hardDelete, reset). */
  purge(object: ObjectDef, id: string): void {
    this.db.run(`DELETE FROM ${this.meta(object).table} WHERE id = ?`, [id]);
  }

  private requireWritable(object: ObjectDef, context: WriteContext): void {
    if (!context.system && !this.schema.writable(object)) {
      throw new RecordError(
        'INVALID_TYPE_FOR_OPERATION',
        `entity type ${object.name} does not support insert, update or delete through the API`
      );
    }
  }

  /** The canonical Id of a live record of `object`, or the error Salesforce gives for that Id. */
  existingId(object: ObjectDef, idValue: string): string {
    const id = normalizeId(idValue);
    if (!id)
      throw new RecordError('MALFORMED_ID', `${object.label} ID: id value of incorrect type: ${idValue}`, ['Id']);
    if (id.slice(0, 3) !== object.keyPrefix) {
      throw new RecordError('MALFORMED_ID', `${object.label} ID: id value of incorrect type: ${idValue}`, ['Id']);
    }
    const row = this.get(object, id, true);
    if (!row) throw new RecordError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
    if (row.isdeleted === 1) throw new RecordError('ENTITY_IS_DELETED', 'entity is deleted');
    return id;
  }

  private systemFields(meta: ObjectMeta, now: string, userId: string, created: boolean): Row {
    const row: Row = {};
    const set = (column: string, value: SqlValue) => {
      if (meta.fieldsByColumn.has(column)) row[column] = value;
    };
    if (created) {
      set('createddate', now);
      set('createdbyid', userId || null);
      set('isdeleted', 0);
    }
    set('lastmodifieddate', now);
    set('lastmodifiedbyid', userId || null);
    set('systemmodstamp', now);
    return row;
  }

  private parse(object: ObjectDef, values: ValueMap, mode: 'insert' | 'update', context: WriteContext): ParsedValues {
    if (!isObject(values)) throw new RecordError('JSON_PARSER_ERROR', 'The record must be a JSON object');
    const row: Row = {};
    const provided = new Set<string>();
    const readOnly: string[] = [];
    for (const [key, raw] of Object.entries(values)) {
      if (key === 'attributes') continue;
      const field = this.schema.field(object.name, key);
      if (!field) {
        const relationship = this.schema.relationship(object.name, key);
        if (relationship && (isObject(raw) || raw === null)) {
          const column = relationship.name.toLowerCase();
          row[column] = raw === null ? null : this.resolveForeignKey(object, relationship, raw);
          provided.add(column);
          continue;
        }
        throw new RecordError('INVALID_FIELD', `No such column '${key}' on sobject of type ${object.name}`);
      }
      const column = field.name.toLowerCase();
      if (field.type === 'Id') {
        if (mode === 'insert' && context.system) row.id = raw as SqlValue;
        else if (mode === 'insert' && raw !== null && raw !== undefined && raw !== '') {
          throw new RecordError('INVALID_FIELD_FOR_INSERT_UPDATE', 'Record ID: cannot specify Id in an insert call', [
            'Id'
          ]);
        }
        continue;
      }
      if (context.format === 'csv' && raw === '') continue;
      const writable = mode === 'insert' ? field.createable : field.updateable;
      if (!writable && !context.system) {
        readOnly.push(field.name);
        continue;
      }
      const value = raw === undefined || (context.format === 'csv' && raw === '#N/A') ? null : raw;
      row[column] = coerceValue(this.schema, object, field, value);
      provided.add(column);
    }
    if (readOnly.length) {
      throw new RecordError(
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        readOnly
      );
    }
    return { row, provided };
  }

  /** `"Account": { "Ext_Id__c": "A-1" }` (or CSV `Account.Ext_Id__c`): the Id of the parent with that key. */
  private resolveForeignKey(object: ObjectDef, relationship: FieldDef, reference: Record<string, unknown>): string {
    const attributes = isObject(reference.attributes) ? reference.attributes : {};
    const targetName = typeof attributes.type === 'string' ? attributes.type : relationship.referenceTo?.[0];
    const target = targetName ? this.schema.object(targetName) : undefined;
    const entries = Object.entries(reference).filter(([key]) => key !== 'attributes');
    if (!target || entries.length !== 1) {
      throw new RecordError(
        'INVALID_FIELD',
        `Foreign key reference for ${relationship.relationshipName} on ${object.name} must name exactly one external id field`,
        [relationship.name]
      );
    }
    const [keyName, keyValue] = entries[0]!;
    const keyField = this.schema.field(target.name, keyName);
    if (!keyField || !(keyField.externalId || keyField.unique || keyField.type === 'Id')) {
      throw new RecordError(
        'INVALID_FIELD',
        `Field name provided, ${keyName} is not an External ID or indexed field for ${target.name}`,
        [relationship.name]
      );
    }
    if (keyField.type === 'Id') return this.existingId(target, String(keyValue));
    const matches = this.findByField(target, keyField, coerceValue(this.schema, target, keyField, keyValue ?? null));
    if (matches.length !== 1) {
      const problem = matches.length === 0 ? 'not found' : 'is not unique';
      throw new RecordError(
        'INVALID_FIELD',
        `Foreign key external ID: ${String(keyValue)} ${problem} for field ${keyField.name} in entity ${target.name}`,
        [relationship.name]
      );
    }
    return matches[0]!;
  }

  private checkRequired(meta: ObjectMeta, row: Row, provided: Set<string> | undefined): void {
    const missing = meta.required
      .filter((field) => {
        const column = field.name.toLowerCase();
        if (provided && !provided.has(column)) return false;
        return row[column] === null || row[column] === undefined || row[column] === '';
      })
      .map((field) => field.name);
    if (missing.length) {
      throw new RecordError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing);
    }
  }

  private checkReferences(meta: ObjectMeta, row: Row, old: Row | undefined, context: WriteContext): void {
    for (const field of meta.references) {
      const column = field.name.toLowerCase();
      const value = row[column];
      // The audit lookups are set by the platform to the acting user, never by the caller.
      if (column === 'createdbyid' || column === 'lastmodifiedbyid') continue;
      if (typeof value !== 'string' || (old && old[column] === value) || value === context.userId) continue;
      const target = this.schema.objectByKeyPrefix(value.slice(0, 3));
      if (!target || !this.schema.isStored(target)) {
        throw new RecordError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [field.name]);
      }
      const parent = this.db.get(
        `SELECT ${this.meta(target).hasIsDeleted ? 'isdeleted' : '0 AS isdeleted'} FROM ${tableOf(target)} WHERE id = ?`,
        [value]
      );
      if (!parent) throw new RecordError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [field.name]);
      if (parent.isdeleted === 1) throw new RecordError('ENTITY_IS_DELETED', 'entity is deleted', [field.name]);
    }
  }

  private checkUnique(meta: ObjectMeta, row: Row, id: string, old?: Row): void {
    for (const field of meta.unique) {
      const column = field.name.toLowerCase();
      const value = row[column];
      if (value === null || value === undefined || (old && old[column] === value)) continue;
      const live = meta.hasIsDeleted ? ' AND isdeleted = 0' : '';
      const clash = this.db.get(
        `SELECT id FROM ${meta.table} WHERE ${columnOf(field)} = ? AND id <> ?${live} LIMIT 1`,
        [value, id]
      );
      if (clash) {
        throw new RecordError(
          'DUPLICATE_VALUE',
          `duplicate value found: ${field.name} duplicates value on record with id: ${String(clash.id)}`
        );
      }
    }
  }

  private writeChanges(meta: ObjectMeta, id: string, old: Row, row: Row): void {
    const columns = Object.keys(row).filter(
      (column) => column !== 'id' && meta.fieldsByColumn.has(column) && row[column] !== old[column]
    );
    if (columns.length === 0) return;
    this.db.run(`UPDATE ${meta.table} SET ${columns.map((column) => `"${column}" = ?`).join(', ')} WHERE id = ?`, [
      ...columns.map((column) => row[column] ?? null),
      id
    ]);
  }

  private nextAutoNumber(object: ObjectDef, field: FieldDef, now: Date): string {
    const key = `autonumber:${object.name}.${field.name}`.toLowerCase();
    const next = Number(this.db.get('SELECT value FROM _meta WHERE key = ?', [key])?.value ?? 0) + 1;
    this.db.run('INSERT INTO _meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [
      key,
      String(next)
    ]);
    const format = this.schema.extras(object.name, field.name).displayFormat ?? '{0}';
    return format
      .replace(/\{(0+)\}/, (_match, zeros: string) => String(next).padStart(zeros.length, '0'))
      .replace(/\{YYYY\}/g, String(now.getUTCFullYear()))
      .replace(/\{YY\}/g, String(now.getUTCFullYear()).slice(2))
      .replace(/\{MM\}/g, String(now.getUTCMonth() + 1).padStart(2, '0'))
      .replace(/\{DD\}/g, String(now.getUTCDate()).padStart(2, '0'));
  }

  /** Runs the before triggers on a record about to be saved; the first error fails it. */
  private beforeSave(
    object: ObjectDef,
    operation: 'insert' | 'update',
    row: Row,
    old: Row | undefined,
    context: WriteContext
  ) {
    if (!context.beforeSave) return;
    const error = context.beforeSave({
      object,
      operation,
      values: apiRecord(object, row as Record<string, SqlValue>),
      permissions: context.permissions ?? NO_PERMISSIONS,
      ...(old ? { old: apiRecord(object, old as Record<string, SqlValue>) } : {})
    });
    if (error) throw error;
  }

  /**
   * Formula fields, then validation rules, on the record about to be saved (Apex Developer Guide, "Triggers and Order
   * of Execution": before triggers, system validation again with the user-defined validation rules, then the save,
   * then after triggers; the Handoff triggers are all after triggers). Formula fields are stored with the record and
   * recalculated whenever it or a child it rolls up changes, so REST, SOQL filters and ORDER BY read current values.
   * Every failing active rule is reported, with its error display field. Platform writes (`system`: the org's own
   * records, custom metadata) are not subject to validation rules.
   */
  private calculate(object: ObjectDef, row: Row, old: Row | undefined, context: WriteContext, validate: boolean): void {
    const formulas = this.schema.formulas.of(object);
    if (formulas.fields.length === 0 && (!validate || formulas.rules.length === 0)) return;
    const env: FormulaEnv = {
      get: (column) => row[column] as RecordValue,
      prior: old && ((column) => old[column] as RecordValue),
      isNew: old === undefined,
      permissions: context.permissions ?? NO_PERMISSIONS,
      userId: context.userId,
      now: context.now
    };
    for (const { field, column, formula } of formulas.fields) {
      row[column] = storedFormulaValue(field, formula.type, formula.evaluate(env));
    }
    if (!validate) return;
    const errors: RecordError[] = [];
    for (const { rule, formula } of formulas.rules) {
      if (formula.evaluate(env) === true) {
        errors.push(
          new RecordError(
            'FIELD_CUSTOM_VALIDATION_EXCEPTION',
            rule.errorMessage,
            rule.errorDisplayField ? [rule.errorDisplayField] : []
          )
        );
      }
    }
    if (errors.length) {
      const [first, ...rest] = errors as [RecordError, ...RecordError[]];
      throw new RecordError(first.statusCode, first.message, first.fields, rest);
    }
  }

  /**
   * Recalculates every stored formula and roll-up summary value (one grouped query per roll-up): for records written
   * before a formula or roll-up field existed, or by an older version of the org. Returns how many records changed.
   */
  recalculateAll(context: WriteContext): number {
    let changed = 0;
    for (const object of this.schema.objects()) {
      const formulas = this.schema.formulas.of(object);
      if (!this.schema.isStored(object) || (formulas.fields.length === 0 && formulas.summaries.length === 0)) continue;
      const meta = this.meta(object);
      const totals = formulas.summaries.map(
        (rollUp) => new Map(this.db.all(rollUp.groupSql, rollUp.params).map((row) => [String(row.k), row.v]))
      );
      for (const stored of this.db.all(`SELECT * FROM ${meta.table}`)) {
        const row: Row = { ...stored };
        formulas.summaries.forEach((rollUp, index) => {
          const value = totals[index]!.get(String(row.id));
          row[rollUp.column] = typeof value === 'number' ? value : rollUp.empty;
        });
        this.calculate(object, row, stored, context, false);
        if (meta.object.fields.some((field) => row[field.name.toLowerCase()] !== stored[field.name.toLowerCase()])) {
          this.writeChanges(meta, String(row.id), stored, row);
          changed++;
        }
      }
    }
    return changed;
  }

  /** Keeps declared roll-up summaries of the parents of a changed child record current (one query per roll-up). */
  private rollUpSummaries(object: ObjectDef, row: Row | undefined, old: Row | undefined, context: WriteContext): void {
    if (this.schema.formulas.rollUpsFrom(object).length === 0) return;
    const byParent = new Map<string, { parent: ObjectDef; rollUps: CompiledRollUp[] }>();
    for (const rollUp of this.schema.formulas.rollUpsFrom(object)) {
      for (const parentId of [row?.[rollUp.foreignKey], old?.[rollUp.foreignKey]]) {
        if (typeof parentId !== 'string') continue;
        const key = `${rollUp.parent.name}:${parentId}`;
        const entry = byParent.get(key) ?? { parent: rollUp.parent, rollUps: [] };
        if (!entry.rollUps.includes(rollUp)) entry.rollUps.push(rollUp);
        byParent.set(key, entry);
      }
    }
    for (const [key, { parent: parentObject, rollUps }] of byParent) {
      const parentId = key.slice(key.indexOf(':') + 1);
      const parent = this.get(parentObject, parentId);
      if (!parent) continue;
      const next: Row = { ...parent };
      for (const rollUp of rollUps) {
        const value = this.db.get(rollUp.sql, [parentId, ...rollUp.params])?.v;
        next[rollUp.column] = typeof value === 'number' ? value : rollUp.empty;
      }
      // The parent's formula fields follow; its validation rules are not run again (see the README).
      this.calculate(parentObject, next, parent, context, false);
      this.writeChanges(this.meta(parentObject), parentId, parent, next);
    }
  }

  /** Keeps standard roll-ups (Opportunity.Amount from its products) in step with child changes. */
  private rollUp(object: ObjectDef, row: Row | undefined, old: Row | undefined, context: WriteContext): void {
    this.rollUpSummaries(object, row, old, context);
    const rule = STANDARD_ROLL_UPS[object.name.toLowerCase()];
    const parentObject = rule && this.schema.object(rule.parentObject);
    if (!rule || !parentObject) return;
    const parents = new Set([row?.[rule.childField], old?.[rule.childField]].filter((id) => typeof id === 'string'));
    for (const parentId of parents) {
      const parent = this.get(parentObject, String(parentId));
      const totals = this.db.get(rule.sql, [parentId as string]);
      if (!parent || !totals) continue;
      const next: Row = { ...parent, hasopportunitylineitem: totals.hasopportunitylineitem ? 1 : 0 };
      if (totals.hasopportunitylineitem) next.amount = totals.amount;
      next.systemmodstamp = context.now.toISOString();
      DERIVED_FIELDS[parentObject.name.toLowerCase()]?.({
        row: next,
        old: parent,
        provided: new Set(),
        now: context.now
      });
      this.writeChanges(this.meta(parentObject), String(parentId), parent, next);
      this.writeHistory(parentObject, next, parent, context);
    }
  }

  /** The history row the platform writes for a save of a standard object that keeps one (OpportunityHistory). */
  private writeHistory(object: ObjectDef, row: Row, old: Row | undefined, context: WriteContext): void {
    const rule = HISTORY_ROWS[object.name.toLowerCase()];
    const historyObject = rule && this.schema.object(rule.historyObject);
    if (!rule || !historyObject || !this.schema.isStored(historyObject)) return;
    const values = rule.rowOf(row, old);
    if (values) this.insert(historyObject, values, { ...context, system: true, guard: undefined });
  }
}
