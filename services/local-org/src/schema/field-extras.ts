import * as fs from 'node:fs';
import * as path from 'node:path';
import { child, childrenNamed, readXmlFile, textOf, type ObjectDef, type XmlElement } from '@handoff/schema';

/**
 * Field attributes the local org needs that the schema module does not carry (yet): the picklist default, whether a
 * unique text field is case-sensitive, what deleting the parent does to a lookup, and an auto-number's format. They
 * are read from the same metadata files the schema came from.
 */
export interface FieldExtras {
  picklistDefault?: string;
  caseSensitive?: boolean;
  deleteConstraint?: 'Cascade' | 'Restrict' | 'SetNull';
  displayFormat?: string;
}

const key = (objectName: string, fieldName: string) => `${objectName}.${fieldName}`.toLowerCase();

export class FieldExtrasIndex {
  constructor(private readonly byField = new Map<string, FieldExtras>()) {}

  get(objectName: string, fieldName: string): FieldExtras {
    return this.byField.get(key(objectName, fieldName)) ?? {};
  }

  static read(projectRoot: string, objects: ObjectDef[]): FieldExtrasIndex {
    const index = new Map<string, FieldExtras>();
    const read = (file: string): XmlElement | undefined => {
      const full = path.resolve(projectRoot, file);
      try {
        return fs.existsSync(full) ? readXmlFile(full, file) : undefined;
      } catch {
        return undefined; // the schema loader already reports unreadable metadata
      }
    };
    for (const object of objects) {
      const objectXml = object.source ? read(object.source.file) : undefined;
      const nameField = objectXml && child(objectXml, 'nameField');
      const nameFormat = nameField && textOf(nameField, 'displayFormat');
      if (nameFormat) index.set(key(object.name, 'Name'), { displayFormat: nameFormat });
      for (const field of object.fields) {
        if (!field.source) continue;
        const xml = read(field.source.file);
        if (!xml) continue;
        const extras: FieldExtras = {};
        const constraint = textOf(xml, 'deleteConstraint');
        if (constraint === 'Cascade' || constraint === 'Restrict' || constraint === 'SetNull') {
          extras.deleteConstraint = constraint;
        }
        if (textOf(xml, 'caseSensitive') === 'true') extras.caseSensitive = true;
        const format = textOf(xml, 'displayFormat');
        if (format) extras.displayFormat = format;
        const definition = child(child(xml, 'valueSet') ?? xml, 'valueSetDefinition');
        const defaultValue = definition
          ? childrenNamed(definition, 'value').find((value) => textOf(value, 'default') === 'true')
          : undefined;
        if (defaultValue) extras.picklistDefault = textOf(defaultValue, 'fullName');
        index.set(key(object.name, field.name), extras);
      }
    }
    return new FieldExtrasIndex(index);
  }
}
