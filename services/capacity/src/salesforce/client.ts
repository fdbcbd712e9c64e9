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
  /** A request with no complete answer after this long is abandoned as transient (default 120 s). */
  timeoutMs?: number;
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

/**
 * Every Salesforce call of a forecast run goes through here: it counts API calls, retries transient failures of
 * idempotent requests with jittered exponential backoff, and reads the API usage Salesforce reports in the
 * Sforce-Limit-Info header (jsforce keeps it in `limitInfo`) to slow down above 80% of the daily allowance.
 */
export class SalesforceClient {
  apiCalls = 0;
  retries = 0;
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly slowDownAbove: number;
  private readonly slowDownMs: number;
  private readonly timeoutMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(
    readonly connection: Connection,
    options: ClientOptions = {}
  ) {
    this.attempts = options.attempts ?? 5;
    this.backoffMs = options.backoffMs ?? 200;
    this.slowDownAbove = options.slowDownAbove ?? 0.8;
    this.slowDownMs = options.slowDownMs ?? 1000;
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
  }

  get version(): string {
    return this.connection.version;
  }

  /** Share of the daily API allowance used, from the last response's Sforce-Limit-Info; undefined before any. */
  usage(): { used: number; limit: number; share: number } | undefined {
    const usage = this.connection.limitInfo?.apiUsage;
    return usage && usage.limit > 0 ? { ...usage, share: usage.used / usage.limit } : undefined;
  }

  async request<T>(spec: RequestSpec): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const usage = this.usage();
      if (usage && usage.share > this.slowDownAbove) await this.sleep(this.slowDownMs);
      this.apiCalls++;
      let timer: NodeJS.Timeout | undefined;
      try {
        const call = this.connection.request<T>({
          method: spec.method,
          url: spec.url,
          body:
            spec.body === undefined ? undefined : typeof spec.body === 'string' ? spec.body : JSON.stringify(spec.body),
          headers: { 'Content-Type': 'application/json', ...spec.headers }
        }) as Promise<T>;
        // jsforce can leave a request unsettled when the connection drops mid-body: never wait forever.
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                Object.assign(new Error(`no answer within ${this.timeoutMs} ms`), { errorCode: 'REQUEST_TIMEOUT' })
              ),
            this.timeoutMs
          );
        });
        return await Promise.race([call, timeout]);
      } catch (error) {
        if (!spec.idempotent || !isTransient(error) || attempt >= this.attempts) {
          throw new SalesforceError(
            `${spec.method} ${spec.url} failed after ${attempt} attempt(s): ${(error as Error).message}`,
            errorCodeOf(error)
          );
        }
        this.retries++;
        await this.sleep(this.backoff(attempt));
      } finally {
        clearTimeout(timer);
      }
    }
  }

  /** Jittered exponential backoff: between half and all of base x 2^(attempt-1), capped at 30 s. */
  backoff(attempt: number): number {
    const ceiling = Math.min(30_000, this.backoffMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }
}
