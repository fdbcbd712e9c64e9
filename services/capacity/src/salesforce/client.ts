import type { Connection } from 'jsforce';
import { errorCodeOf, isTransient, SalesforceError } from './errors';

export interface ClientOptions {
  /** Attempts for an idempotent request, first included (default 5). */
  attempts?: number;
  /** Base of the exponential backoff in ms (default 200); each wait is jittered between half and the full value. */
  backoffMs?: number;
  /** Above this share of the daily API allowance, calls are spaced out (default 0.8). */
  slowDownAbove?: number;
  /** Pause between calls when above the threshold, in ms (default 1000). */
  slowDownMs?: number;
  /** One attempt with no complete answer (headers and body) after this long is abandoned as transient (default 20 s). */
  timeoutMs?: number;
  /**
   * All attempts of one request, waits included, end within this long (default 30 s). After a request failed because
   * the org did not answer at all, the next request gets one attempt of at most `probeTimeoutMs` (default 10 s) until
   * an answer comes back: a run against a dead org fails in well under a minute instead of retrying every call.
   */
  retryBudgetMs?: number;
  probeTimeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path from the version root, e.g. `/composite/sobjects/X/Key__c`, or an absolute path from /services. */
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Safe to send again: reads, upserts by external id, updates, deletes. A create is not. */
  idempotent: boolean;
}

/** A response as received: status, headers and the whole body as text. */
export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
}

interface SalesforceErrorBody {
  errorCode?: string;
  message?: string;
  error?: string;
  error_description?: string;
}

/** Failures that say the org did not answer: retrying them against a dead org only adds waiting. */
const UNANSWERED = new Set(['REQUEST_TIMEOUT', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'EPIPE']);

/**
 * Every Salesforce call of a forecast run goes through here: it counts API calls, retries transient failures of
 * idempotent requests with jittered exponential backoff within a time budget, renews an expired session once per
 * request, and reads the API usage Salesforce reports in the Sforce-Limit-Info header to slow down above 80% of the
 * daily allowance.
 *
 * Requests go through Node's fetch, not jsforce's transport: when a connection drops in the middle of a body,
 * jsforce 3 neither rejects nor settles (its stream error escapes as an unhandled 'error' event, which ends the
 * process), whereas fetch rejects the body read ("terminated"), which here is inside the request's try. The jsforce
 * Connection is kept for what it knows: the instance URL, the current access token and how to renew it.
 */
export class SalesforceClient {
  apiCalls = 0;
  retries = 0;
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly slowDownAbove: number;
  private readonly slowDownMs: number;
  private readonly timeoutMs: number;
  private readonly retryBudgetMs: number;
  private readonly probeTimeoutMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private apiUsage: { used: number; limit: number } | undefined;
  /** Set when a request failed without any answer from the org; cleared by the next answer. */
  private unreachable = false;

  constructor(
    readonly connection: Connection,
    options: ClientOptions = {}
  ) {
    this.attempts = options.attempts ?? 5;
    this.backoffMs = options.backoffMs ?? 200;
    this.slowDownAbove = options.slowDownAbove ?? 0.8;
    this.slowDownMs = options.slowDownMs ?? 1000;
    this.timeoutMs = options.timeoutMs ?? 20_000;
    this.retryBudgetMs = options.retryBudgetMs ?? 30_000;
    this.probeTimeoutMs = options.probeTimeoutMs ?? 10_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
  }

  get version(): string {
    return this.connection.version;
  }

  /** Share of the daily API allowance used, from the last response's Sforce-Limit-Info; undefined before any. */
  usage(): { used: number; limit: number; share: number } | undefined {
    const usage = this.apiUsage;
    return usage && usage.limit > 0 ? { ...usage, share: usage.used / usage.limit } : undefined;
  }

  /** Sends a request and returns its parsed body: JSON as an object, any other content as text, none as undefined. */
  async request<T>(spec: RequestSpec): Promise<T> {
    const response = await this.requestRaw(spec);
    return parseBody(response) as T;
  }

  /** As request, but with the status and headers (Bulk API 2.0 query results page through Sforce-Locator). */
  async requestRaw(spec: RequestSpec): Promise<RawResponse> {
    const started = Date.now();
    const probing = this.unreachable;
    const attempts = probing ? 1 : this.attempts;
    for (let attempt = 1; ; attempt++) {
      const usage = this.usage();
      if (usage && usage.share > this.slowDownAbove) await this.sleep(this.slowDownMs);
      const remaining = this.retryBudgetMs - (Date.now() - started);
      const timeoutMs = probing ? Math.min(this.timeoutMs, this.probeTimeoutMs) : Math.min(this.timeoutMs, remaining);
      try {
        const response = await this.send(spec, timeoutMs);
        this.unreachable = false;
        return response;
      } catch (error) {
        const code = errorCodeOf(error);
        if (UNANSWERED.has(code)) this.unreachable = true;
        const wait = this.backoff(attempt);
        // A retry needs time for its wait and a useful attempt (a second, or the whole timeout if shorter).
        const outOfTime = Date.now() - started + wait + Math.min(1000, this.timeoutMs) > this.retryBudgetMs;
        if (!spec.idempotent || !isTransient(error) || attempt >= attempts || outOfTime) {
          throw new SalesforceError(
            `${spec.method} ${spec.url} failed after ${attempt} attempt(s): ${(error as Error).message}`,
            code,
            { status: (error as { status?: number }).status }
          );
        }
        this.retries++;
        await this.sleep(wait);
      }
    }
  }

  /** Jittered exponential backoff: between half and all of base x 2^(attempt-1), capped at 30 s. */
  backoff(attempt: number): number {
    const ceiling = Math.min(30_000, this.backoffMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  /**
   * One attempt: the whole body is read before it counts as answered, under one AbortSignal, so a connection dropped
   * mid-body or an org that stops answering rejects here. A 401 INVALID_SESSION_ID renews the session once through
   * the connection's own refresh (refresh-token grant, JWT re-mint, or @salesforce/core's) and sends again.
   */
  private async send(spec: RequestSpec, timeoutMs: number, renewed = false): Promise<RawResponse> {
    this.apiCalls++;
    const sentAt = Date.now();
    const signal = AbortSignal.timeout(Math.max(1, timeoutMs));
    let response: Response;
    let text: string;
    try {
      response = await fetch(this.urlOf(spec.url), {
        method: spec.method,
        headers: {
          Authorization: `Bearer ${this.connection.accessToken ?? ''}`,
          'Content-Type': 'application/json',
          Accept: 'application/json, text/csv;q=0.9, */*;q=0.1',
          ...spec.headers
        },
        body:
          spec.body === undefined ? undefined : typeof spec.body === 'string' ? spec.body : JSON.stringify(spec.body),
        signal
      });
      text = await response.text();
    } catch (error) {
      if (signal.aborted) {
        throw Object.assign(new Error(`no complete answer within ${timeoutMs} ms`), { errorCode: 'REQUEST_TIMEOUT' });
      }
      throw error;
    }
    this.readLimitInfo(response.headers.get('sforce-limit-info'));
    if (response.ok) return { status: response.status, headers: response.headers, text };

    const failure = errorBody(text);
    const errorCode = failure.errorCode ?? failure.error ?? `ERROR_HTTP_${response.status}`;
    if (response.status === 401 && errorCode === 'INVALID_SESSION_ID' && !renewed && this.canRenew()) {
      await this.renew(sentAt);
      return this.send(spec, timeoutMs, true);
    }
    throw Object.assign(
      new Error(failure.message ?? failure.error_description ?? `HTTP ${response.status}: ${text.slice(0, 200)}`),
      { errorCode, status: response.status }
    );
  }

  private canRenew(): boolean {
    return this.connection._refreshDelegate !== undefined;
  }

  /**
   * jsforce keeps the refresh function the connection was made with (refresh-token grant, our JWT re-mint, or
   * @salesforce/core's) behind `_refreshDelegate`; `refresh(since)` does nothing if another request renewed the session
   * after `since`, so concurrent 401s renew once.
   */
  private async renew(since: number): Promise<void> {
    try {
      await this.connection._refreshDelegate!.refresh(since);
    } catch (error) {
      throw Object.assign(new Error(`the session expired and could not be renewed: ${(error as Error).message}`), {
        errorCode: 'INVALID_SESSION_ID',
        status: 401
      });
    }
  }

  private urlOf(url: string): string {
    if (/^https?:\/\//.test(url)) return url;
    const path = url.startsWith('/services/') ? url : `/services/data/v${this.version}${url}`;
    return new URL(path, this.connection.instanceUrl).toString();
  }

  private readLimitInfo(header: string | null): void {
    const match = header ? /api-usage=(\d+)\/(\d+)/.exec(header) : null;
    if (match) this.apiUsage = { used: Number(match[1]), limit: Number(match[2]) };
  }
}

function errorBody(text: string): SalesforceErrorBody {
  try {
    const parsed = JSON.parse(text) as SalesforceErrorBody | SalesforceErrorBody[];
    return (Array.isArray(parsed) ? parsed[0] : parsed) ?? {};
  } catch {
    return {};
  }
}

function parseBody(response: RawResponse): unknown {
  if (response.text === '') return undefined;
  if (/json/i.test(response.headers.get('content-type') ?? '')) return JSON.parse(response.text);
  return response.text;
}
