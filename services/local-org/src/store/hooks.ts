import type { ObjectDef } from '@handoff/schema';
import type { RecordError } from '../errors';

/** Records of one object touched by one operation in one write batch, as triggers see them. */
export interface TriggerEvent {
  object: ObjectDef;
  operation: 'insert' | 'update' | 'delete' | 'undelete';
  /** A platform write (seeding, automation): duplicate rules and other user-facing checks do not apply. */
  system?: boolean;
  /** The write carries DuplicateRuleHeader allowSave. */
  allowSave?: boolean;
  /** API-shaped field values (`Name`, `Amount`, ...), before (`old`) and after (`new`) the write. */
  records: { id: string; old?: Record<string, unknown>; new?: Record<string, unknown> }[];
  /** Fails one record of the batch (like Apex `addError`): it is rolled back with its error, the others retried. */
  addError(id: string, error: RecordError): void;
}

/**
 * One record about to be saved, as a `before insert` / `before update` trigger sees it: after the values are parsed
 * and defaults applied, before the platform's required-field, reference and uniqueness checks and the validation
 * rules (Apex Developer Guide, "Triggers and Order of Execution": for API saves, before triggers run first).
 */
export interface BeforeSaveRecord {
  object: ObjectDef;
  operation: 'insert' | 'update';
  /** API-shaped values the record will have (`Name`, `Amount`, ...). */
  values: Record<string, unknown>;
  /** API-shaped values before an update. */
  old?: Record<string, unknown>;
  /** Custom permissions of the running user, lower-cased (`FeatureManagement.checkPermission`). */
  permissions: ReadonlySet<string>;
}

/**
 * Where an automation engine plugs in. `beforeCommit` runs inside the write's transaction after the batch has been
 * validated and applied; it may write other records through the store (same transaction) or fail records with
 * `addError`. `afterWrite` runs once the outermost transaction has committed.
 */
export interface ObjectHooks<S = unknown> {
  /** A before trigger's `addError`: an error returned fails that record before it is checked or saved. */
  beforeSave?(record: BeforeSaveRecord, store: S): RecordError | undefined;
  beforeCommit?(event: TriggerEvent, store: S): void;
  afterWrite?(event: TriggerEvent, store: S): void;
}

export class HookRegistry<S = unknown> {
  private readonly entries: { object: string; hooks: ObjectHooks<S> }[] = [];

  /** Registers hooks for one object (case-insensitive) or `*` for all; returns a function that unregisters them. */
  register(objectName: string, hooks: ObjectHooks<S>): () => void {
    const entry = { object: objectName.toLowerCase(), hooks };
    this.entries.push(entry);
    return () => {
      const index = this.entries.indexOf(entry);
      if (index >= 0) this.entries.splice(index, 1);
    };
  }

  for(objectName: string): ObjectHooks<S>[] {
    const name = objectName.toLowerCase();
    return this.entries.filter((entry) => entry.object === '*' || entry.object === name).map((entry) => entry.hooks);
  }

  get empty(): boolean {
    return this.entries.length === 0;
  }
}
