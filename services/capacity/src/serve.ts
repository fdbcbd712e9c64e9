import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig, type ServeConfig } from './config';
import { createApp } from './http/app';
import { jsonLog, type Log } from './log';
import { RunCoordinator } from './run/coordinator';
import { installLastResort } from './run/last-resort';
import { OrgRequestLedger } from './run/ledger';
import { runForecast } from './run/runner';
import { runScenario } from './run/scenario';
import { ScenarioCoordinator } from './run/scenario-coordinator';
import { OrgConnection } from './serve/org';
import { createProbeServer, Readiness } from './serve/probes';

export interface RunningService {
  apiPort: number;
  probePort: number;
  /** Stops accepting requests and waits for the current run up to the grace period; false if a run was left. */
  stop(signal: string): Promise<boolean>;
}

/**
 * The capacity service as deployed: the authenticated API on one port, the container probes on another, one shared
 * connection to the org, JSON log lines. `node dist/serve.js` runs it from environment variables alone.
 */
export async function startService(config: ServeConfig, log: Log): Promise<RunningService> {
  const org = new OrgConnection(config.org);
  const coordinator = new RunCoordinator(
    async (runId, trigger, { alsoAlive, signal }) => {
      log('info', 'run started', { runId, trigger });
      const outcome = await runForecast(await org.client(), { runKey: runId, trigger, alsoAlive, signal });
      log(outcome.status === 'Completed' ? 'info' : 'error', `run ${outcome.status.toLowerCase()}`, {
        runId,
        trigger,
        durationMs: outcome.durationMs,
        rowsRead: outcome.rowsRead,
        rowsWritten: outcome.rowsWritten,
        apiCalls: outcome.apiCalls,
        retries: outcome.retries,
        ...(outcome.error ? { errorCode: outcome.error.errorCode, reason: outcome.error.message } : {})
      });
      return outcome;
    },
    // Accepted request ids are recorded in the org, so a replay reaching another replica, or this one after a restart,
    // joins its run instead of starting one.
    { ledger: new OrgRequestLedger(() => org.client()) }
  );
  const uninstallLastResort = installLastResort(coordinator, (message) => log('error', message));
  const readiness = new Readiness((timeoutMs) => org.check(timeoutMs), {
    onChange: (state, error) =>
      log(state.ready ? 'info' : 'warn', state.ready ? 'ready: the org answers' : 'not ready', {
        reason: state.reason,
        ...(error === undefined ? {} : { error })
      })
  });
  const scenarios = new ScenarioCoordinator(async (scenarioId, requestId) => {
    log('info', 'scenario started', { scenarioId, requestId });
    const outcome = await runScenario(await org.client(), { scenarioId, requestId });
    log(outcome.status === 'Completed' ? 'info' : 'error', `scenario ${outcome.status.toLowerCase()}`, {
      scenarioId,
      requestId,
      durationMs: outcome.durationMs,
      rowsWritten: outcome.rowsWritten,
      apiCalls: outcome.apiCalls,
      ...(outcome.error ? { errorCode: outcome.error.errorCode, reason: outcome.error.message } : {})
    });
    return outcome;
  });
  const app = createApp(coordinator, {
    scenarios,
    secret: config.secret,
    org: org.describe(),
    log: (message, error) => log('error', message, { error })
  });

  let draining = false;
  const api = http.createServer((request, response) => {
    if (draining) {
      // A request on a connection kept alive from before SIGTERM: no new work once shutdown has begun.
      response.writeHead(503, { 'content-type': 'application/json', connection: 'close' });
      response.end(JSON.stringify({ error: 'unavailable', message: 'the service is shutting down' }));
      return;
    }
    app(request, response);
  });
  const probes = createProbeServer(readiness);

  const probePort = await listen(probes, config.probePort, config.host);
  let apiPort: number;
  try {
    apiPort = await listen(api, config.port, config.host);
  } catch (error) {
    probes.close();
    throw error;
  }
  log('info', 'listening', { host: config.host, port: apiPort, probePort, org: org.describe() });
  void readiness.state();

  let stopping: Promise<boolean> | undefined;
  const stop = (signal: string) =>
    (stopping ??= (async () => {
      draining = true;
      readiness.shutDown();
      const active = coordinator.latest();
      log('info', 'shutting down', {
        signal,
        graceMs: config.graceMs,
        ...(active && (active.status === 'Running' || active.status === 'Queued') ? { waitingFor: active.runId } : {})
      });
      const closed = new Promise<void>((resolve) => api.close(() => resolve()));
      api.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      const drained = await Promise.race([
        Promise.all([coordinator.settled(), scenarios.settled()]).then(() => true),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), config.graceMs);
        })
      ]);
      clearTimeout(timer);
      api.closeAllConnections();
      await closed;
      await new Promise<void>((resolve) => {
        probes.close(() => resolve());
        probes.closeAllConnections();
      });
      uninstallLastResort();
      if (drained) log('info', 'stopped', { signal });
      else {
        log('error', 'stopped with a run unfinished: the grace period ran out', {
          signal,
          runId: coordinator.latest()?.runId
        });
      }
      return drained;
    })());

  return { apiPort, probePort, stop };
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function main(): void {
  let config: ServeConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
    return;
  }
  const log = jsonLog();
  startService(config, log).then(
    (service) => {
      for (const signal of ['SIGTERM', 'SIGINT'] as const) {
        process.once(signal, () => {
          void service.stop(signal).then((drained) => process.exit(drained ? 0 : 1));
        });
      }
    },
    (error: unknown) => {
      log('error', 'the service could not start', { error });
      process.exit(1);
    }
  );
}

if (require.main === module) main();
