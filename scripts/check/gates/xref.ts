import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseQuery, type Query, type Subquery, type WhereClause } from '@jetstreamapp/soql-parser-js';
import { child, childrenNamed, loadSchema, readXmlFile, textOf, type Schema } from '@handoff/schema';
import type { Finding, Gate } from '../gate';
import { declaredMethods, inlineQueries, maskApex } from '../apex-source';
import { lineAt, listFiles, packageDirectories, relative } from '../paths';

type Report = (message: string, offset: number, rule: string) => void;

/**
 * Cross-references apex-ls does not check: fields in inline SOQL (select list, WHERE, GROUP BY, ORDER BY,
 * subqueries), LWC imports of `@salesforce/schema/...` and `@salesforce/apex/...`, and the names permission sets
 * and custom metadata records point at. Everything resolves against the schema module (force-app + the standard
 * catalog), the same schema the local org serves.
 */
export const xrefGate: Gate = {
  id: 'xref',
  title: 'Cross-references (SOQL fields, LWC imports, permission sets, custom metadata)',
  async run({ root }) {
    const schema = loadSchema(root);
    const findings: Finding[] = [];
    const dirs = packageDirectories(root);
    const apexFiles = dirs.flatMap((dir) => listFiles(dir, (name) => /\.(cls|trigger)$/.test(name)));
    const classes = new Map(
      apexFiles
        .filter((file) => file.endsWith('.cls'))
        .map((file) => [path.basename(file, '.cls').toLowerCase(), file] as const)
    );

    let queryCount = 0;
    for (const file of apexFiles) {
      const source = fs.readFileSync(file, 'utf8');
      const report = reporter(findings, root, file, source);
      for (const query of inlineQueries(source)) {
        queryCount++;
        checkInlineQuery(schema, query.soql, (message, offset, rule) => report(message, query.offset + offset, rule));
      }
    }

    const components = dirs.flatMap((dir) =>
      listFiles(dir, (name) => name.endsWith('.js')).filter(
        (file) => /[\\/]lwc[\\/]/.test(file) && !/[\\/]__tests__[\\/]/.test(file)
      )
    );
    let importCount = 0;
    for (const file of components) {
      const source = fs.readFileSync(file, 'utf8');
      const report = reporter(findings, root, file, source);
      importCount += checkComponentImports(schema, classes, source, report);
    }

    const permissionSets = dirs.flatMap((dir) => listFiles(dir, (name) => name.endsWith('.permissionset-meta.xml')));
    for (const file of permissionSets) checkPermissionSet(schema, classes, root, file, findings);
    const records = dirs.flatMap((dir) => listFiles(dir, (name) => name.endsWith('.md-meta.xml')));
    for (const file of records) checkMetadataRecord(schema, root, file, findings);
    const reportTypes = dirs.flatMap((dir) => listFiles(dir, (name) => name.endsWith('.reportType-meta.xml')));
    const reports = dirs.flatMap((dir) => listFiles(dir, (name) => name.endsWith('.report-meta.xml')));
    checkReports(schema, root, reportTypes, reports, findings);

    return {
      findings,
      checked:
        `${queryCount} SOQL queries, ${importCount} LWC imports, ${permissionSets.length} permission sets, ` +
        `${records.length} metadata records, ${reportTypes.length} report types, ${reports.length} reports`
    };
  }
};

function reporter(findings: Finding[], root: string, file: string, source: string): Report {
  return (message, offset, rule) =>
    findings.push({
      file: relative(root, file),
      line: lineAt(source, offset),
      message,
      rule: `xref:${rule}`,
      severity: 'error'
    });
}

/** LIMIT/OFFSET binds are valid Apex the SOQL parser does not accept; a number stands in for them. */
const prepare = (soql: string) => soql.replace(/\b(LIMIT|OFFSET)\s*:\s*[\w.()]+/gi, '$1 1');

function checkInlineQuery(schema: Schema, soql: string, report: Report): void {
  let query: Query;
  try {
    query = parseQuery(prepare(soql), { allowApexBindVariables: true });
  } catch (error) {
    report(`SOQL does not parse: ${(error as Error).message.split('\n')[0]}`, 0, 'soql-syntax');
    return;
  }
  const masked = maskApex(soql);
  /** Offset of a name inside the query text, for the line number; the query start when not found. */
  const where = (name: string, from = 0) => {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const found = new RegExp(`\\b${escaped}\\b`, 'i').exec(masked.slice(from));
    return found ? from + found.index : 0;
  };
  checkQuery(schema, query, query.sObject ?? '', report, where);
  checkAggregateLimit(query, report, where);
}

/**
 * An aggregate query without GROUP BY answers one row and refuses a LIMIT: "You can't use a LIMIT clause in a query
 * that uses an aggregate function, but does not use a GROUP BY clause" (SOQL and SOSL Reference, "LIMIT"). COUNT()
 * alone is a count query, which takes one.
 */
function checkAggregateLimit(query: Query, report: Report, where: (name: string, from?: number) => number): void {
  const aggregates = (query.fields ?? []).filter(
    (field) => field.type === 'FieldFunctionExpression' && field.isAggregateFn && field.functionName !== 'COUNT'
  );
  const counted = (query.fields ?? []).some(
    (field) => field.type === 'FieldFunctionExpression' && field.functionName === 'COUNT' && field.parameters?.length
  );
  if ((aggregates.length || counted) && !query.groupBy && query.limit !== undefined) {
    report('an aggregate query without GROUP BY cannot take a LIMIT', where('LIMIT'), 'soql-aggregate-limit');
  }
}

function checkQuery(
  schema: Schema,
  query: Query | Subquery,
  objectName: string,
  report: Report,
  where: (name: string, from?: number) => number
): void {
  if (!schema.object(objectName)) {
    report(`unknown object ${objectName} in FROM`, where(objectName), 'soql-object');
    return;
  }
  const alias = 'sObjectAlias' in query ? query.sObjectAlias : undefined;
  const field = (name: string, clause: string) => {
    let fieldPath = name;
    if (alias && fieldPath.toLowerCase().startsWith(`${alias.toLowerCase()}.`))
      fieldPath = fieldPath.slice(alias.length + 1);
    const resolved = schema.resolveFieldPath(objectName, fieldPath);
    if (!resolved.ok)
      report(`${clause}: ${resolved.error} (${objectName}.${fieldPath})`, where(fieldPath), 'soql-field');
  };
  const functionParameters = (parameters: unknown[] | undefined, clause: string) => {
    for (const parameter of parameters ?? []) {
      if (typeof parameter === 'string' && /^[A-Za-z_][\w.]*$/.test(parameter)) field(parameter, clause);
      else if (parameter && typeof parameter === 'object' && 'parameters' in parameter) {
        functionParameters((parameter as { parameters?: unknown[] }).parameters, clause);
      }
    }
  };

  for (const selected of query.fields ?? []) {
    switch (selected.type) {
      case 'Field':
        field(selected.field, 'SELECT');
        break;
      case 'FieldRelationship':
        field(selected.rawValue ?? [...selected.relationships, selected.field].join('.'), 'SELECT');
        break;
      case 'FieldFunctionExpression':
        if (selected.functionName.toUpperCase() !== 'FIELDS') functionParameters(selected.parameters, 'SELECT');
        break;
      case 'FieldSubquery': {
        const relationship = schema.childRelationship(objectName, selected.subquery.relationshipName);
        if (!relationship) {
          report(
            `no child relationship ${selected.subquery.relationshipName} on ${objectName}`,
            where(selected.subquery.relationshipName),
            'soql-relationship'
          );
        } else {
          checkQuery(schema, selected.subquery, relationship.childObject, report, where);
        }
        break;
      }
      default:
        break; // TYPEOF: polymorphic, resolved at run time
    }
  }
  const conditions = (clause: WhereClause | undefined, name: string) => {
    for (let node: WhereClause | undefined = clause; node; node = 'right' in node ? node.right : undefined) {
      const left = node.left as
        { field?: string; fn?: { parameters?: unknown[] }; valueQuery?: Query } | null | undefined;
      if (!left) continue;
      if (left.field) field(left.field, name);
      if (left.fn) functionParameters(left.fn.parameters, name);
      if (left.valueQuery) checkQuery(schema, left.valueQuery, left.valueQuery.sObject ?? '', report, where);
    }
  };
  conditions(query.where, 'WHERE');
  conditions(query.having as WhereClause | undefined, 'HAVING');
  const groupBy = Array.isArray(query.groupBy) ? query.groupBy : query.groupBy ? [query.groupBy] : [];
  for (const group of groupBy) {
    if ('field' in group && group.field) field(group.field, 'GROUP BY');
    if ('fn' in group && group.fn) functionParameters(group.fn.parameters, 'GROUP BY');
  }
  const orderBy = Array.isArray(query.orderBy) ? query.orderBy : query.orderBy ? [query.orderBy] : [];
  for (const order of orderBy) {
    if ('field' in order && order.field) field(order.field, 'ORDER BY');
    if ('fn' in order && order.fn) functionParameters(order.fn.parameters, 'ORDER BY');
  }
}

const IMPORT = /import\s+[\w{}\s,*]+?\s+from\s+['"]@salesforce\/(schema|apex)\/([^'"]+)['"]/g;

function checkComponentImports(schema: Schema, classes: Map<string, string>, source: string, report: Report): number {
  let count = 0;
  for (const match of source.matchAll(IMPORT)) {
    count++;
    const [, kind, reference = ''] = match;
    const offset = match.index ?? 0;
    if (kind === 'schema') {
      const [objectName = '', ...fieldPath] = reference.split('.');
      if (!schema.object(objectName))
        report(`@salesforce/schema/${reference}: unknown object ${objectName}`, offset, 'lwc-schema');
      else if (fieldPath.length) {
        const resolved = schema.resolveFieldPath(objectName, fieldPath.join('.'));
        if (!resolved.ok) report(`@salesforce/schema/${reference}: ${resolved.error}`, offset, 'lwc-schema');
      }
      continue;
    }
    const parts = reference.split('.');
    const className = parts.length >= 2 ? parts[parts.length - 2]! : '';
    const methodName = parts[parts.length - 1] ?? '';
    const file = classes.get(className.toLowerCase());
    if (!file) {
      report(`@salesforce/apex/${reference}: no Apex class ${className} in the project`, offset, 'lwc-apex');
      continue;
    }
    const method = declaredMethods(fs.readFileSync(file, 'utf8')).find(
      (candidate) => candidate.name.toLowerCase() === methodName.toLowerCase()
    );
    if (!method) report(`@salesforce/apex/${reference}: ${className} has no method ${methodName}`, offset, 'lwc-apex');
    else if (!method.isStatic)
      report(`@salesforce/apex/${reference}: ${methodName} must be static`, offset, 'lwc-apex');
    else if (!method.annotations.includes('auraenabled')) {
      report(`@salesforce/apex/${reference}: ${methodName} must be @AuraEnabled`, offset, 'lwc-apex');
    }
  }
  return count;
}

function checkPermissionSet(
  schema: Schema,
  classes: Map<string, string>,
  root: string,
  file: string,
  findings: Finding[]
): void {
  const xml = readXmlFile(file, relative(root, file));
  const report = (line: number, message: string) =>
    findings.push({ file: relative(root, file), line, message, rule: 'xref:permission-set', severity: 'error' });
  for (const permission of childrenNamed(xml, 'objectPermissions')) {
    const objectName = textOf(permission, 'object') ?? '';
    if (!schema.object(objectName)) report(permission.line, `object permission for unknown object ${objectName}`);
  }
  for (const permission of childrenNamed(xml, 'fieldPermissions')) {
    const [objectName = '', fieldName = ''] = (textOf(permission, 'field') ?? '').split('.');
    const field = schema.field(objectName, fieldName);
    if (!field) report(permission.line, `field permission for unknown field ${objectName}.${fieldName}`);
    else if (field.required && field.custom) {
      report(permission.line, `${objectName}.${fieldName} is required; required fields take no field permissions`);
    }
  }
  for (const access of childrenNamed(xml, 'classAccesses')) {
    const className = textOf(access, 'apexClass') ?? '';
    if (!classes.has(className.toLowerCase())) report(access.line, `class access for unknown Apex class ${className}`);
  }
}

function checkMetadataRecord(schema: Schema, root: string, file: string, findings: Finding[]): void {
  const xml = readXmlFile(file, relative(root, file));
  const typeName = `${path.basename(file).split('.')[0]}__mdt`;
  const report = (line: number, message: string) =>
    findings.push({ file: relative(root, file), line, message, rule: 'xref:custom-metadata', severity: 'error' });
  if (!schema.object(typeName)) {
    report(xml.line, `record of unknown custom metadata type ${typeName}`);
    return;
  }
  for (const value of childrenNamed(xml, 'values')) {
    const fieldName = textOf(value, 'field') ?? '';
    if (!schema.field(typeName, fieldName))
      report(child(value, 'field')?.line ?? value.line, `${typeName} has no field ${fieldName}`);
  }
}

/**
 * Report types and reports, which a deploy rejects with little to go on ("invalid report type", "invalid column"):
 * each report type column names a field of its table (the base object), and each report names a custom report type
 * of the package by its API name with the `__c` suffix and uses only `Object$Field` columns that report type
 * offers, in columns, groupings, filters and the time frame.
 */
function checkReports(schema: Schema, root: string, typeFiles: string[], reportFiles: string[], findings: Finding[]) {
  const offered = new Map<string, Set<string>>();
  for (const file of typeFiles) {
    const xml = readXmlFile(file, relative(root, file));
    const report = (line: number, message: string) =>
      findings.push({ file: relative(root, file), line, message, rule: 'xref:report-type', severity: 'error' });
    const base = textOf(xml, 'baseObject') ?? '';
    if (!schema.object(base)) report(xml.line, `report type on unknown object ${base}`);
    const columns = new Set<string>();
    for (const section of childrenNamed(xml, 'sections')) {
      for (const column of childrenNamed(section, 'columns')) {
        const table = textOf(column, 'table') ?? '';
        const field = textOf(column, 'field') ?? '';
        if (table !== base)
          report(column.line, `column ${field} of table ${table}: only the base object ${base} is supported`);
        else if (!schema.field(base, field)) report(column.line, `${base} has no field ${field}`);
        else columns.add(`${base}$${field}`.toLowerCase());
      }
    }
    offered.set(`${path.basename(file).split('.')[0]}__c`.toLowerCase(), columns);
  }
  for (const file of reportFiles) {
    const xml = readXmlFile(file, relative(root, file));
    const report = (line: number, message: string) =>
      findings.push({ file: relative(root, file), line, message, rule: 'xref:report', severity: 'error' });
    const typeElement = child(xml, 'reportType');
    const typeName = typeElement?.text ?? '';
    const columns = offered.get(typeName.toLowerCase());
    if (!columns) {
      const hint = offered.has(`${typeName}__c`.toLowerCase()) ? ` (a custom report type is named ${typeName}__c)` : '';
      report(typeElement?.line ?? xml.line, `report type ${typeName} is not a report type of the package${hint}`);
      continue;
    }
    const references: { text: string; line: number }[] = [];
    const collect = (element: { name: string; text: string; line: number; children: typeof xml.children }) => {
      if (['field', 'column', 'dateColumn'].includes(element.name) && element.text.includes('$')) {
        references.push({ text: element.text, line: element.line });
      }
      element.children.forEach(collect);
    };
    collect(xml);
    for (const reference of references) {
      if (!columns.has(reference.text.toLowerCase())) {
        report(reference.line, `${reference.text} is not a column of report type ${typeName}`);
      }
    }
  }
}
