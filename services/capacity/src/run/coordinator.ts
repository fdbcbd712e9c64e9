import { randomUUID } from 'node:crypto';
import { failedOutcome, type RunOutcome, type RunTrigger } from './runner';

export interface RunState {
  runId: string;
  trigger: RunTrigger;
  status: 'Queued' | 'Running' | 'Completed' | 'Failed';
  requestedAt: string;
  requests: number;
  outcome?: RunOutcome;
}

/**
 * At most one forecast run at a time for an org. A request while a run is going queues one follow-up run; further
 * requests coalesce into that queued run (a burst of 200 lifecycle events triggers one run, not 200).
 */
export class RunCoordinator {
  private readonly runs = new Map<string, RunState>();
  private active?: RunState;
  private queued?: RunState;
  private idle: Promise<void> = Promise.resolve();

  constructor(
    private readonly execute: (runId: string, trigger: RunTrigger) => Promise<RunOutcome>,
    private readonly keep = 100
  ) {}

  /** Starts a run, or joins the queued one. */
  request(trigger: RunTrigger): { run: RunState; coalesced: boolean } {
    if (this.queued) {
      this.queued.requests++;
      return { run: this.queued, coalesced: true };
    }
    const run: RunState = {
      runId: randomUUID(),
      trigger,
      status: 'Queued',
      requestedAt: new Date().toISOString(),
      requests: 1
    };
    this.remember(run);
    if (this.active) {
      this.queued = run;
      return { run, coalesced: false };
    }
    this.start(run);
    return { run, coalesced: false };
  }

  get(runId: string): RunState | undefined {
    return this.runs.get(runId);
  }

  latest(): RunState | undefined {
    return [...this.runs.values()].at(-1);
  }

  /** Resolves when no run is active or queued. */
  async settled(): Promise<void> {
    while (this.active || this.queued) await this.idle;
  }

  private start(run: RunState): void {
    this.active = run;
    run.status = 'Running';
    this.idle = this.execute(run.runId, run.trigger)
      .then(
        (outcome) => {
          run.outcome = outcome;
          run.status = outcome.status;
        },
        (error: unknown) => {
          run.status = 'Failed';
          run.outcome = failedOutcome(run.runId, { message: (error as Error).message, errorCode: 'UNEXPECTED' });
        }
      )
      .finally(() => {
        this.active = undefined;
        const next = this.queued;
        this.queued = undefined;
        if (next) this.start(next);
      });
  }

  private remember(run: RunState): void {
    this.runs.set(run.runId, run);
    while (this.runs.size > this.keep) this.runs.delete(this.runs.keys().next().value!);
  }
}
