import express from 'express';
import { z } from 'zod';
import type { RunCoordinator } from '../run/coordinator';
import { RECORD_ID } from '../run/scenario';
import type { ScenarioCoordinator } from '../run/scenario-coordinator';
import { hmacAuth, type AuthenticatedRequest } from './auth';

const runRequest = z
  .object({
    method: z.literal('POST'),
    path: z.literal('/runs'),
    requestedAt: z.string(),
    nonce: z.string(),
    /** The caller's id for this request (a UUID): accepted once, never run twice, a replay joins its run. */
    requestId: z.uuid(),
    reason: z.enum(['Manual', 'Schedule', 'Lifecycle Event', 'CLI']).default('Manual'),
    eventCount: z.number().int().min(0).optional()
  })
  .strict();

const scenarioRequest = z
  .object({
    method: z.literal('POST'),
    path: z.literal('/scenarios'),
    requestedAt: z.string(),
    nonce: z.string(),
    /** The caller's id for this request (a UUID): a replay answers with the computation it got. */
    requestId: z.uuid(),
    /** The Capacity_Scenario__c to compute. */
    scenarioId: z.string().regex(RECORD_ID, 'a Capacity_Scenario__c record Id (15 or 18 characters)')
  })
  .strict();

/** What a failed request is told: a code and a sentence, never a stack trace or a file path. */
function errorAnswer(error: unknown): { status: number; body: { error: string; message: string } } {
  const value = (error ?? {}) as { type?: string; status?: number; statusCode?: number; name?: string };
  const status = value.status ?? value.statusCode;
  if (value.type === 'entity.too.large') {
    return { status: 413, body: { error: 'payload_too_large', message: 'the body is larger than 64 kB' } };
  }
  if (value.name === 'URIError' || (status !== undefined && status >= 400 && status < 500)) {
    return { status: status ?? 400, body: { error: 'bad_request', message: 'the request could not be read' } };
  }
  return { status: 500, body: { error: 'internal', message: 'the service failed to answer; see its log' } };
}

/**
 * The capacity service's HTTP API, every endpoint authenticated:
 * POST /runs answers 202 with a run id (coalescing with a queued run; a `requestId` seen before answers with the run it
 * got then, `replayed: true`); GET /runs/:id; POST /scenarios answers 202 and computes a Capacity_Scenario__c into its
 * Scenario_Result__c records (GET /scenarios/:requestId says how it went); GET /healthz. Every answer, errors
 * included, is JSON.
 */
export function createApp(
  coordinator: RunCoordinator,
  options: {
    secret: string;
    org: string;
    now?: () => number;
    log?: (message: string, error: unknown) => void;
    scenarios?: ScenarioCoordinator;
  }
) {
  const log = options.log ?? ((message, error) => console.error(message, error));
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(express.raw({ type: () => true, limit: '64kb' }));
  app.use(hmacAuth(options.secret, options.now));

  app.post('/runs', async (request, response) => {
    const parsed = runRequest.safeParse((request as AuthenticatedRequest).json);
    if (!parsed.success) {
      return response.status(400).json({
        error: 'bad_request',
        message: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')
      });
    }
    const { run, coalesced, replayed } = await coordinator.request(parsed.data.reason, parsed.data.requestId);
    return response
      .status(202)
      .location(`/runs/${run.runId}`)
      .json({ runId: run.runId, status: run.status, coalesced, replayed });
  });

  app.get('/runs/:id', (request, response) => {
    const run = coordinator.get(request.params.id);
    if (!run)
      return response
        .status(404)
        .json({ error: 'not_found', message: `no run ${request.params.id} in this service's memory` });
    return response.json(run);
  });

  app.post('/scenarios', (request, response) => {
    if (!options.scenarios) {
      return response.status(404).json({ error: 'not_found', message: 'this service computes no scenarios' });
    }
    const parsed = scenarioRequest.safeParse((request as AuthenticatedRequest).json);
    if (!parsed.success) {
      return response.status(400).json({
        error: 'bad_request',
        message: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')
      });
    }
    const { state, replayed, joined } = options.scenarios.request(parsed.data.scenarioId, parsed.data.requestId);
    return response.status(202).location(`/scenarios/${parsed.data.requestId}`).json({
      requestId: parsed.data.requestId,
      scenarioId: state.scenarioId,
      status: state.status,
      replayed,
      joined
    });
  });

  app.get('/scenarios/:requestId', (request, response) => {
    const state = options.scenarios?.get(request.params.requestId);
    if (!state) {
      return response.status(404).json({
        error: 'not_found',
        message: `no scenario request ${request.params.requestId} in this service's memory`
      });
    }
    return response.json(state);
  });

  app.get('/healthz', (_request, response) => {
    const latest = coordinator.latest();
    response.json({
      status: 'ok',
      org: options.org,
      latestRun: latest ? { runId: latest.runId, status: latest.status } : null
    });
  });

  app.use((_request: express.Request, response: express.Response) => {
    response.status(404).json({ error: 'not_found', message: 'no such endpoint' });
  });
  app.use((error: unknown, request: express.Request, response: express.Response, _next: express.NextFunction) => {
    const answer = errorAnswer(error);
    if (answer.status >= 500) log(`${request.method} ${request.path} failed`, error);
    if (response.headersSent) return response.end();
    return response.status(answer.status).json(answer.body);
  });

  return app;
}
