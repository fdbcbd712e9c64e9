import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  child,
  childrenNamed,
  FIELD_TYPES,
  parseXml,
  readSourceObjects,
  textOf,
  XmlSyntaxError,
  type XmlElement
} from '@handoff/schema';
import type { Finding, Gate } from '../gate';
import { metadataTypes, validateElement, type ValidationOptions } from '../metadata-types';
import { listFiles, packageDirectories, relative } from '../paths';

const METADATA_NAMESPACE = 'http://soap.sforce.com/2006/04/metadata';

/** File suffix -> the root element its metadata type must have. A suffix not listed here is an error. */
const ROOT_ELEMENTS: Record<string, string> = {
  '.app-meta.xml': 'CustomApplication',
  '.cls-meta.xml': 'ApexClass',
  '.compactLayout-meta.xml': 'CompactLayout',
  '.customPermission-meta.xml': 'CustomPermission',
  '.duplicateRule-meta.xml': 'DuplicateRule',
  '.externalCredential-meta.xml': 'ExternalCredential',
  '.field-meta.xml': 'CustomField',
  '.flexipage-meta.xml': 'FlexiPage',
  '.globalValueSet-meta.xml': 'GlobalValueSet',
  '.group-meta.xml': 'Group',
  '.js-meta.xml': 'LightningComponentBundle',
  '.layout-meta.xml': 'Layout',
  '.listView-meta.xml': 'ListView',
  '.matchingRule-meta.xml': 'MatchingRules',
  '.md-meta.xml': 'CustomMetadata',
  '.namedCredential-meta.xml': 'NamedCredential',
  '.notiftype-meta.xml': 'CustomNotificationType',
  '.object-meta.xml': 'CustomObject',
  '.permissionset-meta.xml': 'PermissionSet',
  '.platformEventSubscriberConfig-meta.xml': 'PlatformEventSubscriberConfig',
  '.queue-meta.xml': 'Queue',
  '.recordType-meta.xml': 'RecordType',
  '.report-meta.xml': 'Report',
  '.reportFolder-meta.xml': 'ReportFolder',
  '.reportType-meta.xml': 'ReportType',
  '.resource-meta.xml': 'StaticResource',
  '.sharingReason-meta.xml': 'SharingReason',
  '.tab-meta.xml': 'CustomTab',
  '.trigger-meta.xml': 'ApexTrigger',
  '.validationRule-meta.xml': 'ValidationRule',
  '.webLink-meta.xml': 'WebLink'
};

/** Elements each field type cannot deploy without (formula fields compute their value, so skip valueSet etc.). */
const FIELD_REQUIRES: Partial<Record<string, string[]>> = {
  Text: ['length'],
  LongTextArea: ['length', 'visibleLines'],
  Html: ['length', 'visibleLines'],
  EncryptedText: ['length', 'maskChar', 'maskType'],
  Number: ['precision', 'scale'],
  Currency: ['precision', 'scale'],
  Percent: ['precision', 'scale'],
  Lookup: ['referenceTo', 'relationshipName'],
  MasterDetail: ['referenceTo', 'relationshipName'],
  Picklist: ['valueSet'],
  MultiselectPicklist: ['valueSet', 'visibleLines'],
  AutoNumber: ['displayFormat'],
  Summary: ['summaryOperation', 'summaryForeignKey'],
  Location: ['scale', 'displayLocationInDecimal']
};

/**
 * Where the WSDL-derived types say more than a deploy of source format needs. Arrays (repeated elements) are never
 * required: the generator renders minOccurs="0" maxOccurs="unbounded" as a non-optional array, so a missing list is
 * always accepted. Each entry below is a single element the WSDL marks required (minOccurs="1") that source format
 * omits, with the reason.
 */
const REQUIRED_RELAXED = new Set<string>([]);

/**
 * Elements the WSDL types as a plain string whose source holds nested XML. `targetConfigs` of a component's
 * js-meta.xml is sent to the API as one encoded string, and its content (targetConfig, property, objects) is the
 * LWC configuration file schema, not a metadata type.
 */
const OPAQUE = new Set<string>(['LightningComponentBundle.targetConfigs']);

const VALIDATION: ValidationOptions = { relaxedRequired: REQUIRED_RELAXED, opaque: OPAQUE };

const metadataSuffix = (name: string) => name.match(/\.[A-Za-z]+-meta\.xml$/)?.[0];

/**
 * The folder each metadata type must sit in: a top-level type folder, or `objects/<Object>/<folder>` for the parts
 * of an object. A file elsewhere is silently skipped or rejected by a deploy.
 */
const FOLDERS: Record<string, string> = {
  '.app-meta.xml': 'applications',
  '.cls-meta.xml': 'classes',
  '.compactLayout-meta.xml': 'objects/*/compactLayouts',
  '.customPermission-meta.xml': 'customPermissions',
  '.duplicateRule-meta.xml': 'duplicateRules',
  '.externalCredential-meta.xml': 'externalCredentials',
  '.field-meta.xml': 'objects/*/fields',
  '.flexipage-meta.xml': 'flexipages',
  '.globalValueSet-meta.xml': 'globalValueSets',
  '.group-meta.xml': 'groups',
  '.js-meta.xml': 'lwc/*',
  '.layout-meta.xml': 'layouts',
  '.listView-meta.xml': 'objects/*/listViews',
  '.matchingRule-meta.xml': 'matchingRules',
  '.md-meta.xml': 'customMetadata',
  '.namedCredential-meta.xml': 'namedCredentials',
  '.notiftype-meta.xml': 'notificationtypes',
  '.object-meta.xml': 'objects/*',
  '.permissionset-meta.xml': 'permissionsets',
  '.platformEventSubscriberConfig-meta.xml': 'platformEventSubscriberConfigs',
  '.queue-meta.xml': 'queues',
  '.recordType-meta.xml': 'objects/*/recordTypes',
  '.report-meta.xml': 'reports/*',
  '.reportFolder-meta.xml': 'reports',
  '.reportType-meta.xml': 'reportTypes',
  '.resource-meta.xml': 'staticresources',
  '.sharingReason-meta.xml': 'objects/*/sharingReasons',
  '.tab-meta.xml': 'tabs',
  '.trigger-meta.xml': 'triggers',
  '.validationRule-meta.xml': 'objects/*/validationRules',
  '.webLink-meta.xml': 'objects/*/webLinks'
};

function inExpectedFolder(file: string, suffix: string): boolean {
  const expected = FOLDERS[suffix];
  if (!expected) return true;
  const parts = path.dirname(file).split(path.sep);
  const wanted = expected.split('/');
  const tail = parts.slice(-wanted.length);
  const matches = tail.length === wanted.length && wanted.every((part, index) => part === '*' || part === tail[index]);
  // A top-level type folder nested inside an object folder (objects/X/layouts) is not the type folder.
  return matches && (wanted[0] === 'objects' || !parts.slice(0, -wanted.length).includes('objects'));
}

/**
 * Metadata XML: every file well-formed, with the root element and namespace its type needs; fields and objects
 * with the elements a deploy requires; Apex and LWC source paired with their -meta.xml. `sf project convert source`
 * accepts most of these mistakes, so they are checked here.
 */
export const metadataGate: Gate = {
  id: 'metadata',
  title: 'Metadata XML',
  async run({ root }) {
    const findings: Finding[] = [];
    const error = (file: string, line: number | undefined, message: string, rule: string) =>
      findings.push({ file: relative(root, file), line, message, rule: `metadata:${rule}`, severity: 'error' });

    const types = metadataTypes();
    const files = packageDirectories(root).flatMap((dir) => listFiles(dir, () => true));
    const fileSet = new Set(files);
    let xmlCount = 0;
    for (const file of files) {
      const name = path.basename(file);
      pairing(file, name, fileSet, error);
      if (!name.endsWith('.xml')) continue;
      xmlCount++;
      let xml: XmlElement;
      try {
        xml = parseXml(fs.readFileSync(file, 'utf8'), relative(root, file));
      } catch (failure) {
        if (!(failure instanceof XmlSyntaxError)) throw failure;
        error(file, failure.line, `not well-formed XML: ${failure.reason}`, 'well-formed');
        continue;
      }
      const suffix = metadataSuffix(name);
      const expectedRoot = suffix && ROOT_ELEMENTS[suffix];
      if (!expectedRoot) {
        error(file, 1, `unknown metadata file type "${suffix ?? name}"`, 'file-type');
        continue;
      }
      if (xml.name !== expectedRoot) {
        error(file, xml.line, `root element is <${xml.name}>, expected <${expectedRoot}>`, 'root');
        continue;
      }
      if (!inExpectedFolder(file, suffix)) {
        error(file, 1, `${suffix} files belong in ${FOLDERS[suffix]}/`, 'folder');
      }
      if (xml.attributes.xmlns !== METADATA_NAMESPACE) {
        error(file, xml.line, `<${xml.name}> must declare xmlns="${METADATA_NAMESPACE}"`, 'namespace');
      }
      for (const problem of validateElement(xml, expectedRoot, types, VALIDATION)) {
        error(file, problem.line, problem.message, problem.rule);
      }
      checkLengths(file, xml, error);
      if (expectedRoot === 'CustomField') checkField(file, name, xml, error);
      if (expectedRoot === 'CustomObject') checkObject(file, name, xml, error);
      if (expectedRoot === 'DuplicateRule') checkDuplicateRule(file, name, xml, error);
      if (
        expectedRoot === 'ApexClass' ||
        expectedRoot === 'ApexTrigger' ||
        expectedRoot === 'LightningComponentBundle'
      ) {
        checkApiVersion(file, xml, error);
      }
    }

    // Problems only the schema loader sees (e.g. a picklist naming a global value set that does not exist).
    const reported = new Set(findings.map((finding) => `${finding.file}:${finding.line}`));
    for (const problem of readSourceObjects(root).problems) {
      if (reported.has(`${problem.file}:${problem.line}`)) continue;
      if (findings.some((finding) => finding.file === problem.file && finding.rule === 'metadata:well-formed'))
        continue;
      if (/unknown type|has no <type>/.test(problem.message)) continue; // checkField reports these with more context
      findings.push({ ...problem, rule: 'metadata:schema', severity: 'error' });
    }
    return { findings, checked: `${xmlCount} XML files, ${files.length - xmlCount} source files` };
  }
};

type Report = (file: string, line: number | undefined, message: string, rule: string) => void;

/**
 * Text limits a deploy enforces that the WSDL's types do not carry (they type these as plain strings), by root
 * element: Metadata API Developer Guide, PermissionSet ("description ... up to 255 characters", label 80) and
 * CustomField (label 40, description 1,000, inlineHelpText 510), CustomObject (label 40), ValidationRule
 * (errorMessage 255).
 */
const TEXT_LIMITS: Partial<Record<string, Record<string, number>>> = {
  PermissionSet: { description: 255, label: 80 },
  CustomField: { label: 40, description: 1000, inlineHelpText: 510 },
  CustomObject: { label: 40, pluralLabel: 40 },
  ValidationRule: { errorMessage: 255 }
};

function checkLengths(file: string, xml: XmlElement, error: Report): void {
  for (const [element, limit] of Object.entries(TEXT_LIMITS[xml.name] ?? {})) {
    for (const child of childrenNamed(xml, element)) {
      const text = textOf(xml, element) ?? '';
      if (text.length > limit) {
        error(
          file,
          child.line,
          `<${element}> of ${xml.name} has ${text.length} characters; a deploy accepts at most ${limit}`,
          'length'
        );
      }
    }
  }
}

function pairing(file: string, name: string, files: Set<string>, error: Report): void {
  for (const ext of ['.cls', '.trigger']) {
    if (name.endsWith(ext) && !files.has(`${file}-meta.xml`)) {
      error(file, undefined, `${name} has no ${name}-meta.xml beside it`, 'pairing');
    }
    if (name.endsWith(`${ext}-meta.xml`) && !files.has(file.slice(0, -'-meta.xml'.length))) {
      error(
        file,
        undefined,
        `${name} describes ${name.slice(0, -'-meta.xml'.length)}, which does not exist`,
        'pairing'
      );
    }
  }
  const parent = path.basename(path.dirname(file));
  if (path.basename(path.dirname(path.dirname(file))) === 'lwc' && name === `${parent}.js`) {
    if (!files.has(path.join(path.dirname(file), `${parent}.js-meta.xml`))) {
      error(file, undefined, `component ${parent} has no ${parent}.js-meta.xml`, 'pairing');
    }
  }
}

function checkApiVersion(file: string, xml: XmlElement, error: Report): void {
  const version = child(xml, 'apiVersion');
  if (!version) error(file, xml.line, `<${xml.name}> has no <apiVersion>`, 'api-version');
  else if (!/^\d{2}\.0$/.test(version.text))
    error(file, version.line, `apiVersion "${version.text}" is not like 66.0`, 'api-version');
}

function checkField(file: string, fileName: string, xml: XmlElement, error: Report): void {
  const expectedName = fileName.slice(0, -'.field-meta.xml'.length);
  const fullName = child(xml, 'fullName');
  if (!fullName) error(file, xml.line, `field has no <fullName> (expected ${expectedName})`, 'field');
  else if (fullName.text !== expectedName) {
    error(
      file,
      fullName.line,
      `<fullName>${fullName.text}</fullName> does not match the file name ${expectedName}`,
      'field'
    );
  }
  if (!child(xml, 'label')) error(file, xml.line, `field ${expectedName} has no <label>`, 'field');
  const type = child(xml, 'type');
  if (!type) {
    error(file, xml.line, `field ${expectedName} has no <type>`, 'field-type');
    return;
  }
  // An unknown type is reported by the Metadata API types (FieldType); the elements it needs cannot be known.
  if (!(FIELD_TYPES as readonly string[]).includes(type.text)) return;
  const formula = child(xml, 'formula');
  for (const required of FIELD_REQUIRES[type.text] ?? []) {
    if (formula && (required === 'length' || required === 'visibleLines')) continue;
    if (!child(xml, required)) {
      error(file, type.line, `${type.text} field ${expectedName} needs <${required}>`, 'field');
    }
  }
  if (type.text === 'Text' && !formula) {
    const length = Number(textOf(xml, 'length'));
    if (!(length >= 1 && length <= 255)) error(file, child(xml, 'length')?.line, `Text length must be 1-255`, 'field');
  }
  const valueSet = child(xml, 'valueSet');
  if (valueSet && !child(valueSet, 'valueSetName') && !child(valueSet, 'valueSetDefinition')) {
    error(file, valueSet.line, `picklist ${expectedName} has neither <valueSetName> nor <valueSetDefinition>`, 'field');
  }
  const definition = valueSet && child(valueSet, 'valueSetDefinition');
  if (definition) {
    const seen = new Set<string>();
    for (const value of childrenNamed(definition, 'value')) {
      const name = textOf(value, 'fullName');
      if (!name) error(file, value.line, `picklist value without <fullName>`, 'field');
      else if (seen.has(name.toLowerCase())) error(file, value.line, `duplicate picklist value "${name}"`, 'field');
      else seen.add(name.toLowerCase());
    }
  }
}

function checkObject(file: string, fileName: string, xml: XmlElement, error: Report): void {
  const objectName = fileName.slice(0, -'.object-meta.xml'.length);
  if (path.basename(path.dirname(file)) !== objectName) {
    error(file, 1, `${fileName} must be in a folder named ${objectName}`, 'object');
  }
  const required = /__c$/i.test(objectName)
    ? ['label', 'pluralLabel', 'nameField', 'deploymentStatus', 'sharingModel']
    : /__(mdt|e)$/i.test(objectName)
      ? ['label', 'pluralLabel']
      : [];
  if (/__e$/i.test(objectName)) required.push('eventType', 'publishBehavior');
  for (const element of required) {
    if (!child(xml, element)) error(file, xml.line, `object ${objectName} needs <${element}>`, 'object');
  }
  const nameField = child(xml, 'nameField');
  if (nameField && !['Text', 'AutoNumber'].includes(textOf(nameField, 'type') ?? '')) {
    error(file, nameField.line, `nameField of ${objectName} must be of type Text or AutoNumber`, 'object');
  }
}

/** Objects whose orgs come with a standard duplicate rule (Standard_<Object>_Duplicate_Rule, sort order 1). */
const STANDARD_DUPLICATE_RULES = new Set(['Account', 'Contact', 'Lead']);

/**
 * Duplicate rules a deploy refuses: one shipped active beside a matching rule that is still activating ("Before you
 * can use this duplicate rule, all associated matching rules must be active"), and, on an object that has a standard
 * rule, a sort order that collides with it (sort orders run 1, 2, 3... per object).
 */
function checkDuplicateRule(file: string, name: string, xml: XmlElement, error: Report): void {
  const active = child(xml, 'isActive');
  if (active?.text === 'true') {
    error(
      file,
      active.line,
      'a duplicate rule must ship inactive: it cannot deploy active while its matching rule is activating; activate it after install',
      'duplicate-rule'
    );
  }
  const object = name.split('.')[0]!;
  const sortOrder = child(xml, 'sortOrder');
  if (STANDARD_DUPLICATE_RULES.has(object) && sortOrder?.text === '1') {
    error(
      file,
      sortOrder.line,
      `sortOrder 1 is the standard ${object} duplicate rule's; use 2 or more`,
      'duplicate-rule'
    );
  }
}
