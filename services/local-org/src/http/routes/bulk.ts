import type { Router } from '../router';
import type { OrgRuntime } from '../runtime';
import type { ResultKind } from '../../bulk/jobs';

/** Bulk API 2.0: `jobs/ingest` and `jobs/query`. */
export function bulkRoutes(router: Router, org: OrgRuntime): void {
  const { bulk } = org;
  const list = (jobType: 'V2Ingest' | 'V2Query') => ({
    status: 200,
    body: { done: true, records: bulk.list(jobType), nextRecordsUrl: null }
  });

  router.add('POST', '/jobs/ingest', (request) => ({
    status: 200,
    body: bulk.createIngest(request.body, request.version, org.identity.userId)
  }));
  router.add('GET', '/jobs/ingest', () => list('V2Ingest'));
  router.add('GET', '/jobs/ingest/:id', (_request, { id }) => ({ status: 200, body: bulk.get(id!, 'V2Ingest') }));
  router.add('PUT', '/jobs/ingest/:id/batches', (request, { id }) => {
    bulk.upload(id!, request.text);
    return { status: 201 };
  });
  router.add('PATCH', '/jobs/ingest/:id', async (request, { id }) => ({
    status: 200,
    body: await bulk.changeState(id!, request.body, 'V2Ingest')
  }));
  router.add('DELETE', '/jobs/ingest/:id', (_request, { id }) => {
    bulk.delete(id!, 'V2Ingest');
    return { status: 204 };
  });
  for (const kind of ['successfulResults', 'failedResults', 'unprocessedrecords'] as ResultKind[]) {
    router.add('GET', `/jobs/ingest/:id/${kind}`, (_request, { id }) => ({
      status: 200,
      csv: bulk.results(id!, kind)
    }));
  }

  router.add('POST', '/jobs/query', (request) => ({
    status: 200,
    body: bulk.createQuery(request.body, request.version, org.identity.userId)
  }));
  router.add('GET', '/jobs/query', () => list('V2Query'));
  router.add('GET', '/jobs/query/:id', (_request, { id }) => ({ status: 200, body: bulk.get(id!, 'V2Query') }));
  router.add('PATCH', '/jobs/query/:id', async (request, { id }) => ({
    status: 200,
    body: await bulk.changeState(id!, request.body, 'V2Query')
  }));
  router.add('DELETE', '/jobs/query/:id', (_request, { id }) => {
    bulk.delete(id!, 'V2Query');
    return { status: 204 };
  });
  router.add('GET', '/jobs/query/:id/results', (request, { id }) => {
    const page = bulk.queryResults(id!, request.query.locator, request.query.maxRecords);
    return {
      status: 200,
      csv: page.csv,
      headers: { 'Sforce-Locator': page.locator, 'Sforce-NumberOfRecords': String(page.count) }
    };
  });
}
