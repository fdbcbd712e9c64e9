import { createHmac, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export const SIGNATURE_HEADER = 'x-handoff-signature';
const MAX_AGE_MS = 5 * 60_000;

/** Hex HMAC-SHA256 of `payload` with the shared secret. */
export function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

/**
 * What a request signs: the raw body for requests with one (Salesforce's Named Credential signs the body with the
 * External Credential's secret in a custom header formula), else the method and path with its query string.
 */
export function signedPayload(method: string, originalUrl: string, rawBody: string): string {
  return rawBody.length > 0 ? rawBody : `${method.toUpperCase()} ${originalUrl}`;
}

/**
 * Authenticates every request: an HMAC-SHA256 signature in X-Handoff-Signature over the payload, plus a
 * `requestedAt` (ISO time, within 5 minutes) and a `nonce` never seen before, taken from the JSON body or, for
 * requests without one, the query string. Replays and stale requests are refused.
 */
export function hmacAuth(secret: string, now: () => number = Date.now) {
  if (!secret || secret.length < 16) throw new Error('HANDOFF_SERVICE_SECRET must be at least 16 characters');
  const seen = new Map<string, number>();
  return (request: Request, response: Response, next: NextFunction) => {
    const refuse = (message: string) => response.status(401).json({ error: 'unauthorized', message });
    const raw = Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '';
    const given = String(request.headers[SIGNATURE_HEADER] ?? '');
    const expected = sign(secret, signedPayload(request.method, request.originalUrl, raw));
    if (given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected))) {
      return refuse('missing or wrong X-Handoff-Signature');
    }
    let fields: { requestedAt?: unknown; nonce?: unknown } = request.query as Record<string, unknown>;
    if (raw.length > 0) {
      try {
        fields = JSON.parse(raw) as typeof fields;
      } catch {
        return response.status(400).json({ error: 'bad_request', message: 'the body is not JSON' });
      }
    }
    const at = Date.parse(String(fields.requestedAt ?? ''));
    if (!Number.isFinite(at) || Math.abs(now() - at) > MAX_AGE_MS)
      return refuse('requestedAt missing or older than 5 minutes');
    const nonce = String(fields.nonce ?? '');
    if (nonce.length < 8 || seen.has(nonce)) return refuse('nonce missing or already used');
    for (const [old, time] of seen) if (now() - time > 2 * MAX_AGE_MS) seen.delete(old);
    seen.set(nonce, now());
    (request as Request & { json?: unknown }).json = fields;
    return next();
  };
}
