import { unsupported } from '../../errors';
import type { ApiRequest, Router } from '../router';
import type { OrgRuntime } from '../runtime';

/** `Sforce-Query-Options: batchSize=500`. */
function batchSize(request: ApiRequest): number {
  const match = /batchSize\s*=\s*(\d+)/i.exec(request.headers['sforce-query-options'] ?? '');
  return match ? Number(match[1]) : 2000;
}

/** `query`, `queryAll` and their locators (`query/01g...-2000`). */
export function queryRoutes(router: Router, org: OrgRuntime): void {
  for (const resource of ['query', 'queryAll']) {
    const scanAll = resource === 'queryAll';
    router.add('GET', `/${resource}`, (request) => {
      if (request.query.explain !== undefined) throw unsupported('Query plans (explain)');
      const soql = request.query.q ?? '';
      if (request.query.columns === 'true') return { status: 200, body: org.store.queries.columns(soql) };
      return {
        status: 200,
        body: org.store.queries.query(soql, { scanAll, version: request.version, batchSize: batchSize(request) })
      };
    });
    router.add('GET', `/${resource}/:locator`, (_request, { locator }) => ({
      status: 200,
      body: org.store.queries.more(locator!)
    }));
  }
}
