import type { ScenarioOutcome } from './scenario';

export interface ScenarioState {
  requestId: string;
  scenarioId: string;
  status: 'Queued' | 'Running' | 'Completed' | 'Failed';
  requestedAt: string;
  outcome?: ScenarioOutcome;
}

/**
 * Scenario computations, one at a time in this process (a forecast run goes on beside them: it holds the forecast
 * lease, a scenario only its own). A request id seen before answers with what it got (`replayed`); a request for a
 * scenario already waiting joins that computation (`joined`), which reads the changes when it starts.
 */
export class ScenarioCoordinator {
  private readonly states = new Map<string, ScenarioState>();
  private readonly waiting = new Map<string, ScenarioState>();
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly execute: (scenarioId: string, requestId: string) => Promise<ScenarioOutcome>,
    private readonly keep = 100
  ) {}

  request(scenarioId: string, requestId: string): { state: ScenarioState; replayed: boolean; joined: boolean } {
    const known = this.states.get(requestId);
    if (known) return { state: known, replayed: true, joined: false };
    const waiting = this.waiting.get(scenarioId);
    if (waiting) {
      this.remember(requestId, waiting);
      return { state: waiting, replayed: false, joined: true };
    }
    const state: ScenarioState = { requestId, scenarioId, status: 'Queued', requestedAt: new Date().toISOString() };
    this.remember(requestId, state);
    this.waiting.set(scenarioId, state);
    this.chain = this.chain.then(async () => {
      this.waiting.delete(scenarioId);
      state.status = 'Running';
      try {
        state.outcome = await this.execute(scenarioId, requestId);
        state.status = state.outcome.status;
      } catch (error) {
        state.status = 'Failed';
        state.outcome = {
          scenarioId,
          status: 'Failed',
          rowsWritten: 0,
          rowsDeleted: 0,
          apiCalls: 0,
          durationMs: 0,
          error: { message: (error as Error).message, errorCode: 'UNEXPECTED' }
        };
      }
    });
    return { state, replayed: false, joined: false };
  }

  get(requestId: string): ScenarioState | undefined {
    return this.states.get(requestId);
  }

  /** Resolves when every accepted computation has ended. */
  async settled(): Promise<void> {
    let current: Promise<void>;
    do {
      current = this.chain;
      await current;
    } while (current !== this.chain);
  }

  private remember(requestId: string, state: ScenarioState): void {
    this.states.set(requestId, state);
    while (this.states.size > this.keep) this.states.delete(this.states.keys().next().value!);
  }
}
