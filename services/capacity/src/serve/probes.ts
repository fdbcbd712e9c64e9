import * as http from 'node:http';
import { errorCodeOf } from '../salesforce/errors';

export interface ReadyState {
  ready: boolean;
  reason?: string;
}

/**
 * Whether the service can do its work: the org answered a cheap authenticated call recently. The answer is kept for
 * `ttlMs` so that frequent probes (several replicas, several probers) cost the org one call per few seconds, and
 * concurrent probes share one check in flight. While shutting down the service is never ready.
 */
export class Readiness {
  private shuttingDown = false;
  private last?: ReadyState & { at: number };
  private inflight?: Promise<ReadyState>;
  private readonly ttlMs: number;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private readonly onChange: (state: ReadyState, error?: unknown) => void;

  constructor(
    private readonly check: (timeoutMs: number) => Promise<void>,
    options: {
      ttlMs?: number;
      timeoutMs?: number;
      now?: () => number;
      onChange?: (state: ReadyState, error?: unknown) => void;
    } = {}
  ) {
    this.ttlMs = options.ttlMs ?? 5_000;
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.now = options.now ?? Date.now;
    this.onChange = options.onChange ?? (() => undefined);
  }

  shutDown(): void {
    this.shuttingDown = true;
  }

  async state(): Promise<ReadyState> {
    if (this.shuttingDown) return { ready: false, reason: 'shutting down' };
    if (this.last && this.now() - this.last.at < this.ttlMs)
      return { ready: this.last.ready, reason: this.last.reason };
    this.inflight ??= this.probe().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async probe(): Promise<ReadyState> {
    let timer: NodeJS.Timeout | undefined;
    let state: ReadyState;
    let failure: unknown;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(Object.assign(new Error('no answer in time'), { errorCode: 'REQUEST_TIMEOUT' })),
          this.timeoutMs
        );
      });
      await Promise.race([this.check(this.timeoutMs), timeout]);
      state = { ready: true };
    } catch (error) {
      failure = error;
      // The reason names the org's error code only (INVALID_SESSION_ID, ECONNREFUSED): the probe port is
      // unauthenticated, so hosts, users and messages stay in the log.
      state = { ready: false, reason: `the org did not answer GET /limits (${errorCodeOf(error)})` };
    } finally {
      clearTimeout(timer);
    }
    const changed = this.last === undefined || this.last.ready !== state.ready || this.last.reason !== state.reason;
    this.last = { ...state, at: this.now() };
    if (changed) this.onChange(state, failure);
    return state;
  }
}

/**
 * The probe listener, apart from the API because container probes cannot sign requests: GET /livez (the process and
 * its event loop answer: a blocked loop answers nothing and the probe times out) and GET /readyz (200, or 503 with a
 * reason). Nothing else is served here, and the answers carry only a status and a reason.
 */
export function createProbeServer(readiness: Readiness): http.Server {
  const answer = (response: http.ServerResponse, status: number, body: Record<string, string>) => {
    response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(JSON.stringify(body));
  };
  return http.createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/livez' && path !== '/readyz') return answer(response, 404, { status: 'not_found' });
    if (request.method !== 'GET') {
      response.setHeader('allow', 'GET');
      return answer(response, 405, { status: 'method_not_allowed' });
    }
    if (path === '/livez') return answer(response, 200, { status: 'ok' });
    readiness.state().then(
      (state) =>
        state.ready
          ? answer(response, 200, { status: 'ok' })
          : answer(response, 503, { status: 'unavailable', reason: state.reason ?? 'not ready' }),
      () => answer(response, 503, { status: 'unavailable', reason: 'the readiness check failed' })
    );
  });
}
