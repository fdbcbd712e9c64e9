import type { OrgSchema } from '../schema/org-schema';
import { toJsonValue } from '../store/output';
import { coerceValue } from '../store/values';

/** A record as SOQL returns it: API field name -> JSON value. */
export type SObject = Record<string, unknown>;

/**
 * A wanted value as the org would store and return it (numbers at the field's scale, 18-character ids, picklist
 * values in their defined case), so that comparing it with what is stored says whether a write would change anything.
 * A value the field refuses is returned as is: the write reports it.
 */
export function storedForm(schema: OrgSchema, objectName: string, fieldName: string, value: unknown): unknown {
  const object = schema.object(objectName);
  const field = schema.field(objectName, fieldName);
  if (!object || !field) return value;
  try {
    return toJsonValue(field, coerceValue(schema, object, field, value ?? null));
  } catch {
    return value;
  }
}

export function sameValue(schema: OrgSchema, objectName: string, fieldName: string, stored: unknown, wanted: unknown) {
  return (stored ?? null) === (storedForm(schema, objectName, fieldName, wanted) ?? null);
}

/** Decimal.setScale(2): half-even rounding to two places (tolerant of binary floating point). */
export function scale2(value: number): number {
  const scaled = value * 100;
  const floor = Math.floor(scaled);
  const tie = Math.abs(scaled - floor - 0.5) < 1e-9 * Math.max(1, Math.abs(scaled));
  return (tie ? (floor % 2 === 0 ? floor : floor + 1) : Math.round(scaled)) / 100;
}

/** `YYYY-MM-DD` plus some days. */
export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** String.valueOf in Apex: datetimes as `YYYY-MM-DD HH:MM:SS` (GMT), everything else as JavaScript writes it. */
export function apexText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value);
  const datetime = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)\.\d{3}\+0000$/.exec(text);
  return datetime ? `${datetime[1]} ${datetime[2]}` : text;
}

/** JSON.serialize in Apex writes datetimes as `...Z`; the REST API writes `...+0000`. */
export const apexJson = (value: unknown): unknown =>
  typeof value === 'string' ? value.replace(/^(\d{4}-\d\d-\d\dT[\d:.]+)\+0000$/, '$1Z') : (value ?? null);
