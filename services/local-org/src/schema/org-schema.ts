import { loadSchema, Schema, type ChildRelationship, type FieldDef, type ObjectDef } from '@handoff/schema';
import { FieldExtrasIndex, type FieldExtras } from './field-extras';
import { OrgFormulas } from './formulas';
import { PLATFORM_OBJECTS, READ_ONLY_OBJECTS } from './platform-objects';

/**
 * The schema the local org serves: the project's schema (standard catalog + force-app) plus the platform objects the
 * tools read, with lookups the API layer needs (relationship names, key prefixes, metadata extras).
 */
export class OrgSchema {
  private readonly byPrefix = new Map<string, ObjectDef>();
  private readonly relationships = new Map<string, Map<string, FieldDef>>();
  /** Validation rules, formula fields and roll-ups, compiled once for this schema. */
  readonly formulas: OrgFormulas;

  constructor(
    readonly schema: Schema,
    private readonly extrasIndex: FieldExtrasIndex = new FieldExtrasIndex()
  ) {
    for (const object of schema.objects()) {
      this.byPrefix.set(object.keyPrefix, object);
      const byName = new Map<string, FieldDef>();
      for (const field of object.fields) {
        if (field.relationshipName) byName.set(field.relationshipName.toLowerCase(), field);
      }
      this.relationships.set(object.name.toLowerCase(), byName);
    }
    this.formulas = new OrgFormulas(schema);
  }

  static load(projectRoot: string): OrgSchema {
    const loaded = loadSchema(projectRoot);
    const known = new Set(loaded.objects().map((object) => object.name.toLowerCase()));
    const extra = PLATFORM_OBJECTS.filter((object) => !known.has(object.name.toLowerCase())).map((object) => ({
      ...object,
      fields: [...object.fields]
    }));
    const schema = new Schema([...loaded.objects(), ...extra], loaded.problems);
    return new OrgSchema(schema, FieldExtrasIndex.read(projectRoot, loaded.objects()));
  }

  objects(): ObjectDef[] {
    return this.schema.objects();
  }

  object(name: string): ObjectDef | undefined {
    return this.schema.object(name);
  }

  field(objectName: string, fieldName: string): FieldDef | undefined {
    return this.schema.field(objectName, fieldName);
  }

  objectByKeyPrefix(prefix: string): ObjectDef | undefined {
    return this.byPrefix.get(prefix);
  }

  /** The reference field whose relationship name is `name` (e.g. `Account` -> AccountId, `Opp__r` -> Opp__c). */
  relationship(objectName: string, name: string): FieldDef | undefined {
    return this.relationships.get(objectName.toLowerCase())?.get(name.toLowerCase());
  }

  childRelationships(objectName: string): ChildRelationship[] {
    return this.schema.childRelationships(objectName);
  }

  childRelationship(objectName: string, name: string): ChildRelationship | undefined {
    return this.schema.childRelationship(objectName, name);
  }

  /** Every reference field, on any object, that points at `objectName`. */
  referencesTo(objectName: string): { object: ObjectDef; field: FieldDef }[] {
    const target = objectName.toLowerCase();
    const result: { object: ObjectDef; field: FieldDef }[] = [];
    for (const object of this.objects()) {
      for (const field of object.fields) {
        if (field.type !== 'Id' && field.referenceTo?.some((name) => name.toLowerCase() === target)) {
          result.push({ object, field });
        }
      }
    }
    return result;
  }

  extras(objectName: string, fieldName: string): FieldExtras {
    return this.extrasIndex.get(objectName, fieldName);
  }

  /** Objects backed by a table: everything but platform events, which are published, not stored. */
  isStored(object: ObjectDef): boolean {
    return !object.platformEvent;
  }

  queryable(object: ObjectDef): boolean {
    return !object.platformEvent;
  }

  /** Whether records can be created, updated and deleted through the API. */
  writable(object: ObjectDef): boolean {
    return !object.customMetadata && !READ_ONLY_OBJECTS.has(object.name.toLowerCase());
  }
}
