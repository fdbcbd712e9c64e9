import type { FieldDef, ObjectDef } from '@handoff/schema';
import { RecordError } from '../errors';
import { storageKind } from '../schema/field-types';
import type { OrgSchema } from '../schema/org-schema';
import type { SqlValue } from './database';
import { normalizeId } from './ids';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const TIME = /^(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?Z?$/i;

const notOfType = (field: FieldDef, value: unknown) =>
  new RecordError(
    'INVALID_TYPE_ON_FIELD_IN_RECORD',
    `${field.label}: value not of required type: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`,
    [field.name]
  );

function asText(field: FieldDef, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw notOfType(field, value);
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function isValidDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]!) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month !== 2 || day <= 28 || leap;
}

/** An ISO datetime (with or without offset, or a bare date) as `YYYY-MM-DDTHH:MM:SS.sssZ`, or undefined. */
export function normalizeDateTime(text: string): string | undefined {
  const match = DATETIME.exec(text.trim());
  if (!match || !isValidDate(match[1]!)) return undefined;
  const [, date, hours = '00', minutes = '00', seconds = '00', fraction = '', zone = 'Z'] = match;
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const millis = (fraction + '000').slice(1, 4).padEnd(3, '0');
  const parsed = new Date(`${date}T${hours}:${minutes}:${seconds}.${millis}${offset}`);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed.toISOString();
}

function toNumber(field: FieldDef, value: unknown): number {
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() ? Number(value) : NaN;
  if (!Number.isFinite(number)) throw notOfType(field, value);
  const scale = field.scale ?? (field.type === 'Number' ? 0 : 2);
  const precision = field.precision ?? 18;
  if (Math.abs(number) >= 10 ** Math.max(precision - scale, 1)) {
    throw new RecordError(
      'NUMBER_OUTSIDE_VALID_RANGE',
      `${field.label}: value outside of valid range on numeric field: ${String(value)}`,
      [field.name]
    );
  }
  const factor = 10 ** scale;
  return field.precision === undefined && field.scale === undefined ? number : Math.round(number * factor) / factor;
}

function toBoolean(field: FieldDef, value: unknown): number {
  if (value === true || value === false) return value ? 1 : 0;
  if (typeof value === 'number' && (value === 0 || value === 1)) return value;
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (text === 'true' || text === '1' || text === 'yes') return 1;
    if (text === 'false' || text === '0' || text === 'no' || text === '') return 0;
  }
  throw notOfType(field, value);
}

function checkLength(field: FieldDef, text: string): string {
  const max = field.length ?? 255;
  if (text.length > max) {
    throw new RecordError('STRING_TOO_LONG', `${field.label}: data value too large: ${text} (max length=${max})`, [
      field.name
    ]);
  }
  return text;
}

function picklistValue(field: FieldDef, text: string): string {
  const values = field.picklistValues ?? [];
  const known =
    values.find((value) => value === text) ?? values.find((value) => value.toLowerCase() === text.toLowerCase());
  if (known) return known;
  if (field.restrictedPicklist) {
    throw new RecordError(
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      `${field.label}: bad value for restricted picklist field: ${text}`,
      [field.name]
    );
  }
  return checkLength(field, text);
}

/** Multi-select values are stored in definition order, separated by `;`, as Salesforce keeps them. */
function multiPicklistValue(field: FieldDef, text: string): string | null {
  const chosen = [
    ...new Set(
      text
        .split(';')
        .map((part) => part.trim())
        .filter(Boolean)
    )
  ].map((part) => picklistValue(field, part));
  if (chosen.length === 0) return null;
  const order = new Map((field.picklistValues ?? []).map((value, index) => [value, index]));
  chosen.sort((a, b) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity));
  return chosen.join(';');
}

/**
 * Turns one incoming value into what the field's column stores, or throws the RecordError Salesforce reports for
 * it. `null` (JSON) and `#N/A` (CSV) have been turned into null by the caller; reference existence is checked by
 * the writer, which can see other records.
 */
export function coerceValue(schema: OrgSchema, object: ObjectDef, field: FieldDef, value: unknown): SqlValue {
  if (value === null) return storageKind(field) === 'boolean' ? 0 : null;
  switch (storageKind(field)) {
    case 'boolean':
      return toBoolean(field, value);
    case 'number':
      return toNumber(field, value);
    case 'date': {
      const text = asText(field, value).trim();
      if (text === '') return null;
      const date = isValidDate(text) ? text : normalizeDateTime(text)?.slice(0, 10);
      if (!date) throw notOfType(field, value);
      return date;
    }
    case 'datetime': {
      const text = asText(field, value);
      if (text.trim() === '') return null;
      const normalized = normalizeDateTime(text);
      if (!normalized) throw notOfType(field, value);
      // Stored to the second, as the org stores it: "Regular dateTime fields are full timestamps with a precision of
      // one second" (SOAP API Developer Guide, Primitive Data Types). Milliseconds written are dropped.
      return `${normalized.slice(0, 19)}.000Z`;
    }
    case 'time': {
      const match = TIME.exec(asText(field, value).trim());
      if (!match) throw notOfType(field, value);
      const [, hours, minutes, seconds = '00', fraction = '.000'] = match;
      return `${hours}:${minutes}:${seconds}${fraction.padEnd(4, '0')}Z`;
    }
    case 'reference':
    case 'id': {
      const text = asText(field, value).trim();
      if (text === '') return null;
      const id = normalizeId(text);
      const targets = (field.referenceTo ?? [object.name]).map((name) => schema.object(name)?.keyPrefix);
      if (!id) {
        throw new RecordError('MALFORMED_ID', `${field.label}: id value of incorrect type: ${text}`, [field.name]);
      }
      if (!targets.includes(id.slice(0, 3))) {
        throw new RecordError('FIELD_INTEGRITY_EXCEPTION', `${field.label}: id value of incorrect type: ${text}`, [
          field.name
        ]);
      }
      return id;
    }
    case 'picklist': {
      const text = asText(field, value);
      return text === '' ? null : picklistValue(field, text);
    }
    case 'multipicklist':
      return multiPicklistValue(field, asText(field, value));
    default: {
      const text = asText(field, value);
      if (text === '') return null;
      if (field.type === 'Email' && !EMAIL.test(text.trim())) {
        throw new RecordError('INVALID_EMAIL_ADDRESS', `${field.label}: invalid email address: ${text}`, [field.name]);
      }
      return checkLength(field, text);
    }
  }
}

/**
 * A field's declared default as a stored value, when it is a literal (`'Pipeline'`, `true`, `42`); formula
 * defaults are not evaluated.
 */
export function literalDefault(schema: OrgSchema, object: ObjectDef, field: FieldDef): SqlValue | undefined {
  const picklistDefault = schema.extras(object.name, field.name).picklistDefault;
  if (picklistDefault !== undefined) return picklistDefault;
  const text = field.defaultValue?.trim();
  if (text === undefined) return storageKind(field) === 'boolean' ? 0 : undefined;
  if (storageKind(field) === 'boolean') return /^true$/i.test(text) ? 1 : 0;
  const quoted = /^["'](.*)["']$/s.exec(text);
  if (quoted) return quoted[1]!;
  if (storageKind(field) === 'number' && Number.isFinite(Number(text))) return Number(text);
  return undefined;
}
