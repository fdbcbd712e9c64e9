import type { SalesforceClient } from '../salesforce/client';
import { errorCodeOf, isTransient, SalesforceError } from '../salesforce/errors';

export const LEASE_OBJECT = 'Capacity_Run_Lease__c';
/** One forecast per org: every run, whatever process it runs in, claims this lease. */
export const FORECAST_LEASE = 'capacity-forecast';
/** Digits of a generation in its Lease_Key__c, zero-padded so the key's text order is the generations' order. */
const GENERATION_DIGITS = 10;
const LEASE_KEY_LENGTH = 40;

/** The Lease_Key__c of one generation of a lease: `capacity-forecast#0000000007`. */
export const generationKey = (key: string, generation: number): string =>
  `${key}#${String(generation).padStart(GENERATION_DIGITS, '0')}`;

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
  /**
   * The longest a waiting run sleeps between two reads of the lease (default 20 s): it sleeps until the holder's
   * expiry, but at most this long, so it sees a release within this time at a cost of about one call per wait.
   */
  pollMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface LeaseRecord {
  id: string;
  /** The generation: every claim creates the next one, and the highest is the lease. */
  generation: number;
  holder: string;
  expiresAt: number;
  /** Its holder gave it back. */
  released: boolean;
}

/** The runs a claim waited for, in order, and for how long; the runs whose expired lease it took over. */
export interface LeaseWait {
  holders: string[];
  waitedMs: number;
  tookOver: string[];
}

const GONE = new Set(['ENTITY_IS_DELETED', 'NOT_FOUND']);

/**
 * The run lease, held in the org so every process (the service, its replicas, `npm run forecast`) sees it. It is a
 * series of Capacity_Run_Lease__c records, one per claim: generation n has Lease_Key__c `<key>#<n>` (unique), and the
 * lease is the record of the highest generation. A key is never used twice: no claim depends on creating a key again
 * after its record was deleted (a deleted record stays in the Recycle Bin, and whether its unique value still blocks
 * an insert is not documented).
 *
 * - claim: read the highest generation n; when it is released or expired, create generation n + 1. Of two claimers
 *   only one creates it, the other gets DUPLICATE_VALUE: the unique attribute "prevents the creation of duplicates"
 *   (REST API Developer Guide, Upsert Records Using sObject Rows by External ID). A create whose answer was lost is
 *   settled by reading that generation: ours if Holder__c is this run's key (run keys are unique).
 * - takeover: claiming generation n + 1 over an expired generation n. The winner then deletes generation n's record
 *   (its key is never claimed again), so the run that let it expire learns at its next renewal that it lost the lease.
 * - renew: check that this run's generation is still the highest, then extend it by its Id. If a later generation
 *   exists or the record is gone, the lease was taken over and the run must stop without publishing.
 * - release: mark this run's generation Released__c (and expired); nothing is deleted.
 */
export class RunLease {
  /** Requests this lease sent (reads, claims, renewals, clean-ups, the release), to tell them from forecast work. */
  calls = 0;
  private record?: { id: string; generation: number; expiresAt: number };
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
    /** The run key of the run claiming the lease (unique per run: a claim is recognised by it). */
    readonly holder: string,
    options: LeaseOptions = {}
  ) {
    this.key = options.key ?? FORECAST_LEASE;
    if (generationKey(this.key, 0).length > LEASE_KEY_LENGTH) {
      throw new SalesforceError(
        `lease key "${this.key}" is too long for Capacity_Run_Lease__c.Lease_Key__c (${LEASE_KEY_LENGTH} characters, "#" and ${GENERATION_DIGITS} generation digits included)`,
        'INVALID_LEASE_KEY'
      );
    }
    this.ttlMs = options.ttlMs ?? 60_000;
    this.marginMs = options.marginMs ?? Math.floor(this.ttlMs / 4);
    this.waitMs = options.waitMs ?? 15 * 60_000;
    this.pollMs = options.pollMs ?? 20_000;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  get held(): boolean {
    return this.record !== undefined && this.lostCause === undefined && this.forfeitCause === undefined;
  }

  /**
   * Stops this run from renewing the lease or claiming it, at once and without a call (the run was stopped from
   * outside: the coordinator's last resort). The record stays live until `release()` (the run's own code reaching its
   * end) or its expiry, so nothing else writes a slot while this run's requests may still be landing.
   */
  forfeit(reason: string): void {
    this.forfeitCause ??= reason;
  }

  /** The Id of the lease record (generation) this run created, while it holds it. */
  get id(): string | undefined {
    return this.record?.id;
  }

  /** The generation this run holds, while it holds it. */
  get generation(): number | undefined {
    return this.record?.generation;
  }

  /**
   * Claims the lease, waiting (at most `waitMs`) while another live run holds it and taking it over once its holder
   * let it expire. While it waits it reads the lease once per sleep, and sleeps until the holder's expiry, at most
   * `pollMs`. `onWait` hears of each run waited for. Throws LEASE_UNAVAILABLE after the wait.
   */
  async acquire(onWait?: (holder: string, expiresAt: number) => Promise<void> | void): Promise<LeaseWait> {
    const started = this.now();
    const holders: string[] = [];
    const tookOver: string[] = [];
    let failed = 0;
    for (;;) {
      if (this.forfeitCause) throw this.forfeitError();
      const current = await this.read();
      const at = this.now();
      if (current && !current.released && current.holder === this.holder && current.expiresAt - this.marginMs > at) {
        // This run's own claim, saved although its answer and the read that followed it were lost.
        this.hold({ id: current.id, generation: current.generation, expiresAt: current.expiresAt });
        if (this.forfeitCause) {
          await this.release();
          throw this.forfeitError();
        }
        return { holders, waitedMs: holders.length > 0 ? this.now() - started : 0, tookOver };
      }
      if (current && !current.released && current.expiresAt >= at) {
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
        // Nothing changes before the holder's expiry unless it releases or renews: sleep until then, at most pollMs.
        await this.sleep(Math.max(1, Math.min(this.pollMs, left, current.expiresAt - at + 1)));
        continue;
      }
      const outcome = await this.claim((current?.generation ?? 0) + 1);
      if (outcome === 'held') {
        if (current && !current.released && current.holder !== this.holder) tookOver.push(current.holder);
        if (current) await this.forget(current);
        if (this.forfeitCause) {
          await this.release();
          throw this.forfeitError();
        }
        return { holders, waitedMs: holders.length > 0 ? this.now() - started : 0, tookOver };
      }
      if (outcome === 'taken') {
        failed = 0;
        continue; // another run created that generation first: the next read shows it
      }
      // The claim failed before it reached the org: again at once, then, if it keeps failing, at the poll interval.
      if (++failed > 3) {
        if (this.now() - started >= this.waitMs) {
          throw new SalesforceError(
            'the forecast lease could not be claimed: the claims kept failing',
            'LEASE_UNAVAILABLE'
          );
        }
        await this.sleep(this.pollMs);
      }
    }
  }

  /**
   * Checks the lease is still this run's (its generation is the highest and unexpired) and extends it by the TTL.
   * Throws LEASE_LOST, naming the run that holds it now, when it was taken over or when it expired before this
   * renewal (another run may be taking it over).
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
      const current = await this.read();
      if (!current || current.generation < record.generation) {
        return this.lose('the lease record this run created was deleted', current ?? null);
      }
      if (current.generation > record.generation) {
        return this.lose(`a later claim (generation ${current.generation}) replaced this run's`, current);
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

  /**
   * Gives the lease back: marks this run's generation released (never another run's record, and nothing is
   * deleted), so the next claim creates the next generation at once. Safe to call twice.
   */
  release(): Promise<void> {
    return this.serialise(async () => {
      const record = this.record;
      this.record = undefined;
      if (!record || this.lostCause) return;
      try {
        await this.call({
          method: 'PATCH',
          url: `${this.base}/sobjects/${LEASE_OBJECT}/${record.id}`,
          body: { Released__c: true, Expires_At__c: iso(this.now()) },
          idempotent: true
        });
      } catch (error) {
        if (!GONE.has(errorCodeOf(error))) throw error;
      }
    });
  }

  /** Reads the lease as it is in the org: its highest generation, or undefined when it was never claimed. */
  async read(): Promise<LeaseRecord | undefined> {
    const prefix = `${this.key}#`;
    const soql =
      `SELECT Id, Lease_Key__c, Holder__c, Expires_At__c, Released__c FROM ${LEASE_OBJECT} ` +
      `WHERE Lease_Key__c LIKE '${likeEscape(prefix)}%' ORDER BY Lease_Key__c DESC LIMIT 1`;
    const answer = await this.call<{ records: LeaseRow[] }>({
      method: 'GET',
      url: `${this.base}/query?q=${encodeURIComponent(soql)}`,
      idempotent: true
    });
    const row = answer.records[0];
    return row ? toLease(row, prefix) : undefined;
  }

  /**
   * One claim of generation `generation`: 'held' when this run created it, 'taken' when another run did, 'retry' when
   * the create did not reach the org.
   */
  private async claim(generation: number): Promise<'held' | 'taken' | 'retry'> {
    const at = this.now();
    const key = generationKey(this.key, generation);
    try {
      const created = await this.call<{ id: string }>({
        method: 'POST',
        url: `${this.base}/sobjects/${LEASE_OBJECT}`,
        body: {
          Lease_Key__c: key,
          Holder__c: this.holder,
          Expires_At__c: iso(at + this.ttlMs),
          Heartbeat_At__c: iso(at)
        },
        idempotent: false
      });
      this.hold({ id: created.id, generation, expiresAt: at + this.ttlMs });
      return 'held';
    } catch (error) {
      if (errorCodeOf(error) === 'DUPLICATE_VALUE') return 'taken';
      // A create that failed any other way may still have been saved (its answer lost): that generation says.
      const mine = await this.readGeneration(key);
      if (mine?.Holder__c === this.holder) {
        this.hold({ id: mine.Id, generation, expiresAt: at + this.ttlMs });
        return 'held';
      }
      if (mine) return 'taken';
      if (isTransient(error) || errorCodeOf(error) === 'REQUEST_TIMEOUT') return 'retry';
      throw error;
    }
  }

  private hold(record: { id: string; generation: number; expiresAt: number }): void {
    this.record = record;
    this.lostCause = undefined;
  }

  private async readGeneration(key: string): Promise<LeaseRow | undefined> {
    try {
      return await this.call<LeaseRow>({
        method: 'GET',
        url: `${this.base}/sobjects/${LEASE_OBJECT}/Lease_Key__c/${encodeURIComponent(key)}?fields=Id,Lease_Key__c,Holder__c,Expires_At__c,Released__c`,
        idempotent: true
      });
    } catch (error) {
      if (GONE.has(errorCodeOf(error))) return undefined;
      throw error;
    }
  }

  /**
   * Deletes the generation this claim replaced. Its key is never claimed again, so the delete is housekeeping, and it
   * tells a holder that let it expire, at its next renewal, that the lease is gone. Best effort: a record left behind
   * costs nothing but a row.
   */
  private async forget(replaced: LeaseRecord): Promise<void> {
    try {
      await this.call({
        method: 'DELETE',
        url: `${this.base}/sobjects/${LEASE_OBJECT}/${replaced.id}`,
        idempotent: true
      });
    } catch {
      // already deleted, or not now: the next claim deletes what it replaces
    }
  }

  /** Marks the lease lost; `current` is the lease as just read (null: none), else it is read to name the holder. */
  private async lose(reason: string, current?: LeaseRecord | null): Promise<never> {
    let holder: string | undefined;
    if (current !== undefined) {
      holder = current?.holder;
    } else {
      try {
        holder = (await this.read())?.holder;
      } catch {
        holder = undefined; // the cause below still says the lease is gone
      }
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

interface LeaseRow {
  Id: string;
  Lease_Key__c: string;
  Holder__c: string | null;
  Expires_At__c: string | null;
  Released__c: boolean | null;
}

function toLease(row: LeaseRow, prefix: string): LeaseRecord {
  const generation = Number(row.Lease_Key__c.slice(prefix.length));
  if (!Number.isSafeInteger(generation) || generation < 1) {
    throw new SalesforceError(
      `${LEASE_OBJECT} ${row.Id}: Lease_Key__c "${row.Lease_Key__c}" is not ${prefix} followed by a generation number; delete that record or correct its key`,
      'INVALID_LEASE_KEY'
    );
  }
  return {
    id: row.Id,
    generation,
    holder: row.Holder__c ?? 'unknown',
    expiresAt: row.Expires_At__c ? Date.parse(row.Expires_At__c) : 0,
    released: row.Released__c === true
  };
}

/** A SOQL string literal's text for a LIKE pattern: quotes and backslashes escaped, `%` and `_` matched literally. */
const likeEscape = (text: string) => text.replace(/[\\'%_]/g, (char) => `\\${char}`);

const iso = (ms: number) => new Date(ms).toISOString();
