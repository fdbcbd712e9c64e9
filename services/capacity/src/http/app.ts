import express from 'express';
import { z } from 'zod';
import type { RunCoordinator } from '../run/coordinator';
import { hmacAuth } from './auth';

const runRequest = z
  .object({
    requestedAt: z.string(),
    nonce: z.string(),
    reason: z.enum(['Manual', 'Schedule', 'Lifecycle Event', 'CLI']).default('Manual'),
    eventCount: z.number().int().min(0).optional(),
    /** The caller's id for this request (a UUID): accepted once, never run twice, a replay joins its run. */
    requestId: z.uuid().optional()
  })
  .strict();

/**
 * The capacity service's HTTP API, every endpoint authenticated:
 * POST /runs answers 202 with a run id (coalescing with a queued run; a `requestId` seen before answers with the run it
 * got then, `replayed: true`); GET /runs/:id; GET /healthz.
 */
export function createApp(coordinator: RunCoordinator, options: { secret: string; org: string; now?: () => number }) {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.raw({ type: () => true, limit: '64kb' }));
  app.use(hmacAuth(options.secret, options.now));

  app.post('/runs', async (request, response) => {
    const parsed = runRequest.safeParse((request as express.Request & { json?: unknown }).json);
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

  app.get('/healthz', (_request, response) => {
    const latest = coordinator.latest();
    response.json({
      status: 'ok',
      org: options.org,
      latestRun: latest ? { runId: latest.runId, status: latest.status } : null
    });
  });

  return app;
}
