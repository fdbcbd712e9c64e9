import { createHash } from 'node:crypto';
import { readSourceObjects, type SchemaProblem } from './metadata';
import { STANDARD_OBJECTS } from './standard-objects';
import type { ChildRelationship, FieldDef, ObjectDef, PathResolution } from './types';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * The objects and fields of an org as the package sees it: the standard catalog, plus everything force-app
 * declares (custom objects, custom metadata types, platform events, and custom fields on standard objects).
 * Names are matched case-insensitively, as Salesforce does.
 */
export class Schema {
  private readonly byName = new Map<string, ObjectDef>();
  private readonly fieldIndex = new Map<string, Map<string, FieldDef>>();
  private readonly relationshipIndex = new Map<string, Map<string, FieldDef>>();
  private readonly childIndex = new Map<string, Map<string, ChildRelationship>>();

  constructor(
    objects: ObjectDef[],
    /** What the loader could not read; empty for a healthy project. */
    readonly problems: SchemaProblem[] = []
  ) {
    const usedPrefixes = new Set(objects.map((object) => object.keyPrefix).filter(Boolean));
    for (const object of objects) {
      if (!object.keyPrefix) object.keyPrefix = derivePrefix(object, usedPrefixes);
      const key = object.name.toLowerCase();
      this.byName.set(key, object);
      this.fieldIndex.set(key, new Map(object.fields.map((field) => [field.name.toLowerCase(), field])));
      this.relationshipIndex.set(
        key,
        new Map(
          object.fields
            .filter((field) => field.relationshipName)
            .map((field) => [field.relationshipName!.toLowerCase(), field])
        )
      );
    }
    for (const object of objects) {
      for (const field of object.fields) {
        if (!field.childRelationshipName || !field.referenceTo) continue;
        for (const parent of field.referenceTo) {
          const parentKey = parent.toLowerCase();
          if (!this.childIndex.has(parentKey)) this.childIndex.set(parentKey, new Map());
          this.childIndex.get(parentKey)!.set(field.childRelationshipName.toLowerCase(), {
            relationshipName: field.childRelationshipName,
            childObject: object.name,
            field: field.name
          });
        }
      }
    }
  }

  objects(): ObjectDef[] {
    return [...this.byName.values()];
  }

  object(name: string): ObjectDef | undefined {
    return this.byName.get(name.toLowerCase());
  }

  field(objectName: string, fieldName: string): FieldDef | undefined {
    return this.fieldIndex.get(objectName.toLowerCase())?.get(fieldName.toLowerCase());
  }

  /** The object whose records carry this three-character Id prefix. */
  objectByKeyPrefix(prefix: string): ObjectDef | undefined {
    return this.objects().find((object) => object.keyPrefix === prefix);
  }

  childRelationships(objectName: string): ChildRelationship[] {
    return [...(this.childIndex.get(objectName.toLowerCase())?.values() ?? [])];
  }

  childRelationship(objectName: string, relationshipName: string): ChildRelationship | undefined {
    return this.childIndex.get(objectName.toLowerCase())?.get(relationshipName.toLowerCase());
  }

  /**
   * Resolves a dotted path such as `Account.Owner.Name` from `objectName`: every segment but the last must be a
   * relationship name, the last a field. Polymorphic relationships resolve through their first target.
   */
  resolveFieldPath(objectName: string, fieldPath: string): PathResolution {
    const start = this.object(objectName);
    if (!start) return { ok: false, error: `unknown object ${objectName}` };
    let object: ObjectDef = start;
    const segments = fieldPath.split('.');
    const via: FieldDef[] = [];
    for (const [index, segment] of segments.entries()) {
      const last = index === segments.length - 1;
      if (last) {
        const field = this.field(object.name, segment);
        if (!field) return { ok: false, error: `no field ${segment} on ${object.name}` };
        return { ok: true, object, field, via };
      }
      const relationship: FieldDef | undefined = this.relationshipIndex
        .get(object.name.toLowerCase())
        ?.get(segment.toLowerCase());
      if (!relationship) return { ok: false, error: `no relationship ${segment} on ${object.name}` };
      const target: string | undefined = relationship.referenceTo?.[0];
      const next: ObjectDef | undefined = target ? this.object(target) : undefined;
      if (!next)
        return { ok: false, error: `relationship ${object.name}.${segment} points at unknown object ${target}` };
      via.push(relationship);
      object = next;
    }
    return { ok: false, error: 'empty field path' };
  }
}

/** A stable three-character prefix for a custom object: `a` (objects), `m` (metadata) or `e` (events) + hash. */
function derivePrefix(object: ObjectDef, used: Set<string>): string {
  const lead = object.customMetadata ? 'm' : object.platformEvent ? 'e' : 'a';
  const digest = createHash('sha256').update(object.name.toLowerCase()).digest();
  for (let attempt = 0; attempt < digest.length - 1; attempt++) {
    const prefix = lead + BASE62[digest[attempt]! % 62] + BASE62[digest[attempt + 1]! % 62];
    if (!used.has(prefix)) {
      used.add(prefix);
      return prefix;
    }
  }
  throw new Error(`cannot derive a key prefix for ${object.name}`);
}

export interface LoadSchemaOptions {
  /** Include the standard object catalog (default true). */
  standardObjects?: boolean;
}

/** Loads the schema of the SFDX project at `projectRoot` (the folder holding sfdx-project.json). */
export function loadSchema(projectRoot: string, options: LoadSchemaOptions = {}): Schema {
  const { objects: sourceObjects, problems } = readSourceObjects(projectRoot);
  const merged = new Map<string, ObjectDef>();
  if (options.standardObjects !== false) {
    for (const standard of STANDARD_OBJECTS) {
      merged.set(standard.name.toLowerCase(), { ...standard, fields: [...standard.fields] });
    }
  }
  for (const object of sourceObjects) {
    const existing = merged.get(object.name.toLowerCase());
    if (existing && !object.custom) {
      const known = new Set(existing.fields.map((field) => field.name.toLowerCase()));
      existing.fields.push(...object.fields.filter((field) => !known.has(field.name.toLowerCase())));
      if (object.validationRules)
        existing.validationRules = [...(existing.validationRules ?? []), ...object.validationRules];
      existing.source ??= object.source;
    } else if (!object.custom) {
      problems.push({
        file: object.source?.file ?? `objects/${object.name}`,
        line: 1,
        message: `standard object ${object.name} is not in the standard catalog (services/schema/src/standard-objects.ts)`
      });
    } else {
      merged.set(object.name.toLowerCase(), object);
    }
  }
  return new Schema([...merged.values()], problems);
}
