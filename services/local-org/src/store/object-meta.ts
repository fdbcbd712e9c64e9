import type { FieldDef, ObjectDef } from '@handoff/schema';
import { storageKind } from '../schema/field-types';
import type { OrgSchema } from '../schema/org-schema';
import type { SqlValue } from './database';
import { literalDefault } from './values';
import { tableOf } from './tables';

/** What the writer needs to know about an object, worked out once per schema. */
export interface ObjectMeta {
  object: ObjectDef;
  table: string;
  fieldsByColumn: Map<string, FieldDef>;
  hasIsDeleted: boolean;
  hasOwner: boolean;
  references: FieldDef[];
  unique: FieldDef[];
  required: FieldDef[];
  autoNumbers: FieldDef[];
  /** Stored default per column, for fields that declare a literal default. */
  defaults: [string, SqlValue][];
}

export class ObjectMetaCache {
  private readonly cache = new Map<string, ObjectMeta>();

  constructor(private readonly schema: OrgSchema) {}

  of(object: ObjectDef): ObjectMeta {
    const key = object.name.toLowerCase();
    let meta = this.cache.get(key);
    if (!meta) {
      meta = build(this.schema, object);
      this.cache.set(key, meta);
    }
    return meta;
  }
}

function build(schema: OrgSchema, object: ObjectDef): ObjectMeta {
  const has = (name: string) => object.fields.some((field) => field.name.toLowerCase() === name);
  return {
    object,
    table: tableOf(object),
    fieldsByColumn: new Map(object.fields.map((field) => [field.name.toLowerCase(), field])),
    hasIsDeleted: has('isdeleted'),
    hasOwner: has('ownerid'),
    references: object.fields.filter((field) => storageKind(field) === 'reference'),
    unique: object.fields.filter((field) => field.unique && storageKind(field) !== 'id'),
    required: object.fields.filter((field) => field.required && field.createable && !field.calculated),
    autoNumbers: object.fields.filter((field) => field.type === 'AutoNumber'),
    defaults: object.fields
      .filter((field) => !field.calculated && field.type !== 'Id')
      .map((field): [string, SqlValue | undefined] => [field.name.toLowerCase(), literalDefault(schema, object, field)])
      .filter((entry): entry is [string, SqlValue] => entry[1] !== undefined)
  };
}
