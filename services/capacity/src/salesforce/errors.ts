/** A Salesforce failure with what the operator needs to find it: the errorCode, and the record or job concerned. */
export class SalesforceError extends Error {
  constructor(
    message: string,
    readonly errorCode: string,
    readonly details: { recordKey?: string; jobId?: string; status?: number } = {}
  ) {
    super(message);
    this.name = 'SalesforceError';
  }
}

const TRANSIENT_CODES = new Set([
  'REQUEST_LIMIT_EXCEEDED',
  'UNABLE_TO_LOCK_ROW',
  'SERVER_UNAVAILABLE',
  'QUERY_TIMEOUT',
  'REQUEST_TIMEOUT'
]);
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'ERR_STREAM_PREMATURE_CLOSE'
]);

interface ErrorLike {
  errorCode?: string;
  name?: string;
  code?: string;
  message?: string;
  statusCode?: number;
  status?: number;
  cause?: unknown;
}

/** The errorCode Salesforce (or the network) gave, e.g. UNABLE_TO_LOCK_ROW, ERROR_HTTP_503, ECONNRESET. */
export function errorCodeOf(error: unknown): string {
  const value = (error ?? {}) as ErrorLike;
  const cause = (value.cause ?? {}) as ErrorLike;
  return value.errorCode ?? value.code ?? cause.code ?? value.name ?? 'UNKNOWN';
}

/**
 * Transient failures worth retrying (only for idempotent requests): 5xx, 429, REQUEST_LIMIT_EXCEEDED,
 * UNABLE_TO_LOCK_ROW, a request with no complete answer in time, and a connection dropped mid-response.
 */
export function isTransient(error: unknown): boolean {
  const code = errorCodeOf(error);
  const value = (error ?? {}) as ErrorLike;
  const status = value.statusCode ?? value.status;
  if (TRANSIENT_CODES.has(code) || NETWORK_CODES.has(code)) return true;
  if (/^ERROR_HTTP_(5\d\d|429)$/.test(code)) return true;
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  return /socket hang up|premature close|other side closed|fetch failed|terminated/i.test(value.message ?? '');
}
