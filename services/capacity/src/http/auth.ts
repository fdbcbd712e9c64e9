import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export const SIGNATURE_HEADER = 'x-handoff-signature';
export const MIN_SECRET_LENGTH = 32;
const MAX_AGE_MS = 5 * 60_000;
const HEX_SIGNATURE = /^[0-9a-f]{64}$/i;

/** Hex HMAC-SHA256 of `payload` with the shared secret. */
export function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload, 'utf8').digest('hex');
}

/**
 * Refuses a secret an attacker could guess: shorter than 32 characters, or blank once trimmed. The message names the
 * environment variable, since that is where an operator sets it.
 */
export function checkSecret(secret: string | undefined, name = 'HANDOFF_SERVICE_SECRET'): string {
  if (secret === undefined || secret.trim().length === 0) throw new Error(`${name} is not set (or is blank)`);
  if (secret.length < MIN_SECRET_LENGTH || secret.trim().length < MIN_SECRET_LENGTH) {
    throw new Error(`${name} must be at least ${MIN_SECRET_LENGTH} characters (it has ${secret.trim().length})`);
  }
  return secret;
}

/** The fields every signed request carries, so that the signature covers them. */
export interface SignedFields {
  method: string;
  path: string;
  requestedAt: string;
  nonce: string;
}

/**
 * A signed request with a body. The signature is the HMAC of the raw body, and the body names the method, the path,
 * the time and a nonce: one signature covers all five. This is the form Salesforce can produce: the external
 * credential's header formula signs `$Credential.Handoff_Capacity_Service.Body`, and the Apex caller writes the
 * method and path into that body.
 */
export function signedBody(
  secret: string,
  method: string,
  path: string,
  fields: Record<string, unknown> = {},
  now: () => number = Date.now
): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({
    method: method.toUpperCase(),
    path,
    requestedAt: new Date(now()).toISOString(),
    nonce: randomUUID(),
    ...fields
  });
  return { body, headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: sign(secret, body) } };
}

/**
 * A signed request without a body (GET): `requestedAt` and `nonce` travel in the query string, and the signature is
 * the HMAC of `METHOD path?query`, so it covers the method, the path, the time and the nonce.
 */
export function signedUrl(
  secret: string,
  method: string,
  path: string,
  now: () => number = Date.now
): { url: string; headers: Record<string, string> } {
  const separator = path.includes('?') ? '&' : '?';
  const url = `${path}${separator}requestedAt=${encodeURIComponent(new Date(now()).toISOString())}&nonce=${randomUUID()}`;
  return { url, headers: { [SIGNATURE_HEADER]: sign(secret, `${method.toUpperCase()} ${url}`) } };
}

export type AuthenticatedRequest = Request & { json?: Record<string, unknown> };

/**
 * Authenticates every request. X-Handoff-Signature must be 64 hex characters and equal the HMAC-SHA256 of what the
 * request signs (see signedBody and signedUrl); the signed method and path must be this request's; `requestedAt` must
 * be within 5 minutes; the nonce must not have been seen by this process in that window. Every refusal is a JSON
 * answer: 401 for authentication, 400 for a signed body that is not a JSON object.
 */
export function hmacAuth(secret: string, now: () => number = Date.now) {
  checkSecret(secret);
  const seen = new Map<string, number>();
  return (request: Request, response: Response, next: NextFunction) => {
    const refuse = (message: string) => response.status(401).json({ error: 'unauthorized', message });
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const given = request.headers[SIGNATURE_HEADER];
    if (typeof given !== 'string' || !HEX_SIGNATURE.test(given)) {
      return refuse('X-Handoff-Signature is missing or is not 64 hexadecimal characters');
    }
    const payload = raw.length > 0 ? raw : Buffer.from(`${request.method.toUpperCase()} ${request.originalUrl}`);
    const expected = createHmac('sha256', secret).update(payload).digest();
    if (!timingSafeEqual(Buffer.from(given, 'hex'), expected)) return refuse('wrong X-Handoff-Signature');

    let fields: Record<string, unknown>;
    if (raw.length > 0) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw.toString('utf8'));
      } catch {
        return response.status(400).json({ error: 'bad_request', message: 'the body is not JSON' });
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        return response.status(400).json({ error: 'bad_request', message: 'the body must be a JSON object' });
      }
      fields = parsed as Record<string, unknown>;
      if (String(fields.method ?? '').toUpperCase() !== request.method.toUpperCase() || fields.path !== request.path) {
        return refuse(`the signed method and path do not match ${request.method} ${request.path}`);
      }
    } else {
      fields = { ...(request.query as Record<string, unknown>) };
    }
    const at = typeof fields.requestedAt === 'string' ? Date.parse(fields.requestedAt) : NaN;
    if (!Number.isFinite(at) || Math.abs(now() - at) > MAX_AGE_MS) {
      return refuse('requestedAt is missing or more than 5 minutes from now');
    }
    const nonce = typeof fields.nonce === 'string' ? fields.nonce : '';
    if (nonce.length < 8 || nonce.length > 200 || seen.has(nonce)) return refuse('nonce missing or already used');
    for (const [old, time] of seen) if (now() - time > 2 * MAX_AGE_MS) seen.delete(old);
    seen.set(nonce, now());
    (request as AuthenticatedRequest).json = fields;
    return next();
  };
}
