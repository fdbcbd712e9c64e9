import { randomUUID } from 'node:crypto';
import type { SalesforceClient } from '../salesforce/client';
import { SalesforceError } from '../salesforce/errors';

/** Integration_Message__c.Status__c values (IntegrationOutbox.STATUS_*). */
export const STATUS = {
  pending: 'Pending',
  delivered: 'Delivered',
  failed: 'Failed',
  deadLetter: 'Dead Letter'
} as const;

/** DeveloperName of the queue that owns dead letters (IntegrationOutbox.OPERATIONS_QUEUE). */
export const OPERATIONS_QUEUE = 'Handoff_Integration_Operations';

/** What a consumer claims: the fields it delivers and counts with. */
export interface OutboxMessage {
  Id: string;
  Name: string;
  Idempotency_Key__c: string;
  Topic__c: string;
  Payload_Version__c: number;
  Payload__c: string;
  Attempts__c: number | null;
  Max_Attempts__c: number | null;
}

/** The body the consumer POSTs: the message's envelope around its payload (README, "The integration outbox"). */
export interface Delivery {
  idempotencyKey: string;
  topic: string;
  payloadVersion: number;
  message: string;
  payload: unknown;
}

export interface ConsumerOptions {
  /** The endpoint messages are POSTed to. */
  endpoint: string;
  /** Messages claimed per round (default 50; one query, one claim and one mark call per round). */
  batchSize?: number;
  /** How long a claim holds a message from other consumers; a consumer that dies leaves it due again after this (default 60 s). */
  leaseMs?: number;
  /** Base of the backoff after a failed attempt (default 30 s): base x 2^(attempts-1), capped at maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** One POST without a complete answer after this long is a failed attempt (default 10 s). */
  timeoutMs?: number;
  /** Deliveries in flight at once within a round (default 4). */
  concurrency?: number;
  /** Names this consumer in claims (default a random UUID). */
  consumerId?: string;
  now?: () => Date;
  /**
   * Called after the POSTs of a round and before they are marked (tests use it to stop a consumer there, as a crash
   * between POST and mark would).
   */
  beforeMark?: (outcomes: Outcome[]) => void | Promise<void>;
}

export interface Outcome {
  message: OutboxMessage;
  delivered: boolean;
  /** Why the attempt failed (status, timeout, connection error). */
  error?: string;
  /** A failure retrying cannot fix (a 4xx other than 408/429): the message goes straight to Dead Letter. */
  permanent?: boolean;
}

export interface RoundReport {
  claimed: number;
  delivered: number;
  failed: number;
  deadLettered: number;
  /** Messages another consumer claimed between this one's query and its claim. */
  lostClaims: number;
}

const FIELDS = [
  'Id',
  'Name',
  'Idempotency_Key__c',
  'Topic__c',
  'Payload_Version__c',
  'Payload__c',
  'Attempts__c',
  'Max_Attempts__c'
];

/**
 * The reference outbox consumer. Each round it claims Pending and Failed messages whose Next_Attempt_At__c is due
 * (it writes its claim token and pushes Next_Attempt_At__c forward by the lease, then reads back which claims it
 * holds), POSTs each to the endpoint with the `Idempotency-Key` header, and marks each Delivered, or counts the
 * attempt: Failed with Next_Attempt_At__c backed off, or Dead Letter owned by the operations queue once the attempts
 * reach Max_Attempts__c.
 *
 * Delivery is at least once. A consumer that dies between POST and mark leaves the message claimed until its lease
 * ends; then it is due again and is POSTed again with the same key. Two consumers whose claims cross can both POST a
 * message. The receiver applies each key once (receiver.ts), which is what makes the whole exactly-once in effect.
 */
export class OutboxConsumer {
  readonly consumerId: string;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly timeoutMs: number;
  private readonly concurrency: number;
  private readonly now: () => Date;
  private queueId: string | undefined;

  constructor(
    private readonly client: SalesforceClient,
    private readonly options: ConsumerOptions
  ) {
    this.consumerId = options.consumerId ?? randomUUID();
    this.batchSize = Math.min(200, Math.max(1, options.batchSize ?? 50));
    this.leaseMs = options.leaseMs ?? 60_000;
    this.backoffMs = options.backoffMs ?? 30_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 3_600_000;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.now = options.now ?? (() => new Date());
  }

  /** Wait before the next attempt after `attempts` failed ones: base x 2^(attempts-1), capped. */
  backoff(attempts: number): number {
    return Math.min(this.maxBackoffMs, this.backoffMs * 2 ** Math.max(0, attempts - 1));
  }

  /** Runs rounds until none claims anything; returns the totals. */
  async drain(maxRounds = 1000): Promise<RoundReport> {
    const total: RoundReport = { claimed: 0, delivered: 0, failed: 0, deadLettered: 0, lostClaims: 0 };
    for (let round = 0; round < maxRounds; round++) {
      const report = await this.round();
      for (const key of Object.keys(total) as (keyof RoundReport)[]) total[key] += report[key];
      if (report.claimed === 0 && report.lostClaims === 0) break;
    }
    return total;
  }

  /** One round: claim what is due, deliver it, mark it. */
  async round(): Promise<RoundReport> {
    const queueId = await this.operationsQueue();
    const { claimed, lost } = await this.claim();
    const outcomes = await this.deliverAll(claimed);
    await this.options.beforeMark?.(outcomes);
    const report = await this.mark(outcomes, queueId);
    return { ...report, claimed: claimed.length, lostClaims: lost };
  }

  /** The Id of the queue that owns dead letters; a clear error when it is not deployed. */
  async operationsQueue(): Promise<string> {
    if (this.queueId) return this.queueId;
    const soql = `SELECT Id FROM Group WHERE Type = 'Queue' AND DeveloperName = '${OPERATIONS_QUEUE}' LIMIT 1`;
    const result = await this.query<{ Id: string }>(soql);
    if (!result[0]) {
      throw new SalesforceError(
        `the queue ${OPERATIONS_QUEUE} that owns dead letters is not in the org: deploy force-app/main/integration/queues`,
        'QUEUE_NOT_FOUND'
      );
    }
    this.queueId = result[0].Id;
    return this.queueId;
  }

  private async claim(): Promise<{ claimed: OutboxMessage[]; lost: number }> {
    const now = this.now();
    const due = await this.query<OutboxMessage>(
      `SELECT ${FIELDS.join(', ')} FROM Integration_Message__c` +
        ` WHERE Status__c IN ('${STATUS.pending}', '${STATUS.failed}') AND Next_Attempt_At__c <= ${soqlDateTime(now)}` +
        ` ORDER BY Next_Attempt_At__c, Name LIMIT ${this.batchSize}`
    );
    if (due.length === 0) return { claimed: [], lost: 0 };
    const token = `${this.consumerId}:${randomUUID()}`.slice(0, 64);
    const until = new Date(now.getTime() + this.leaseMs).toISOString();
    await this.update(
      due.map((message) => ({ Id: message.Id, Claim_Token__c: token, Next_Attempt_At__c: until })),
      'claim'
    );
    const held = await this.query<{ Id: string; Claim_Token__c: string | null; Status__c: string }>(
      `SELECT Id, Claim_Token__c, Status__c FROM Integration_Message__c WHERE Id IN (${due
        .map((message) => `'${soqlId(message.Id)}'`)
        .join(', ')})`
    );
    const mine = new Set(
      held
        .filter(
          (row) => row.Claim_Token__c === token && (row.Status__c === STATUS.pending || row.Status__c === STATUS.failed)
        )
        .map((row) => row.Id)
    );
    return { claimed: due.filter((message) => mine.has(message.Id)), lost: due.length - mine.size };
  }

  private async deliverAll(messages: OutboxMessage[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = new Array<Outcome>(messages.length);
    let next = 0;
    const worker = async () => {
      while (next < messages.length) {
        const index = next++;
        outcomes[index] = await this.deliver(messages[index]!);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, messages.length) }, worker));
    return outcomes;
  }

  /** One POST; the whole answer must arrive within the timeout, so a connection dropped mid-body is a failure. */
  private async deliver(message: OutboxMessage): Promise<Outcome> {
    let payload: unknown;
    try {
      payload = JSON.parse(message.Payload__c);
    } catch (error) {
      const reason = `Payload__c is not JSON: ${(error as Error).message}`;
      return { message, delivered: false, error: reason, permanent: true };
    }
    const body: Delivery = {
      idempotencyKey: message.Idempotency_Key__c,
      topic: message.Topic__c,
      payloadVersion: Number(message.Payload_Version__c),
      message: message.Name,
      payload
    };
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      const response = await fetch(this.options.endpoint, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Idempotency-Key': message.Idempotency_Key__c,
          'Handoff-Topic': message.Topic__c,
          'Handoff-Payload-Version': String(body.payloadVersion)
        },
        body: JSON.stringify(body),
        signal
      });
      const text = await response.text();
      if (response.ok) return { message, delivered: true };
      const permanent = response.status >= 400 && response.status < 500 && ![408, 425, 429].includes(response.status);
      return { message, delivered: false, error: `HTTP ${response.status}: ${text.slice(0, 500)}`, permanent };
    } catch (error) {
      if (signal.aborted) return { message, delivered: false, error: `no complete answer within ${this.timeoutMs} ms` };
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const detail = cause?.code ?? cause?.message ?? '';
      return { message, delivered: false, error: `${(error as Error).message}${detail ? ` (${detail})` : ''}` };
    }
  }

  private async mark(outcomes: Outcome[], queueId: string): Promise<Omit<RoundReport, 'claimed' | 'lostClaims'>> {
    const now = this.now();
    let delivered = 0;
    let failed = 0;
    let deadLettered = 0;
    const rows = outcomes.map((outcome) => {
      const attempts = Number(outcome.message.Attempts__c ?? 0) + 1;
      const max = Number(outcome.message.Max_Attempts__c ?? 8);
      if (outcome.delivered) {
        delivered++;
        return {
          Id: outcome.message.Id,
          Status__c: STATUS.delivered,
          Attempts__c: attempts,
          Delivered_At__c: now.toISOString(),
          Next_Attempt_At__c: null,
          Last_Error__c: null,
          Claim_Token__c: null
        };
      }
      const error = `${now.toISOString()} attempt ${attempts}: ${outcome.error ?? 'failed'}`.slice(0, 32_768);
      if (outcome.permanent || attempts >= max) {
        deadLettered++;
        return {
          Id: outcome.message.Id,
          Status__c: STATUS.deadLetter,
          Attempts__c: attempts,
          Next_Attempt_At__c: null,
          Last_Error__c: error,
          Claim_Token__c: null,
          OwnerId: queueId
        };
      }
      failed++;
      return {
        Id: outcome.message.Id,
        Status__c: STATUS.failed,
        Attempts__c: attempts,
        Next_Attempt_At__c: new Date(now.getTime() + this.backoff(attempts)).toISOString(),
        Last_Error__c: error,
        Claim_Token__c: null
      };
    });
    await this.update(rows, 'mark');
    return { delivered, failed, deadLettered };
  }

  /** sObject Collections update, 200 per call; an update is idempotent, so the client retries it. */
  private async update(rows: Record<string, unknown>[], what: string): Promise<void> {
    for (let start = 0; start < rows.length; start += 200) {
      const records = rows
        .slice(start, start + 200)
        .map(({ Id, ...fields }) => ({ attributes: { type: 'Integration_Message__c' }, id: Id, ...fields }));
      const results = await this.client.request<{ id?: string; success: boolean; errors: { message: string }[] }[]>({
        method: 'PATCH',
        url: '/composite/sobjects',
        body: { allOrNone: false, records },
        idempotent: true
      });
      const failures = results
        .map((result, index) => ({ result, id: String(records[index]!.id) }))
        .filter(({ result }) => !result.success);
      if (failures.length > 0) {
        const detail = failures.map(({ id, result }) => `${id}: ${result.errors.map((e) => e.message).join('; ')}`);
        throw new SalesforceError(
          `Integration_Message__c ${what} failed for ${failures.length} message(s): ${detail.join(' | ')}`,
          'OUTBOX_UPDATE_FAILED',
          { recordKey: failures[0]!.id }
        );
      }
    }
  }

  private async query<T>(soql: string): Promise<T[]> {
    const rows: T[] = [];
    let url: string | undefined = `/query?q=${encodeURIComponent(soql)}`;
    while (url) {
      const page: { records: T[]; nextRecordsUrl?: string } = await this.client.request({
        method: 'GET',
        url,
        idempotent: true
      });
      rows.push(...page.records);
      url = page.nextRecordsUrl;
    }
    return rows;
  }
}

/** A SOQL DateTime literal (UTC, to the second: the org keeps DateTime values to the second). */
export function soqlDateTime(value: Date): string {
  return `${value.toISOString().slice(0, 19)}Z`;
}

/** Only Salesforce Ids go into the claim read-back, never caller text. */
function soqlId(value: string): string {
  if (!/^[a-zA-Z0-9]{15,18}$/.test(value)) throw new Error(`not a Salesforce Id: ${value}`);
  return value;
}
