import { createHmac, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DeliveredEvent } from '../store/event-bus';
import type { Store } from '../store/store';

/**
 * Where the Handoff_Capacity_Service named credential points and the `SigningSecret` its external credential signs
 * with (Setup in a real org; the caller here).
 */
export interface CapacityServiceEndpoint {
  /** The service's base URL, e.g. `http://127.0.0.1:4000` (the request goes to `<url>/runs`). */
  url: string;
  secret: string;
}

/** One POST /runs the twin sent, and how it ended. */
export interface SentRequest {
  requestId: string;
  eventCount: number;
  /** The HTTP status, or undefined when the callout itself failed. */
  status?: number;
  /** Why it was recorded as a Failed run, if it was. */
  failure?: string;
}

const EVENT = 'Handoff_Lifecycle_Event__e';
const ENTRY_POINT = /\bCapacityForecastRequest\s*\.\s*onLifecycleEvents\s*\(/;
/** `request.setTimeout(20000)` in CapacityForecastRequest. */
const CALLOUT_TIMEOUT_MS = 20_000;

/**
 * Offline twin of HandoffLifecycleEventTrigger and the CapacityForecastRequest queueable (the Apex is the product):
 * each delivered batch of lifecycle events enqueues at most one request, none while one is already waiting (a burst of
 * 200 events makes one request); the request POSTs a signed `/runs` with a new request id and the batch's event count,
 * and a request that fails (no answer, or anything but 202) is written as a Failed Capacity_Forecast_Run__c with the
 * message recordFailure writes. Active once `configure` gives it an endpoint; until then lifecycle events are only
 * kept in the event log, as before.
 */
export class CapacityForecastRequests {
  /** Every request sent, oldest first. */
  readonly sent: SentRequest[] = [];
  private endpoint?: CapacityServiceEndpoint;
  private unsubscribe?: () => void;
  /** A job enqueued and not yet started (AsyncApexJob Holding, Queued or Preparing). */
  private waiting = false;
  private readonly jobs = new Set<Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly options: { batchSize?: number; timeoutMs?: number } = {}
  ) {}

  /** Points the named credential at a running service (or, with undefined, stops delivering events to the trigger). */
  configure(endpoint: CapacityServiceEndpoint | undefined): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.endpoint = endpoint && { url: endpoint.url.replace(/\/+$/, ''), secret: endpoint.secret };
    if (this.endpoint) {
      this.unsubscribe = this.store.events.subscribe(EVENT, (events) => this.onLifecycleEvents(events), {
        batchSize: this.options.batchSize ?? 200
      });
    }
  }

  get configured(): boolean {
    return this.endpoint !== undefined;
  }

  /** CapacityForecastRequest.onLifecycleEvents: enqueue one request unless one is waiting. */
  onLifecycleEvents(events: DeliveredEvent[]): void {
    if (events.length === 0 || this.waiting) return;
    this.waiting = true;
    const eventCount = events.length;
    // The queueable runs in its own transaction after the trigger's: on a later turn of the event loop.
    const job = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => {
        this.waiting = false;
        return this.execute(eventCount);
      })
      .finally(() => this.jobs.delete(job));
    this.jobs.add(job);
  }

  /** Resolves when no request is waiting or being sent. */
  async idle(): Promise<void> {
    while (this.jobs.size > 0) await Promise.all([...this.jobs]);
  }

  /** Stops listening and waits for the requests already enqueued. */
  async close(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await this.idle();
  }

  /** CapacityForecastRequest.execute: POST /runs, signed as the external credential signs it. */
  private async execute(eventCount: number): Promise<void> {
    const endpoint = this.endpoint;
    const requestId = randomUUID();
    const record: SentRequest = { requestId, eventCount };
    this.sent.push(record);
    let failure: string | undefined;
    try {
      if (!endpoint) throw new Error('the Handoff_Capacity_Service named credential has no URL');
      const body = JSON.stringify({
        method: 'POST',
        path: '/runs',
        // formatGmt('yyyy-MM-dd\'T\'HH:mm:ss\'Z\''): whole seconds.
        requestedAt: this.store
          .now()
          .toISOString()
          .replace(/\.\d{3}Z$/, 'Z'),
        nonce: randomUUID(),
        requestId,
        reason: 'Lifecycle Event',
        eventCount
      });
      const response = await fetch(`${endpoint.url}/runs`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          // The external credential's header formula: HEX(HMAC('SHA-256', Body, BLOB(SigningSecret))).
          'x-handoff-signature': createHmac('sha256', endpoint.secret).update(body, 'utf8').digest('hex')
        },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? CALLOUT_TIMEOUT_MS)
      });
      record.status = response.status;
      const text = await response.text();
      if (response.status !== 202) {
        failure = `HTTP ${response.status} from the capacity service: ${text.slice(0, 2000)}`;
      }
    } catch (error) {
      failure = calloutMessage(error);
    }
    if (failure !== undefined) {
      record.failure = failure;
      this.recordFailure(eventCount, failure);
    }
  }

  /** CapacityForecastRequest.recordFailure (system mode: the org's own run log). */
  private recordFailure(eventCount: number, cause: string): void {
    const now = this.store.now().toISOString();
    const [result] = this.store.write(
      [
        {
          kind: 'insert',
          object: 'Capacity_Forecast_Run__c',
          values: {
            Run_Key__c: randomUUID(),
            Status__c: 'Failed',
            Trigger__c: 'Lifecycle Event',
            Started_At__c: now,
            Finished_At__c: now,
            Error__c: `Could not request a forecast run (${eventCount} lifecycle events): ${cause}`.slice(0, 32000)
          }
        }
      ],
      { system: true }
    );
    if (!result?.success) {
      throw new Error(`could not record the failed forecast request: ${result?.errors[0]?.message ?? 'unknown error'}`);
    }
  }
}

/** A CalloutException's message for a request that got no answer. */
function calloutMessage(error: unknown): string {
  const value = error as { name?: string; message?: string; cause?: { message?: string } };
  if (value.name === 'TimeoutError' || value.name === 'AbortError') return 'Read timed out';
  return value.cause?.message ?? value.message ?? String(error);
}

/**
 * Whether the project declares the lifecycle event subscriber this twin stands for: a trigger on
 * Handoff_Lifecycle_Event__e that calls CapacityForecastRequest.onLifecycleEvents.
 */
export function declaresCapacityRequests(files: string[]): boolean {
  return files
    .filter((file) => path.extname(file) === '.trigger')
    .some((file) => {
      const source = fs.readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      const header = /\btrigger\s+\w+\s+on\s+(\w+)\s*\(([^)]*)\)/i.exec(source);
      return (
        header?.[1]?.toLowerCase() === EVENT.toLowerCase() &&
        /\bafter\s+insert\b/i.test(header[2] ?? '') &&
        ENTRY_POINT.test(source)
      );
    });
}
