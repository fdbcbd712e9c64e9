import type { Express } from 'express';
import type { OrgRuntime } from '../runtime';

/**
 * `/__local-org/...`: test controls over HTTP, for clients in another process. Guarded by any token the org has
 * issued (expired ones too, so a test can clear the token-expiry fault it set).
 */
export function adminRoutes(app: Express, org: OrgRuntime): void {
  const body = (raw: unknown): unknown => (typeof raw === 'string' && raw ? JSON.parse(raw) : {});
  app.get('/__local-org/faults', (_request, response) => {
    response.json(org.faults.get());
  });
  app.put('/__local-org/faults', (request, response) => {
    const input = body(request.body);
    org.faults.clear();
    response.json(org.faults.set(input as Parameters<typeof org.faults.set>[0]));
  });
  app.patch('/__local-org/faults', (request, response) => {
    response.json(org.faults.set(body(request.body) as Parameters<typeof org.faults.set>[0]));
  });
  app.delete('/__local-org/faults', (_request, response) => {
    org.faults.clear();
    response.status(204).end();
  });
  app.post('/__local-org/reset', (_request, response) => {
    org.reset();
    response.status(204).end();
  });
  app.get('/__local-org/usage', (_request, response) => {
    response.json({ used: org.usage.used, max: org.usage.max });
  });
}
