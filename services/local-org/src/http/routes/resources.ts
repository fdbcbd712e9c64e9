import { unsupported } from '../../errors';
import { basicInfo, describeObject, globalDescribe } from '../../schema/describe';
import type { Router } from '../router';
import type { OrgRuntime } from '../runtime';
import { requireObject } from './records';

const SEASONS = ['Spring', 'Summer', 'Winter'];

/** The release name of an API version: 60.0 is Spring '24, 62.0 Winter '25, 66.0 Spring '26. */
function releaseLabel(version: number): string {
  const offset = version - 60;
  const season = SEASONS[((offset % 3) + 3) % 3]!;
  const year = 24 + Math.floor(offset / 3) + (season === 'Winter' ? 1 : 0);
  return `${season} '${String(year).padStart(2, '0')}`;
}

/** API versions served: 31.0 up to the org's maximum. */
export function versions(maxVersion: string) {
  const max = Math.floor(Number(maxVersion));
  const list = [];
  for (let version = 31; version <= max; version++) {
    list.push({ label: releaseLabel(version), url: `/services/data/v${version}.0`, version: `${version}.0` });
  }
  return list;
}

export function isServedVersion(version: string, maxVersion: string): boolean {
  return /^\d+\.0$/.test(version) && Number(version) >= 31 && Number(version) <= Number(maxVersion);
}

/** The version root, limits and describe resources. */
export function resourceRoutes(router: Router, org: OrgRuntime): void {
  router.add('GET', '/', (request) => {
    const base = `/services/data/v${request.version}`;
    const names = ['sobjects', 'query', 'queryAll', 'limits', 'composite'];
    return {
      status: 200,
      body: {
        ...Object.fromEntries(names.map((name) => [name, `${base}/${name}`])),
        identity: `${org.baseUrl()}/id/${org.identity.orgId}/${org.identity.userId}`
      }
    };
  });

  router.add('GET', '/limits', () => {
    const { max, used } = org.usage;
    const jobs = org.bulk.counts();
    return {
      status: 200,
      body: {
        DailyApiRequests: { Max: max, Remaining: Math.max(0, max - used) },
        DailyBulkApiBatches: { Max: 15000, Remaining: 15000 - jobs.ingest },
        DailyBulkV2QueryJobs: { Max: 10000, Remaining: 10000 - jobs.query },
        DailyBulkV2QueryFileStorageMB: { Max: 1048576, Remaining: 1048576 },
        DataStorageMB: { Max: 1024, Remaining: 1024 },
        FileStorageMB: { Max: 1024, Remaining: 1024 }
      }
    };
  });

  router.add('GET', '/sobjects', (request) => ({ status: 200, body: globalDescribe(org.schema, request.version) }));

  router.add('GET', '/sobjects/:object', (request, { object }) => ({
    status: 200,
    body: basicInfo(org.schema, requireObject(org, object!), request.version)
  }));

  router.add('GET', '/sobjects/:object/describe', (request, { object }) => ({
    status: 200,
    body: describeObject(org.schema, requireObject(org, object!), request.version)
  }));

  router.add('GET', '/sobjects/:object/describe/:detail', (_request, { detail }) => {
    throw unsupported(`describe/${detail!}`);
  });
}
