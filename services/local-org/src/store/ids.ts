const SUFFIX_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-5]{3})?$/;

/** The three characters Salesforce appends to a 15-character Id so it survives case-insensitive comparison. */
export function caseSafeSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let position = 0; position < 5; position++) {
      const code = id15.charCodeAt(chunk * 5 + position);
      if (code >= 65 && code <= 90) bits |= 1 << position;
    }
    suffix += SUFFIX_CHARS[bits];
  }
  return suffix;
}

/** A 15- or 18-character Id as its canonical 18-character form, or undefined when it is not an Id. */
export function normalizeId(value: unknown): string | undefined {
  if (typeof value !== 'string' || !ID_PATTERN.test(value)) return undefined;
  const id15 = value.slice(0, 15);
  const canonical = id15 + caseSafeSuffix(id15);
  if (value.length === 18 && value.slice(15).toUpperCase() !== canonical.slice(15)) return undefined;
  return canonical;
}

export function base62(value: number, width: number): string {
  let text = '';
  let rest = value;
  do {
    text = BASE62[rest % 62] + text;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  return text.padStart(width, '0');
}

/** `prefix` + `LO` (for local org) + a base62 sequence number, then the case-safe suffix. */
export function makeId(prefix: string, sequence: number): string {
  const id15 = `${prefix}LO${base62(sequence, 10)}`;
  return id15 + caseSafeSuffix(id15);
}

/** A random string of Id-safe characters (for tokens and locators). */
export function randomToken(length: number): string {
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => BASE62[byte % 62]).join('');
}
