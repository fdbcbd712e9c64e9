import type { ObjectDef } from '@handoff/schema';
import { RecordError, SalesforceError } from '../errors';
import type { OrgSchema } from '../schema/org-schema';
import { QueryEngine, type QueryOptions } from '../soql/engine';
import { apiRecord } from './api-record';
import type { Database } from './database';
import { EventBus } from './event-bus';
import { HookRegistry, type BeforeSaveRecord, type TriggerEvent } from './hooks';
import { normalizeId } from './ids';
import { RecordWriter, type Change, type Row, type ValueMap, type WriteContext } from './record-writer';
import { coerceValue } from './values';

export type WriteOperation =
  | { kind: 'insert'; object: string; values: ValueMap }
  | { kind: 'update'; object: string; id: string; values: ValueMap }
  | { kind: 'upsert'; object: string; externalIdField: string; externalId?: unknown; values: ValueMap }
  | { kind: 'delete'; object?: string; id: string }
  | { kind: 'undelete'; object?: string; id: string };

export interface WriteResult {
  id?: string;
  success: boolean;
  created?: boolean;
  errors: RecordError[];
}

export interface WriteOptions {
  /** Roll every record back when one fails (sObject Collections `allOrNone`). */
  allOrNone?: boolean;
  format?: 'json' | 'csv';
  /** Platform writes (seeding) may set read-only fields and write read-only objects. */
  system?: boolean;
  /**
   * DuplicateRuleHeader allowSave (REST `Sforce-Duplicate-Rule-Header: allowSave=true`): save a record a duplicate
   * rule only alerts on. A rule that blocks still blocks.
   */
  allowSave?: boolean;
  /**
   * The moment a platform write happens (default: the org's clock). Seeding replays a data migration's past saves
   * with it, so the records and the history rows the platform writes carry their past CreatedDate.
   */
  now?: Date;
}

export interface StoreOptions {
  now: () => Date;
  /** The user the API acts as (CreatedById, OwnerId default). */
  userId: () => string;
  /** Custom permissions that user has (`$Permission.X` in formulas), lower-cased. */
  permissions?: () => ReadonlySet<string>;
}

const ROLLBACK = Symbol('rollback');
const NO_PERMISSIONS: ReadonlySet<string> = new Set();
const ROLLED_BACK = () =>
  new RecordError(
    'ALL_OR_NONE_OPERATION_ROLLED_BACK',
    'Record rolled back because not all records were valid and the request was using AllOrNone header'
  );

interface Applied {
  id: string;
  created?: boolean;
  changes: Change[];
}

/**
 * The org's records: every write goes through `write` (validation by schema, system fields, hooks), every read
 * through `get` or SOQL. Synchronous on purpose: a batch runs start to finish without yielding, so concurrent
 * requests never interleave inside one.
 */
export class Store {
  writer: RecordWriter;
  readonly hooks = new HookRegistry<Store>();
  /** Platform event subscribers: events reach them after the publishing transaction commits. */
  readonly events = new EventBus();
  queries: QueryEngine;
  /** Fault injection: consulted before each record is written. */
  guard: WriteContext['guard'];
  /** Custom permissions granted on top of the org's (e.g. a test acting as an integration user). */
  private granted: ReadonlySet<string> = new Set();

  constructor(
    readonly db: Database,
    public schema: OrgSchema,
    private readonly options: StoreOptions
  ) {
    this.writer = new RecordWriter(db, schema);
    this.queries = new QueryEngine(db, schema, options);
  }

  /** Switches to a reloaded schema (the tables must have been synced to it). */
  useSchema(schema: OrgSchema): void {
    this.schema = schema;
    this.writer = new RecordWriter(this.db, schema);
    this.queries = new QueryEngine(this.db, schema, this.options);
  }

  now(): Date {
    return this.options.now();
  }

  /** The user the API acts as (automation stamps it as the running user). */
  userId(): string {
    return this.options.userId();
  }

  object(name: string): ObjectDef {
    const object = this.schema.object(name);
    if (!object) {
      throw new RecordError('INVALID_TYPE', `sObject type '${name}' is not supported.`);
    }
    return object;
  }

  /**
   * Grants custom permissions (`$Permission.X`) to the running user until the returned function is called, as a
   * permission set assignment would; for tests that act as an integration user.
   */
  grantPermissions(names: string[]): () => void {
    const before = this.granted;
    this.granted = new Set([...before, ...names.map((name) => name.toLowerCase())]);
    return () => {
      this.granted = before;
    };
  }

  private permissions(): ReadonlySet<string> {
    const base = this.options.permissions?.() ?? NO_PERMISSIONS;
    return this.granted.size === 0 ? base : new Set([...base, ...this.granted]);
  }

  /** Applies operations as one batch. Per-record results; with `allOrNone` any failure rolls back all of them. */
  write(operations: WriteOperation[], options: WriteOptions = {}): WriteResult[] {
    const context: WriteContext = {
      userId: this.options.userId(),
      now: options.system && options.now ? options.now : this.options.now(),
      format: options.format ?? 'json',
      system: options.system,
      guard: options.system ? undefined : this.guard,
      permissions: this.permissions(),
      // Platform writes (seed data, the org's own records) run no triggers.
      beforeSave: options.system ? undefined : (record) => this.beforeSave(record)
    };
    const results: WriteResult[] = operations.map((operation) => ({
      ...('id' in operation ? { id: operation.id } : {}),
      success: false,
      errors: []
    }));
    this.db.transaction(() => {
      let pending = operations.map((_operation, index) => index);
      for (let attempt = 0; attempt < 3 && pending.length; attempt++) {
        const applied = new Map<number, Applied>();
        const failed = new Set<number>();
        const hookErrors = new Map<number, RecordError[]>();
        let events: TriggerEvent[] = [];
        try {
          this.db.transaction(() => {
            for (const index of pending) {
              try {
                applied.set(
                  index,
                  this.db.transaction(() => this.apply(operations[index]!, context))
                );
              } catch (error) {
                if (!(error instanceof RecordError)) throw error;
                results[index] = { ...results[index]!, success: false, errors: error.all() };
                failed.add(index);
              }
            }
            if (options.allOrNone && failed.size) throw ROLLBACK;
            events = this.triggerEvents(applied, hookErrors, options);
            for (const event of events) {
              for (const hooks of this.hooks.for(event.object.name)) hooks.beforeCommit?.(event, this);
            }
            if (hookErrors.size) throw ROLLBACK;
          });
        } catch (error) {
          if (error !== ROLLBACK) throw error;
          for (const [index, errors] of hookErrors) results[index] = { ...results[index]!, success: false, errors };
          if (options.allOrNone) {
            for (const index of pending) {
              if (!failed.has(index) && !hookErrors.has(index)) {
                results[index] = { ...results[index]!, success: false, errors: [ROLLED_BACK()] };
              }
            }
            return;
          }
          // Partial save: the records that failed drop out and the rest of the batch runs again, as the platform
          // retries a DML batch whose triggers failed some records.
          pending = pending.filter((index) => !failed.has(index) && !hookErrors.has(index));
          continue;
        }
        for (const [index, outcome] of applied) {
          results[index] = {
            id: outcome.id,
            success: true,
            errors: [],
            ...(outcome.created === undefined ? {} : { created: outcome.created })
          };
        }
        if (events.length) this.db.afterCommit(() => this.afterWrite(events));
        return;
      }
      // Three attempts and the triggers still failed records: the platform gives up on the rest of the batch.
      for (const index of pending) {
        if (results[index]!.errors.length === 0) {
          results[index] = {
            ...results[index]!,
            success: false,
            errors: [new RecordError('UNKNOWN_EXCEPTION', 'The batch was retried three times and still failed')]
          };
        }
      }
    });
    return results;
  }

  private apply(operation: WriteOperation, context: WriteContext): Applied {
    if (operation.kind === 'delete' || operation.kind === 'undelete') {
      const object = operation.object === undefined ? undefined : this.object(operation.object);
      const changes = this.writer[operation.kind](object, operation.id, context);
      const id = normalizeId(operation.id)!;
      return { id, changes: changes.filter((change) => change.id === id) };
    }
    const object = this.object(operation.object);
    if (object.platformEvent) return this.publish(object, operation.values, context);
    if (operation.kind === 'insert') {
      const change = this.writer.insert(object, operation.values, context);
      return { id: change.id, changes: [change] };
    }
    if (operation.kind === 'update') {
      const change = this.writer.update(object, operation.id, operation.values, context);
      return { id: change.id, changes: [change] };
    }
    const change = this.writer.upsert(
      object,
      operation.externalIdField,
      operation.externalId,
      operation.values,
      context
    );
    return { id: change.id, created: change.created, changes: [change] };
  }

  /**
   * Platform events are published, not stored as records: they land in an event log tests can read, and reach the
   * subscribers once the transaction commits (a rolled-back save publishes nothing: Publish After Commit).
   */
  private publish(object: ObjectDef, values: ValueMap, context: WriteContext): Applied {
    const payload: Record<string, unknown> = {};
    for (const [key, raw] of Object.entries(values)) {
      if (key === 'attributes') continue;
      const field = this.schema.field(object.name, key);
      if (!field) throw new RecordError('INVALID_FIELD', `No such column '${key}' on sobject of type ${object.name}`);
      payload[field.name] = coerceValue(this.schema, object, field, raw ?? null);
    }
    const id = this.writer.newId(object.keyPrefix);
    this.db.run('INSERT INTO _events (id, object, payload, published_at) VALUES (?, ?, ?, ?)', [
      id,
      object.name,
      JSON.stringify(payload),
      context.now.toISOString()
    ]);
    const publishedAt = context.now.toISOString();
    this.db.afterCommit(() => this.events.published(object.name, { id, payload, publishedAt }));
    return { id, changes: [] };
  }

  private triggerEvents(
    applied: Map<number, Applied>,
    hookErrors: Map<number, RecordError[]>,
    options: WriteOptions = {}
  ): TriggerEvent[] {
    if (this.hooks.empty) return [];
    const events = new Map<string, TriggerEvent>();
    const indexById = new Map<string, number>();
    for (const [index, outcome] of applied) {
      indexById.set(outcome.id, index);
      for (const change of outcome.changes) {
        const key = `${change.object.name}:${change.operation}`;
        let event = events.get(key);
        if (!event) {
          event = {
            object: change.object,
            operation: change.operation,
            system: options.system === true,
            allowSave: options.allowSave === true,
            records: [],
            addError: (id, error) => {
              const target = indexById.get(normalizeId(id) ?? id);
              if (target === undefined) return;
              hookErrors.set(target, [...(hookErrors.get(target) ?? []), error]);
            }
          };
          events.set(key, event);
        }
        event.records.push({
          id: change.id,
          ...(change.old ? { old: apiRecord(change.object, change.old) } : {}),
          ...(change.new ? { new: apiRecord(change.object, change.new) } : {})
        });
      }
    }
    return [...events.values()];
  }

  private beforeSave(record: BeforeSaveRecord): RecordError | undefined {
    for (const hooks of this.hooks.for(record.object.name)) {
      const error = hooks.beforeSave?.(record, this);
      if (error) return error;
    }
    return undefined;
  }

  private afterWrite(events: TriggerEvent[]): void {
    for (const event of events) {
      for (const hooks of this.hooks.for(event.object.name)) hooks.afterWrite?.(event, this);
    }
  }

  /** Brings stored formula and roll-up summary values up to date (after a schema load); returns the records changed. */
  recalculate(): number {
    const context: WriteContext = {
      userId: this.options.userId(),
      now: this.options.now(),
      format: 'json',
      system: true
    };
    return this.db.transaction(() => this.writer.recalculateAll(context));
  }

  /** Inserts records for tests and seeding in one transaction; throws on the first failure. Returns the Ids. */
  seed(objectName: string, records: ValueMap[], options: { system?: boolean; now?: Date } = {}): string[] {
    const ids: string[] = [];
    for (let start = 0; start < records.length; start += 10_000) {
      const chunk = records.slice(start, start + 10_000);
      const results = this.write(
        chunk.map((values) => ({ kind: 'insert' as const, object: objectName, values })),
        { allOrNone: true, system: options.system, now: options.now }
      );
      const failure = results.find(
        (result) => !result.success && result.errors[0]?.statusCode !== 'ALL_OR_NONE_OPERATION_ROLLED_BACK'
      );
      if (failure) {
        const error = failure.errors[0]!;
        throw new SalesforceError(400, error.statusCode, `seeding ${objectName}: ${error.message}`, error.fields);
      }
      ids.push(...results.map((result) => result.id!));
    }
    return ids;
  }

  /** A live record as the REST API shows it, or undefined. */
  get(objectName: string, id: string, version = '66.0'): Record<string, unknown> | undefined {
    const object = this.object(objectName);
    const canonical = normalizeId(id);
    const row = canonical && this.writer.get(object, canonical);
    return row ? apiRecord(object, row, { version }) : undefined;
  }

  /** Runs SOQL in-process and returns every matching record (no paging). */
  query(soql: string, options: Partial<QueryOptions> = {}): Record<string, unknown>[] {
    return this.queries.all(soql, options);
  }

  /** Platform events published so far (oldest first), for tests of code that publishes them. */
  publishedEvents(objectName: string): { id: string; payload: Record<string, unknown>; publishedAt: string }[] {
    return this.db
      .all('SELECT id, payload, published_at FROM _events WHERE object = ? COLLATE NOCASE ORDER BY rowid', [objectName])
      .map((row) => ({
        id: String(row.id),
        payload: JSON.parse(String(row.payload)) as Record<string, unknown>,
        publishedAt: String(row.published_at)
      }));
  }

  /** The stored row (lower-cased columns) of a record, deleted ones included; for tests and the API layer. */
  row(objectName: string, id: string): Row | undefined {
    const canonical = normalizeId(id);
    return canonical ? this.writer.get(this.object(objectName), canonical, true) : undefined;
  }
}
