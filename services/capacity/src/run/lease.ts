import type { SalesforceClient } from '../salesforce/client';
import { errorCodeOf, isTransient, SalesforceError } from '../salesforce/errors';

export const LEASE_OBJECT = 'Capacity_Run_Lease__c';
/** One forecast per org: every run, whatever process it runs in, claims this lease. */
export const FORECAST_LEASE = 'capacity-forecast';

export interface LeaseOptions {
  /** What the lease guards (default FORECAST_LEASE). */
  key?: string;
  /** How long a claim or renewal holds the lease without another renewal (default 60 s). */
  ttlMs?: number;
  /**
   * A holder gives its lease up as lost this long before the expiry it wrote (default a quarter of the TTL): another
   * process takes an expired lease over by its own clock, so this is the clock skew the processes may have.
   */
  marginMs?: number;
  /** How long a run waits for the holder of the lease before it gives up (default 15 min). */
  waitMs?: number;
  /** How often a waiting run tries again (default 2 s). */
  pollMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface LeaseRecord {
  id: string;
  holder: string;
  expiresAt: number;
}

/** The runs a claim waited for, in order, and for how long; the runs whose expired lease it took over. */
export interface LeaseWait {
  holders: string[];
  waitedMs: number;
  tookOver: string[];
}

const GONE = new Set(['ENTITY_IS_DELETED', 'NOT_FOUND']);

/**
 * The run lease, held in the org so every process (the service, its replicas, `npm run forecast`) sees it: at most
 * one Capacity_Run_Lease__c record per key, whose Lease_Key__c is unique.
 *
 * - claim: create the record. A second claimer gets DUPLICATE_VALUE: the unique attribute "prevents the creation of
 *   duplicates" (REST API Developer Guide, Upsert Records Using sObject Rows by External ID), so two processes never
 *   both hold it. A create whose answer was lost is settled by reading the lease: ours if Holder__c is this run.
 * - takeover: a lease whose Expires_At__c passed is deleted by its Id, then claimed again. Deleting an Id that is
 *   already deleted fails (ENTITY_IS_DELETED), and the new claim is a create on the unique key, so of two takers only
 *   one holds the lease afterwards; neither can delete the lease the other one created.
 * - renew: update the held record by its Id. The Id is this claim's alone: if the record is gone, the lease was taken
 *   over and the run must stop without publishing.
 */
export class RunLease {
  /** Requests this lease sent (claims, reads, renewals, takeovers, the release), to tell them from forecast work. */
  calls = 0;
  private record?: { id: string; expiresAt: number };
  private lostCause?: string;
  private forfeitCause?: string;
  private serial: Promise<unknown> = Promise.resolve();
  readonly key: string;
  readonly ttlMs: number;
  private readonly marginMs: number;
  private readonly waitMs: number;
  private readonly pollMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly client: SalesforceClient,
    /** The run key of the run claiming the lease. */
    readonly holder: string,
    options: LeaseOptions = {}
  ) {
    this.key = options.key ?? FORECAST_LEASE;
    this.ttlMs = options.ttlMs ?? 60_000;
    this.marginMs = options.marginMs ?? Math.floor(this.ttlMs / 4);
    this.waitMs = options.waitMs ?? 15 * 60_000;
    this.pollMs = options.pollMs ?? 2_000;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  get held(): boolean {
    return this.record !== undefined && this.lostCause === undefined && this.forfeitCause === undefined;
  }

  /**
   * Stops this run from renewing the lease or claiming it, at once and without a call (the run was stopped from
   * outside: the coordinator's last resort). The record stays until `release()` (the run's own code reaching its
   * end) or its expiry, so nothing else writes a slot while this run's requests may still be landing.
   */
  forfeit(reason: string): void {
    this.forfeitCause ??= reason;
  }

  /** The Id of the lease record this run created, while it holds it. */
  get id(): string | undefined {
    return this.record?.id;
  }

  /**
   * Claims the lease, waiting (polling, at most `waitMs`) while another live run holds it and taking it over once
   * its holder let it expire. `onWait` hears of each run waited for. Throws LEASE_UNAVAILABLE after the wait.
   */
  async acquire(onWait?: (holder: string, expiresAt: number) => Promise<void> | void): Promise<LeaseWait> {
    const started = this.now();
    const holders: string[] = [];
    const tookOver: string[] = [];
    let free = 0;
    for (;;) {
      const current = await this.claim();
      if (current === 'held') {
        if (this.forfeitCause) {
          await this.release();
          throw this.forfeitError();
        }
        return { holders, waitedMs: holders.length > 0 ? this.now() - started : 0, tookOver };
      }
      if (this.forfeitCause) throw this.forfeitError();
      if (current === 'free') {
        // Claim again at once, unless the claims keep failing before they reach the org: then at the poll interval.
        if (++free > 3) {
          if (this.now() - started >= this.waitMs) {
            throw new SalesforceError(
              'the forecast lease could not be claimed: the claims kept failing',
              'LEASE_UNAVAILABLE'
            );
          }
          await this.sleep(this.pollMs);
        }
        continue;
      }
      free = 0;
      if (current.expiresAt < this.now()) {
        if (await this.takeOver(current)) tookOver.push(current.holder);
        continue;
      }
      if (holders.at(-1) !== current.holder) {
        holders.push(current.holder);
        await onWait?.(current.holder, current.expiresAt);
      }
      const left = started + this.waitMs - this.now();
      if (left <= 0) {
        throw new SalesforceError(
          `the forecast lease stayed with run ${current.holder} for the whole ${Math.round(this.waitMs / 1000)} s this run waits (it expires ${new Date(current.expiresAt).toISOString()} unless renewed); this run published nothing`,
          'LEASE_UNAVAILABLE'
        );
      }
      await this.sleep(Math.min(this.pollMs, left));
    }
  }

  /**
   * Checks the lease is still this run's and extends it by the TTL. Throws LEASE_LOST, naming the run that holds it
   * now, when it was taken over or when it expired before this renewal (another run may be taking it over).
   */
  renew(): Promise<void> {
    return this.serialise(async () => {
      if (this.lostCause) throw this.lostError();
      if (this.forfeitCause) throw this.forfeitError();
      const record = this.record;
      if (!record) throw new SalesforceError('the forecast lease is not held by this run', 'LEASE_LOST');
      const at = this.now();
      if (at > record.expiresAt - this.marginMs) {
        return this.lose(
          `the lease expired before this run renewed it (last renewal valid until ${new Date(record.expiresAt).toISOString()})`
        );
      }
      try {
        await this.call({
          method: 'PATCH',
          url: `${this.base}/sobjects/${LEASE_OBJECT}/${record.id}`,
          body: { Expires_At__c: iso(at + this.ttlMs), Heartbeat_At__c: iso(at) },
          idempotent: true
        });
        record.expiresAt = at + this.ttlMs;
      } catch (error) {
        if (GONE.has(errorCodeOf(error))) return this.lose('the lease record this run created was deleted');
        throw error;
      }
    });
  }

  /** Gives the lease back (deletes this claim's record by its Id; never another run's). Safe to call twice. */
  release(): Promise<void> {
    return this.serialise(async () => {
      const record = this.record;
      this.record = undefined;
      if (!record || this.lostCause) return;
      try {
        await this.call({
          method: 'DELETE',
          url: `${this.base}/sobjects/${LEASE_OBJECT}/${record.id}`,
          idempotent: true
        });
      } catch (error) {
        if (!GONE.has(errorCodeOf(error))) throw error;
      }
    });
  }

  /** Reads the lease as it is in the org, or undefined when nobody holds it. */
  async read(): Promise<LeaseRecord | undefined> {
    try {
      const row = await this.call<{ Id: string; Holder__c: string | null; Expires_At__c: string | null }>({
        method: 'GET',
        url: `${this.base}/sobjects/${LEASE_OBJECT}/Lease_Key__c/${encodeURIComponent(this.key)}?fields=Id,Holder__c,Expires_At__c`,
        idempotent: true
      });
      return {
        id: row.Id,
        holder: row.Holder__c ?? 'unknown',
        expiresAt: row.Expires_At__c ? Date.parse(row.Expires_At__c) : 0
      };
    } catch (error) {
      if (GONE.has(errorCodeOf(error))) return undefined;
      throw error;
    }
  }

  /** One claim: 'held' when this run now holds the lease, 'free' when it was released meanwhile, else the lease. */
  private async claim(): Promise<'held' | 'free' | LeaseRecord> {
    const at = this.now();
    try {
      const created = await this.call<{ id: string }>({
        method: 'POST',
        url: `${this.base}/sobjects/${LEASE_OBJECT}`,
        body: {
          Lease_Key__c: this.key,
          Holder__c: this.holder,
          Expires_At__c: iso(at + this.ttlMs),
          Heartbeat_At__c: iso(at)
        },
        idempotent: false
      });
      this.record = { id: created.id, expiresAt: at + this.ttlMs };
      this.lostCause = undefined;
      return 'held';
    } catch (error) {
      const duplicate = errorCodeOf(error) === 'DUPLICATE_VALUE';
      // A create that failed any other way may still have been saved (its answer lost): the lease says.
      const current = await this.read();
      if (current?.holder === this.holder) {
        this.record = { id: current.id, expiresAt: current.expiresAt };
        this.lostCause = undefined;
        return 'held';
      }
      if (current) return current;
      // Held at the claim and released before the read, or a claim lost before it reached the org: claim again.
      if (duplicate || isTransient(error) || errorCodeOf(error) === 'REQUEST_TIMEOUT') return 'free';
      throw error;
    }
  }

  /** Deletes an expired lease by its Id; if another taker deleted it first, the claim that follows settles it. */
  private async takeOver(expired: LeaseRecord): Promise<boolean> {
    try {
      await this.call({
        method: 'DELETE',
        url: `${this.base}/sobjects/${LEASE_OBJECT}/${expired.id}`,
        idempotent: true
      });
      return true;
    } catch (error) {
      if (!GONE.has(errorCodeOf(error))) throw error;
      return false;
    }
  }

  private async lose(reason: string): Promise<never> {
    let holder: string | undefined;
    try {
      holder = (await this.read())?.holder;
    } catch {
      holder = undefined; // the cause below still says the lease is gone
    }
    this.lostCause =
      holder && holder !== this.holder
        ? `lease lost to run ${holder}: ${reason}`
        : `lease lost: ${reason}; no other run holds it yet`;
    throw this.lostError();
  }

  private forfeitError(): SalesforceError {
    return new SalesforceError(`run stopped: ${this.forfeitCause}; this run published nothing`, 'RUN_ABORTED');
  }

  private lostError(): SalesforceError {
    return new SalesforceError(`${this.lostCause}; this run published nothing`, 'LEASE_LOST');
  }

  private get base(): string {
    return `/services/data/v${this.client.version}`;
  }

  private call<T>(spec: Parameters<SalesforceClient['request']>[0]): Promise<T> {
    this.calls++;
    return this.client.request<T>(spec);
  }

  private serialise<T>(work: () => Promise<T>): Promise<T> {
    const next = this.serial.then(work, work);
    this.serial = next.catch(() => undefined);
    return next;
  }
}

const iso = (ms: number) => new Date(ms).toISOString();
