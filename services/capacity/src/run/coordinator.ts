import { randomUUID } from 'node:crypto';
import type { LedgerRecord, RequestLedger } from './ledger';
import { failedOutcome, type RunOutcome, type RunTrigger } from './runner';

export interface RunState {
  runId: string;
  trigger: RunTrigger;
  status: 'Queued' | 'Running' | 'Completed' | 'Failed';
  requestedAt: string;
  requests: number;
  outcome?: RunOutcome;
}

/** What a request got: the run that serves it, whether it joined a queued run, and whether its id was seen before. */
export interface RunRequest {
  run: RunState;
  coalesced: boolean;
  replayed: boolean;
}

/** What the coordinator hands the work of a run besides its id and trigger. */
export interface RunContext {
  /** Run keys to keep alive along with this run (the queued follow-up): pass them to runForecast's `alsoAlive`. */
  alsoAlive: () => string[];
  /** Aborted when the run is stopped from outside (the last resort): pass it to runForecast's `signal`. */
  signal: AbortSignal;
}

export interface CoordinatorOptions {
  /**
   * Where accepted requests are recorded (the org's run records: OrgRequestLedger). Without one, request ids are
   * remembered by this process only, which suits tests and a single short-lived process.
   */
  ledger?: RequestLedger;
  /** Runs kept in memory for GET /runs/:id (default 100). */
  keep?: number;
}

/**
 * At most one forecast run at a time in this process (the run lease keeps processes apart). A request while a run is
 * going queues one follow-up run; further requests coalesce into that queued run (a burst of 200 lifecycle events
 * triggers one run, not 200). Each accepted request is recorded in the ledger at once, under its request id: the run
 * it starts (Queued), or a Coalesced record naming the run that serves it. A request id seen again, after a restart
 * or by another replica, joins what it got the first time and never starts a run.
 */
export class RunCoordinator {
  private readonly runs = new Map<string, RunState>();
  /** Request id → run id, for replays within this process. */
  private readonly requestIds = new Map<string, string>();
  private readonly controllers = new Map<string, AbortController>();
  /** Resolves `idle` when a run ends, also when the last resort ends it and its work never settles. */
  private readonly settlers = new Map<string, () => void>();
  private readonly finished = new Set<string>();
  private active?: RunState;
  private queued?: RunState;
  private idle: Promise<void> = Promise.resolve();
  /** Accepts and run hand-overs, one at a time: a queued run never starts while a request is joining it. */
  private serial: Promise<unknown> = Promise.resolve();
  private readonly ledger?: RequestLedger;
  private readonly keep: number;

  constructor(
    private readonly execute: (runId: string, trigger: RunTrigger, context: RunContext) => Promise<RunOutcome>,
    options: CoordinatorOptions = {}
  ) {
    this.ledger = options.ledger;
    this.keep = options.keep ?? 100;
  }

  /** Starts a run, or joins the queued one; a request id already accepted joins what it got then (`replayed`). */
  request(trigger: RunTrigger, requestId?: string): Promise<RunRequest> {
    return this.serialise(() => this.accept(trigger, requestId));
  }

  get(runId: string): RunState | undefined {
    return this.runs.get(runId);
  }

  latest(): RunState | undefined {
    return [...this.runs.values()].at(-1);
  }

  /** The run under way, if any. */
  current(): RunState | undefined {
    return this.active;
  }

  /** Resolves when no run is active or queued. */
  async settled(): Promise<void> {
    while (this.active || this.queued) {
      await this.idle;
      await this.serial;
    }
  }

  /**
   * Ends the run under way as Failed with `cause`, in memory and in the ledger, stops it (it writes and publishes
   * nothing more) and starts the queued run: for an error that escaped the run's own handling, after which its work
   * may never settle. Resolves with the run ended, if there was one.
   */
  async failCurrent(cause: string): Promise<RunState | undefined> {
    const run = this.active;
    if (!run) return undefined;
    this.controllers.get(run.runId)?.abort(new Error(cause));
    this.finish(run, 'Failed', failedOutcome(run.runId, { message: cause, errorCode: 'UNCAUGHT' }));
    await this.ledger?.fail(run.runId, `UNCAUGHT: ${cause}`);
    return run;
  }

  private async accept(trigger: RunTrigger, requestId?: string): Promise<RunRequest> {
    const known = requestId ? this.runs.get(this.requestIds.get(requestId) ?? '') : undefined;
    if (known) return { run: known, coalesced: known.runId !== requestId, replayed: true };

    const queued = this.queued;
    if (queued) {
      if (requestId && this.ledger) {
        const existing = await this.ledger.accept({ runKey: requestId, trigger, servedBy: queued.runId });
        if (existing) return this.replay(existing);
      }
      queued.requests++;
      if (requestId) this.requestIds.set(requestId, queued.runId);
      return { run: queued, coalesced: true, replayed: false };
    }

    const runId = requestId ?? randomUUID();
    if (this.ledger) {
      const existing = await this.ledger.accept({ runKey: runId, trigger });
      if (existing) return this.replay(existing);
    }
    const run: RunState = { runId, trigger, status: 'Queued', requestedAt: new Date().toISOString(), requests: 1 };
    this.remember(run);
    if (requestId) this.requestIds.set(requestId, runId);
    if (this.active) this.queued = run;
    else this.start(run);
    return { run, coalesced: false, replayed: false };
  }

  /** A request id accepted before (by this process before a restart, or by another one): answer from the org. */
  private async replay(existing: LedgerRecord): Promise<RunRequest> {
    const served = existing.servedBy ? ((await this.ledger!.read(existing.servedBy)) ?? existing) : existing;
    const local = this.runs.get(served.runKey);
    if (local) return { run: local, coalesced: existing.servedBy !== undefined, replayed: true };
    const status = served.status === 'Coalesced' ? 'Queued' : served.status;
    const run: RunState = {
      runId: served.runKey,
      trigger: served.trigger ?? existing.trigger ?? 'Manual',
      status,
      requestedAt: new Date().toISOString(),
      requests: 1,
      ...(status === 'Failed'
        ? { outcome: failedOutcome(served.runKey, { message: served.error ?? 'failed', errorCode: 'FAILED' }) }
        : {})
    };
    return { run, coalesced: existing.servedBy !== undefined, replayed: true };
  }

  private start(run: RunState): void {
    this.active = run;
    run.status = 'Running';
    const controller = new AbortController();
    this.controllers.set(run.runId, controller);
    const context: RunContext = {
      alsoAlive: () => (this.queued ? [this.queued.runId] : []),
      signal: controller.signal
    };
    this.idle = new Promise((resolve) => this.settlers.set(run.runId, resolve));
    void this.execute(run.runId, run.trigger, context).then(
      (outcome) => this.finish(run, outcome.status, outcome),
      (error: unknown) =>
        this.finish(
          run,
          'Failed',
          failedOutcome(run.runId, { message: (error as Error).message, errorCode: 'UNEXPECTED' })
        )
    );
  }

  /** Records how a run ended (once: a run failed by the last resort keeps that ending) and hands over to the next. */
  private finish(run: RunState, status: RunState['status'], outcome: RunOutcome): void {
    if (this.finished.has(run.runId)) return;
    this.finished.add(run.runId);
    this.controllers.delete(run.runId);
    this.settlers.get(run.runId)?.();
    this.settlers.delete(run.runId);
    run.outcome = outcome;
    run.status = status;
    void this.serialise(async () => {
      if (this.active === run) this.active = undefined;
      const next = this.queued;
      this.queued = undefined;
      if (next) this.start(next);
    });
  }

  private serialise<T>(work: () => Promise<T>): Promise<T> {
    const next = this.serial.then(work, work);
    this.serial = next.catch(() => undefined);
    return next;
  }

  private remember(run: RunState): void {
    this.runs.set(run.runId, run);
    while (this.runs.size > this.keep) {
      const oldest = this.runs.keys().next().value!;
      this.runs.delete(oldest);
      this.finished.delete(oldest);
    }
    if (this.requestIds.size > this.keep * 10) {
      for (const [requestId, runId] of this.requestIds) if (!this.runs.has(runId)) this.requestIds.delete(requestId);
    }
  }
}
