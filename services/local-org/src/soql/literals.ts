import type { FieldDef } from '@handoff/schema';
import { storageKind } from '../schema/field-types';
import type { SqlValue } from '../store/database';
import { normalizeId } from '../store/ids';
import { isValidDate, normalizeDateTime } from '../store/values';
import type { Literal } from './ast';
import { filterError } from './errors';

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\' };

/** The text of a quoted SOQL string literal. In LIKE patterns `\%`, `\_` and `\\` stay escaped for SQL's ESCAPE. */
export function unquote(text: string, forLike = false): string {
  const inner = text.startsWith("'") && text.endsWith("'") ? text.slice(1, -1) : text;
  return inner.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_match, escape: string) => {
    if (escape.length === 5) return String.fromCharCode(parseInt(escape.slice(1), 16));
    if (forLike && (escape === '%' || escape === '_' || escape === '\\')) return `\\${escape}`;
    return ESCAPES[escape] ?? escape;
  });
}

/** Multi-select values compared as sets: put in picklist definition order, as they are stored. */
export function canonicalMultiSelect(field: FieldDef, text: string): string {
  const order = new Map((field.picklistValues ?? []).map((value, index) => [value.toLowerCase(), index]));
  const parts = [
    ...new Set(
      text
        .split(';')
        .map((part) => part.trim())
        .filter(Boolean)
    )
  ];
  parts.sort((a, b) => (order.get(a.toLowerCase()) ?? Infinity) - (order.get(b.toLowerCase()) ?? Infinity));
  return parts.join(';');
}

const typeName: Record<string, string> = {
  number: 'double',
  boolean: 'boolean',
  date: 'date',
  datetime: 'dateTime',
  id: 'id',
  reference: 'reference'
};

/** A literal as the value a field's column holds, or the filter error Salesforce reports for the mismatch. */
export function literalValue(soql: string, field: FieldDef, literal: Literal): SqlValue {
  const kind = storageKind(field);
  const mismatch = () => {
    const type = typeName[kind] ?? 'string';
    const quoted = type === 'string' || type === 'id' || type === 'reference';
    return filterError(
      soql,
      `value of filter criterion for field '${field.name}' must be of type ${type} and ${quoted ? 'should be enclosed in quotes' : 'should not be enclosed in quotes'}`,
      literal.text
    );
  };
  switch (kind) {
    case 'id':
    case 'reference': {
      if (literal.type !== 'STRING') throw mismatch();
      const text = unquote(literal.text);
      const id = normalizeId(text);
      if (!id) throw filterError(soql, `invalid ID field: ${text}`, literal.text);
      return id;
    }
    case 'number':
      if (literal.type !== 'INTEGER' && literal.type !== 'DECIMAL') throw mismatch();
      return Number(literal.text);
    case 'boolean':
      if (literal.type !== 'BOOLEAN') throw mismatch();
      return literal.text.toUpperCase() === 'TRUE' ? 1 : 0;
    case 'date':
      if (literal.type !== 'DATE' || !isValidDate(literal.text)) throw mismatch();
      return literal.text;
    case 'datetime': {
      const value = literal.type === 'DATETIME' ? normalizeDateTime(literal.text) : undefined;
      if (!value) throw mismatch();
      return value;
    }
    case 'multipicklist':
      if (literal.type !== 'STRING') throw mismatch();
      return canonicalMultiSelect(field, unquote(literal.text));
    default:
      if (literal.type !== 'STRING') throw mismatch();
      return unquote(literal.text);
  }
}
