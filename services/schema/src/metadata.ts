import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  FIELD_TYPES,
  type FieldDef,
  type FieldType,
  type ObjectDef,
  type SummaryDef,
  type ValidationRuleDef
} from './types';
import { child, childrenNamed, readXmlFile, textOf, XmlSyntaxError, type XmlElement } from './xml';

/** Something in the metadata the loader could not turn into schema; the metadata gate reports these. */
export interface SchemaProblem {
  file: string;
  line: number;
  message: string;
}

export interface SourceObjects {
  /** Objects declared or extended in source (standard objects appear with only the custom fields they add). */
  objects: ObjectDef[];
  problems: SchemaProblem[];
}

/** Package directories from sfdx-project.json, as absolute paths. */
export function packageDirectoriesOf(projectRoot: string): string[] {
  const project = JSON.parse(fs.readFileSync(path.join(projectRoot, 'sfdx-project.json'), 'utf8')) as {
    packageDirectories?: { path: string }[];
  };
  return (project.packageDirectories ?? []).map((dir) => path.resolve(projectRoot, dir.path));
}

/** Finds every `objects/<Name>` folder and `globalValueSets` file below the package directories. */
export function readSourceObjects(projectRoot: string): SourceObjects {
  const problems: SchemaProblem[] = [];
  const display = (file: string) => path.relative(projectRoot, file).split(path.sep).join('/');
  const readXml = (file: string): XmlElement | undefined => {
    try {
      return readXmlFile(file, display(file));
    } catch (error) {
      if (error instanceof XmlSyntaxError) {
        problems.push({ file: display(file), line: error.line, message: error.reason });
        return undefined;
      }
      throw error;
    }
  };

  const objectDirs: string[] = [];
  const valueSetFiles: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.name === 'objects') {
        for (const objectEntry of fs.readdirSync(full, { withFileTypes: true })) {
          if (objectEntry.isDirectory()) objectDirs.push(path.join(full, objectEntry.name));
        }
      } else if (entry.name === 'globalValueSets') {
        for (const file of fs.readdirSync(full)) {
          if (file.endsWith('.globalValueSet-meta.xml')) valueSetFiles.push(path.join(full, file));
        }
      } else {
        walk(full);
      }
    }
  };
  for (const dir of packageDirectoriesOf(projectRoot)) if (fs.existsSync(dir)) walk(dir);

  const globalValueSets = new Map<string, string[]>();
  for (const file of valueSetFiles.sort()) {
    const root = readXml(file);
    if (!root) continue;
    const name = path.basename(file, '.globalValueSet-meta.xml');
    globalValueSets.set(
      name.toLowerCase(),
      childrenNamed(root, 'customValue').map((value) => textOf(value, 'fullName') ?? '')
    );
  }

  const objects: ObjectDef[] = [];
  for (const dir of objectDirs.sort()) {
    const name = path.basename(dir);
    const objectFile = path.join(dir, `${name}.object-meta.xml`);
    const objectXml = fs.existsSync(objectFile) ? readXml(objectFile) : undefined;
    const fieldsDir = path.join(dir, 'fields');
    const fields: FieldDef[] = [];
    if (fs.existsSync(fieldsDir)) {
      for (const file of fs.readdirSync(fieldsDir).sort()) {
        if (!file.endsWith('.field-meta.xml')) continue;
        const full = path.join(fieldsDir, file);
        const xml = readXml(full);
        if (!xml) continue;
        const result = fieldFromXml(xml, path.basename(file, '.field-meta.xml'), display(full), globalValueSets);
        if ('problem' in result) problems.push(result.problem);
        else fields.push(result.field);
      }
    }
    const object = objectFromXml(name, objectXml, fields, fs.existsSync(objectFile) ? display(objectFile) : undefined);
    const rulesDir = path.join(dir, 'validationRules');
    if (fs.existsSync(rulesDir)) {
      object.validationRules = [];
      for (const file of fs.readdirSync(rulesDir).sort()) {
        if (!file.endsWith('.validationRule-meta.xml')) continue;
        const full = path.join(rulesDir, file);
        const xml = readXml(full);
        if (!xml) continue;
        const rule = validationRuleFromXml(xml, path.basename(file, '.validationRule-meta.xml'), display(full));
        if ('problem' in rule) problems.push(rule.problem);
        else object.validationRules.push(rule.rule);
      }
    }
    objects.push(object);
  }
  return { objects, problems };
}

function validationRuleFromXml(
  xml: XmlElement,
  fileName: string,
  file: string
): { rule: ValidationRuleDef } | { problem: SchemaProblem } {
  const name = textOf(xml, 'fullName') || fileName;
  const formula = textOf(xml, 'errorConditionFormula');
  const errorMessage = textOf(xml, 'errorMessage');
  if (!formula || !errorMessage) {
    const missing = formula ? 'errorMessage' : 'errorConditionFormula';
    return { problem: { file, line: xml.line, message: `validation rule ${name} has no <${missing}>` } };
  }
  const displayField = textOf(xml, 'errorDisplayField');
  return {
    rule: {
      name,
      active: textOf(xml, 'active') === 'true',
      formula,
      errorMessage,
      ...(displayField ? { errorDisplayField: displayField } : {}),
      source: { file, line: child(xml, 'errorConditionFormula')?.line ?? xml.line }
    }
  };
}

const isCustomName = (name: string) => /__(c|mdt|e)$/i.test(name);

function objectFromXml(name: string, xml: XmlElement | undefined, fields: FieldDef[], file?: string): ObjectDef {
  const customMetadata = /__mdt$/i.test(name);
  const platformEvent = /__e$/i.test(name);
  const label = (xml && textOf(xml, 'label')) || name.replace(/__(c|mdt|e)$/i, '').replace(/_/g, ' ');
  return {
    name,
    label,
    pluralLabel: (xml && textOf(xml, 'pluralLabel')) || label,
    custom: isCustomName(name),
    customMetadata,
    platformEvent,
    keyPrefix: '',
    fields: isCustomName(name) ? [...customSystemFields(name, xml, fields), ...fields] : fields,
    source: file ? { file, line: 1 } : undefined
  };
}

function systemField(name: string, type: FieldType, extra: Partial<FieldDef> = {}): FieldDef {
  return {
    name,
    label: name.replace(/Id$/, '').replace(/([a-z])([A-Z])/g, '$1 $2'),
    type,
    required: false,
    unique: false,
    externalId: false,
    calculated: true,
    createable: false,
    updateable: false,
    custom: false,
    ...extra
  };
}

/** The fields the platform adds to every custom object, custom metadata type and platform event. */
function customSystemFields(name: string, xml: XmlElement | undefined, fields: FieldDef[]): FieldDef[] {
  if (/__mdt$/i.test(name)) {
    return [
      systemField('Id', 'Id'),
      systemField('DeveloperName', 'Text', { length: 40, required: true, createable: true, updateable: true }),
      systemField('MasterLabel', 'Text', { length: 40, required: true, createable: true, updateable: true }),
      systemField('Label', 'Text', { length: 40 }),
      systemField('Language', 'Picklist'),
      systemField('NamespacePrefix', 'Text', { length: 15 }),
      systemField('QualifiedApiName', 'Text', { length: 70 }),
      systemField('SystemModstamp', 'DateTime')
    ];
  }
  if (/__e$/i.test(name)) {
    return [
      systemField('ReplayId', 'Text', { length: 255 }),
      systemField('EventUuid', 'Text', { length: 36 }),
      systemField('CreatedDate', 'DateTime'),
      systemField('CreatedById', 'Lookup', { referenceTo: ['User'], relationshipName: 'CreatedBy' })
    ];
  }
  const nameField = xml && child(xml, 'nameField');
  const autoNumber = nameField && textOf(nameField, 'type') === 'AutoNumber';
  const hasMaster = fields.some((field) => field.type === 'MasterDetail');
  const result = [
    systemField('Id', 'Id', { label: 'Record ID' }),
    autoNumber
      ? systemField('Name', 'AutoNumber', { length: 80, label: (nameField && textOf(nameField, 'label')) || 'Name' })
      : systemField('Name', 'Text', {
          length: 80,
          calculated: false,
          createable: true,
          updateable: true,
          label: (nameField && textOf(nameField, 'label')) || 'Name'
        }),
    systemField('IsDeleted', 'Checkbox'),
    systemField('CreatedDate', 'DateTime'),
    systemField('CreatedById', 'Lookup', { referenceTo: ['User'], relationshipName: 'CreatedBy' }),
    systemField('LastModifiedDate', 'DateTime'),
    systemField('LastModifiedById', 'Lookup', { referenceTo: ['User'], relationshipName: 'LastModifiedBy' }),
    systemField('SystemModstamp', 'DateTime'),
    systemField('LastViewedDate', 'DateTime'),
    systemField('LastReferencedDate', 'DateTime')
  ];
  if (!hasMaster) {
    result.push(
      systemField('OwnerId', 'Lookup', {
        referenceTo: ['User', 'Group'],
        relationshipName: 'Owner',
        calculated: false,
        createable: true,
        updateable: true
      })
    );
  }
  return result;
}

const TEXT_TYPES = new Set<FieldType>(['Text', 'TextArea', 'LongTextArea', 'Html', 'EncryptedText']);

function fieldFromXml(
  xml: XmlElement,
  fileName: string,
  file: string,
  globalValueSets: Map<string, string[]>
): { field: FieldDef } | { problem: SchemaProblem } {
  const name = textOf(xml, 'fullName') || fileName;
  const typeElement = child(xml, 'type');
  const formula = textOf(xml, 'formula');
  const rawType = typeElement?.text;
  if (!rawType) {
    return { problem: { file, line: xml.line, message: `field ${name} has no <type>` } };
  }
  if (!(FIELD_TYPES as readonly string[]).includes(rawType)) {
    return { problem: { file, line: typeElement.line, message: `field ${name} has unknown type "${rawType}"` } };
  }
  const type = rawType as FieldType;
  const number = (tag: string) => {
    const value = textOf(xml, tag);
    return value === undefined ? undefined : Number(value);
  };
  const calculated = Boolean(formula) || type === 'AutoNumber' || type === 'Summary';
  const field: FieldDef = {
    name,
    label: textOf(xml, 'label') || name,
    type,
    required: textOf(xml, 'required') === 'true' || type === 'MasterDetail',
    unique: textOf(xml, 'unique') === 'true',
    externalId: textOf(xml, 'externalId') === 'true',
    calculated,
    createable: !calculated,
    updateable: !calculated && !(type === 'MasterDetail' && textOf(xml, 'reparentableMasterDetail') !== 'true'),
    custom: /__c$/i.test(name),
    source: { file, line: xml.line }
  };
  if (TEXT_TYPES.has(type) || type === 'Email' || type === 'Phone' || type === 'Url') {
    field.length = number('length') ?? defaultLength(type);
  }
  if (type === 'Number' || type === 'Currency' || type === 'Percent') {
    field.precision = number('precision');
    field.scale = number('scale');
  }
  if (type === 'Lookup' || type === 'MasterDetail' || type === 'Hierarchy' || type === 'MetadataRelationship') {
    const referenceTo = textOf(xml, 'referenceTo') ?? (type === 'Hierarchy' ? 'User' : undefined);
    if (referenceTo) field.referenceTo = [referenceTo];
    field.relationshipName = name.replace(/__c$/i, '__r');
    const childName = textOf(xml, 'relationshipName');
    if (childName) field.childRelationshipName = `${childName}__r`;
  }
  const defaultValue = textOf(xml, 'defaultValue');
  if (defaultValue !== undefined) field.defaultValue = defaultValue;
  if (type === 'Checkbox') field.defaultValue = defaultValue ?? 'false';
  if (formula) field.formula = formula;
  const treatBlanks = textOf(xml, 'formulaTreatBlanksAs');
  if (formula && (treatBlanks === 'BlankAsZero' || treatBlanks === 'BlankAsBlank'))
    field.formulaTreatBlanksAs = treatBlanks;
  if (type === 'Summary') {
    const [childObject, foreignKey] = (textOf(xml, 'summaryForeignKey') ?? '').split('.');
    const operation = textOf(xml, 'summaryOperation');
    if (!childObject || !foreignKey || !['count', 'sum', 'min', 'max'].includes(operation ?? '')) {
      return {
        problem: {
          file,
          line: xml.line,
          message: `roll-up summary ${name} needs summaryForeignKey and a summaryOperation`
        }
      };
    }
    const summarized = textOf(xml, 'summarizedField')?.split('.')[1];
    field.summary = {
      operation: operation as SummaryDef['operation'],
      childObject,
      foreignKey,
      ...(summarized ? { field: summarized } : {}),
      filters: childrenNamed(xml, 'summaryFilterItems').map((item) => ({
        field: (textOf(item, 'field') ?? '').split('.').pop() ?? '',
        operation: textOf(item, 'operation') ?? '',
        value: textOf(item, 'value') ?? ''
      }))
    };
    field.scale ??= 0;
    field.precision ??= 18;
  }
  if (type === 'Picklist' || type === 'MultiselectPicklist') {
    const valueSet = child(xml, 'valueSet');
    const globalName = valueSet && textOf(valueSet, 'valueSetName');
    if (globalName) {
      const values = globalValueSets.get(globalName.toLowerCase());
      if (!values) {
        return {
          problem: { file, line: valueSet.line, message: `field ${name} uses unknown global value set "${globalName}"` }
        };
      }
      field.picklistValues = values;
      field.restrictedPicklist = true;
    } else {
      const definition = valueSet && child(valueSet, 'valueSetDefinition');
      field.picklistValues = definition
        ? childrenNamed(definition, 'value').map((value) => textOf(value, 'fullName') ?? '')
        : [];
      field.restrictedPicklist = valueSet ? textOf(valueSet, 'restricted') === 'true' : false;
    }
  }
  return { field };
}

function defaultLength(type: FieldType): number {
  switch (type) {
    case 'TextArea':
      return 255;
    case 'Email':
      return 80;
    case 'Phone':
      return 40;
    default:
      return 255;
  }
}
