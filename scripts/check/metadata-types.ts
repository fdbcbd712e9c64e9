import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { REPO_ROOT } from './process';

/**
 * The Metadata API's own type definitions at run time. `@salesforce/types/metadata` is generated from Salesforce's
 * metadata WSDL but ships only as a .d.ts, so it is parsed once per process with the TypeScript compiler API into
 * type name → fields. In that file an optional WSDL element (minOccurs="0") is a `?` property, a repeated one
 * (maxOccurs="unbounded") an array, an enumeration a union of string literals and a complex type that extends
 * another an intersection `Base & { ... }`.
 */
export type Primitive = 'string' | 'number' | 'boolean' | 'any';

export interface FieldType {
  /** A primitive, or the name of a type in `MetadataTypes.types`. */
  type: string;
  array: boolean;
  optional: boolean;
}

export type TypeDef =
  | { kind: 'object'; fields: Map<string, FieldType> }
  | { kind: 'enum'; values: Set<string> }
  | { kind: 'primitive'; primitive: Primitive };

export interface MetadataTypes {
  version: string;
  types: Map<string, TypeDef>;
}

let cached: MetadataTypes | undefined;

/** The parsed types of the installed `@salesforce/types`, parsed on first use and kept for the process. */
export function metadataTypes(): MetadataTypes {
  if (cached) return cached;
  // The package exports only its (empty) .js entry points; the .d.ts and package.json sit beside and above it.
  const entry = require.resolve('@salesforce/types/metadata', { paths: [REPO_ROOT] });
  const file = path.join(path.dirname(entry), 'metadata.d.ts');
  const packageJson = path.join(path.dirname(entry), '..', 'package.json');
  const version = (JSON.parse(fs.readFileSync(packageJson, 'utf8')) as { version: string }).version;
  cached = { version, types: parseTypes(fs.readFileSync(file, 'utf8')) };
  return cached;
}

export function parseTypes(text: string): Map<string, TypeDef> {
  const source = ts.createSourceFile('metadata.d.ts', text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const aliases = new Map<string, ts.TypeNode>();
  for (const statement of source.statements) {
    if (ts.isTypeAliasDeclaration(statement)) aliases.set(statement.name.text, statement.type);
  }
  const types = new Map<string, TypeDef>();
  const resolving = new Set<string>();
  const resolve = (name: string): TypeDef | undefined => {
    const known = types.get(name);
    if (known) return known;
    const node = aliases.get(name);
    if (!node || resolving.has(name)) return undefined;
    resolving.add(name);
    const def = definition(node);
    resolving.delete(name);
    if (def) types.set(name, def);
    return def;
  };
  const definition = (node: ts.TypeNode): TypeDef | undefined => {
    if (ts.isUnionTypeNode(node) && node.types.every((part) => ts.isLiteralTypeNode(part))) {
      return {
        kind: 'enum',
        values: new Set(node.types.map((part) => ((part as ts.LiteralTypeNode).literal as ts.StringLiteral).text))
      };
    }
    if (ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal)) {
      return { kind: 'enum', values: new Set([node.literal.text]) };
    }
    const primitive = primitiveOf(node);
    if (primitive) return { kind: 'primitive', primitive };
    if (ts.isTypeReferenceNode(node)) return resolve(node.typeName.getText(source));
    if (ts.isTypeLiteralNode(node)) return { kind: 'object', fields: fieldsOf(node) };
    if (ts.isIntersectionTypeNode(node)) {
      const fields = new Map<string, FieldType>();
      for (const part of node.types) {
        const def = definition(part);
        if (def?.kind === 'object') for (const [name, field] of def.fields) fields.set(name, field);
      }
      return { kind: 'object', fields };
    }
    return undefined;
  };
  const fieldsOf = (node: ts.TypeLiteralNode): Map<string, FieldType> => {
    const fields = new Map<string, FieldType>();
    for (const member of node.members) {
      if (!ts.isPropertySignature(member) || !member.type) continue;
      const array = ts.isArrayTypeNode(member.type);
      const element = ts.isArrayTypeNode(member.type) ? member.type.elementType : member.type;
      const type = primitiveOf(element) ?? (ts.isTypeReferenceNode(element) ? element.typeName.getText(source) : 'any');
      fields.set(member.name.getText(source), { type, array, optional: member.questionToken !== undefined });
    }
    return fields;
  };
  for (const name of aliases.keys()) resolve(name);
  return types;
}

function primitiveOf(node: ts.TypeNode): Primitive | undefined {
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
      return 'string';
    case ts.SyntaxKind.NumberKeyword:
      return 'number';
    case ts.SyntaxKind.BooleanKeyword:
      return 'boolean';
    case ts.SyntaxKind.AnyKeyword:
    case ts.SyntaxKind.UnknownKeyword:
      return 'any';
  }
  // xsd:date and xsd:dateTime are generated as `Date`; in XML they are text.
  if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName) && node.typeName.text === 'Date') return 'string';
  return undefined;
}

/** One deviation of an XML element from its Metadata API type. */
export interface TypeProblem {
  line: number;
  message: string;
  /** unknown-element, required, repeated, value, nesting. */
  rule: string;
}

export interface ValidationOptions {
  /**
   * Fields the WSDL lists as required that source format or the deploy does not need, as `Type.field`: see
   * REQUIRED_RELAXED in gates/metadata.ts for each one's reason.
   */
  relaxedRequired?: ReadonlySet<string>;
  /** Fields the WSDL types as text that hold nested XML in source (e.g. `LightningComponentBundle.targetConfigs`). */
  opaque?: ReadonlySet<string>;
}

const PRIMITIVES = new Set<string>(['string', 'number', 'boolean', 'any']);
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** xsd:boolean's lexical space (XML Schema Part 2, 3.2.2.1): true, false, 1, 0. */
const BOOLEAN = /^(true|false|1|0)$/;
/** xsi:type values on `CustomMetadata` `<value>` elements, mapped to the primitive they hold. */
const XSD_PRIMITIVES: Record<string, Primitive> = {
  'xsd:string': 'string',
  'xsd:boolean': 'boolean',
  'xsd:int': 'number',
  'xsd:long': 'number',
  'xsd:double': 'number',
  'xsd:decimal': 'number',
  'xsd:date': 'string',
  'xsd:dateTime': 'string',
  'xsd:time': 'string',
  'xsd:anyType': 'any'
};

interface XmlLike {
  name: string;
  attributes: Record<string, string>;
  children: XmlLike[];
  text: string;
  line: number;
}

/**
 * Checks `element` against the Metadata API type `typeName`: every child a field of the type (or of the type named
 * by its xsi:type), single fields not repeated, required fields present, values of the field's primitive or
 * enumeration, and each nested element checked against its own type.
 */
export function validateElement(
  element: XmlLike,
  typeName: string,
  types: MetadataTypes,
  options: ValidationOptions = {}
): TypeProblem[] {
  const problems: TypeProblem[] = [];
  const visit = (node: XmlLike, type: string, where: string): void => {
    const xsiType = node.attributes['xsi:type'];
    if (xsiType && XSD_PRIMITIVES[xsiType]) {
      checkValue(node, XSD_PRIMITIVES[xsiType], where);
      return;
    }
    if (xsiType && types.types.get(xsiType)?.kind === 'object') type = xsiType;
    if (PRIMITIVES.has(type)) {
      checkValue(node, type as Primitive, where);
      return;
    }
    const def = types.types.get(type);
    if (!def) return;
    if (def.kind === 'primitive') {
      checkValue(node, def.primitive, where);
      return;
    }
    if (def.kind === 'enum') {
      if (node.children.length) nesting(node, where, `a ${type} value`);
      else if (!def.values.has(node.text)) {
        problems.push({
          line: node.line,
          rule: 'value',
          message: `${where} is "${node.text}", not a ${type}: expected one of ${[...def.values].join(', ')}`
        });
      }
      return;
    }
    if (node.children.length === 0 && node.text !== '') {
      problems.push({
        line: node.line,
        rule: 'nesting',
        message: `${where} is a ${type} and needs nested elements, not the text "${node.text}"`
      });
      return;
    }
    const seen = new Map<string, number>();
    for (const element of node.children) {
      const field = def.fields.get(element.name);
      const path = `${where}.${element.name}`;
      if (!field) {
        problems.push({
          line: element.line,
          rule: 'unknown-element',
          message: `unknown element <${element.name}> in ${described(where, type)}`
        });
        continue;
      }
      seen.set(element.name, (seen.get(element.name) ?? 0) + 1);
      if (!field.array && seen.get(element.name) === 2) {
        problems.push({
          line: element.line,
          rule: 'repeated',
          message: `<${element.name}> appears more than once in ${where}; ${type}.${element.name} is a single value`
        });
      }
      if (options.opaque?.has(`${type}.${element.name}`)) continue;
      visit(element, field.type, path);
    }
    for (const [name, field] of def.fields) {
      if (field.optional || field.array || seen.has(name) || options.relaxedRequired?.has(`${type}.${name}`)) continue;
      problems.push({
        line: node.line,
        rule: 'required',
        message: `${described(where, type)} has no <${name}>, which the Metadata API requires`
      });
    }
  };
  const nesting = (node: XmlLike, where: string, expected: string): void => {
    problems.push({
      line: node.children[0].line,
      rule: 'nesting',
      message: `${where} holds ${expected}, not nested elements like <${node.children[0].name}>`
    });
  };
  const checkValue = (node: XmlLike, primitive: Primitive, where: string): void => {
    if (primitive === 'any') return;
    if (node.children.length) {
      nesting(node, where, `a ${primitive}`);
      return;
    }
    if (node.attributes['xsi:nil'] === 'true') return;
    if (primitive === 'number' && !NUMBER.test(node.text)) {
      problems.push({ line: node.line, rule: 'value', message: `${where} is "${node.text}", not a number` });
    }
    if (primitive === 'boolean' && !BOOLEAN.test(node.text)) {
      problems.push({ line: node.line, rule: 'value', message: `${where} is "${node.text}", not true or false` });
    }
  };
  visit(element, typeName, typeName);
  return problems;
}

/** `CustomField` at the root, `CustomField.lookupFilter (LookupFilter)` below it. */
function described(where: string, type: string): string {
  return where === type ? where : `${where} (${type})`;
}
