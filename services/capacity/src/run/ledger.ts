import { randomUUID } from 'node:crypto';
import type { SalesforceClient } from '../salesforce/client';
import { errorCodeOf } from '../salesforce/errors';
import type { RunTrigger } from './runner';

/** A run record as the org holds it: a run, or a Coalesced request naming the run that served it. */
export interface LedgerRecord {
  runKey: string;
  status: 'Queued' | 'Running' | 'Completed' | 'Failed' | 'Coalesced';
  trigger?: RunTrigger;
  servedBy?: string;
  error?: string;
}

/**
 * Where a coordinator records the requests it accepts, so that a request id accepted once is never run twice, across
 * restarts and replicas.
 */
export interface RequestLedger {
  /**
   * Records an accepted request under its key: a Queued run, or (with `servedBy`) a Coalesced request. Resolves
   * undefined when this call recorded it, or the record as it already was when the key had been accepted before.
   */
  accept(request: { runKey: string; trigger: RunTrigger; servedBy?: string }): Promise<LedgerRecord | undefined>;
  read(runKey: string): Promise<LedgerRecord | undefined>;
  /** Marks a run Failed with its cause. */
  fail(runKey: string, cause: string): Promise<void>;
}

const RUN = 'Capacity_Forecast_Run__c';
const FIELDS = 'Run_Key__c,Status__c,Trigger__c,Served_By__c,Error__c,Accept_Mark__c';

/**
 * The org's run records as the ledger: a request id becomes the Run_Key__c (unique external id) of the record made
 * when it is accepted, so a second accept of the same id, by any process, fails with DUPLICATE_VALUE and joins it.
 */
export class OrgRequestLedger implements RequestLedger {
  constructor(private readonly client: () => Promise<SalesforceClient>) {}

  async accept(request: { runKey: string; trigger: RunTrigger; servedBy?: string }): Promise<LedgerRecord | undefined> {
    const client = await this.client();
    // This accept's own mark: a create whose answer was lost is ours if the record carries it. A random UUID, not a
    // time: DateTime fields keep whole seconds ("a precision of one second", SOAP API Developer Guide, Primitive
    // Data Types), so a time written with milliseconds never reads back equal.
    const mark = randomUUID();
    try {
      await client.request({
        method: 'POST',
        url: `/services/data/v${client.version}/sobjects/${RUN}`,
        body: {
          Run_Key__c: request.runKey,
          Status__c: request.servedBy ? 'Coalesced' : 'Queued',
          Trigger__c: request.trigger,
          Heartbeat_At__c: new Date().toISOString(),
          Accept_Mark__c: mark,
          ...(request.servedBy ? { Served_By__c: request.servedBy } : {})
        },
        idempotent: false
      });
      return undefined;
    } catch (error) {
      const existing = await this.readRaw(client, request.runKey);
      if (!existing) throw error;
      if (errorCodeOf(error) !== 'DUPLICATE_VALUE' && existing.Accept_Mark__c === mark) return undefined;
      return toRecord(existing);
    }
  }

  async read(runKey: string): Promise<LedgerRecord | undefined> {
    const row = await this.readRaw(await this.client(), runKey);
    return row ? toRecord(row) : undefined;
  }

  async fail(runKey: string, cause: string): Promise<void> {
    const client = await this.client();
    await client.request({
      method: 'PATCH',
      url: `/services/data/v${client.version}/sobjects/${RUN}/Run_Key__c/${encodeURIComponent(runKey)}`,
      body: { Status__c: 'Failed', Finished_At__c: new Date().toISOString(), Error__c: cause.slice(0, 32_000) },
      idempotent: true
    });
  }

  private async readRaw(client: SalesforceClient, runKey: string): Promise<Record<string, unknown> | undefined> {
    try {
      return await client.request<Record<string, unknown>>({
        method: 'GET',
        url: `/services/data/v${client.version}/sobjects/${RUN}/Run_Key__c/${encodeURIComponent(runKey)}?fields=${FIELDS}`,
        idempotent: true
      });
    } catch (error) {
      if (errorCodeOf(error) === 'NOT_FOUND') return undefined;
      throw error;
    }
  }
}

function toRecord(row: Record<string, unknown>): LedgerRecord {
  const text = (field: string) => (row[field] === null || row[field] === undefined ? undefined : String(row[field]));
  return {
    runKey: String(row.Run_Key__c),
    status: (text('Status__c') ?? 'Queued') as LedgerRecord['status'],
    trigger: text('Trigger__c') as RunTrigger | undefined,
    servedBy: text('Served_By__c'),
    error: text('Error__c')
  };
}
