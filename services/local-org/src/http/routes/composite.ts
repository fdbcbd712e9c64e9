import { SalesforceError } from '../../errors';
import type { ApiResponse, Router } from '../router';
import type { OrgRuntime } from '../runtime';

const MAX_SUBREQUESTS = 25;
/** Of the 25, at most 5 may be queries (Query, QueryAll, next pages) or sObject Collections. */
const MAX_QUERY_OR_COLLECTION_SUBREQUESTS = 5;
const QUERY_OR_COLLECTION = /\/v\d+\.\d+\/(query|queryAll|composite\/sobjects)(\/|\?|$)/;
const HALTED = {
  errorCode: 'PROCESSING_HALTED',
  message: 'The transaction was rolled back since another operation in the same transaction failed.'
};

interface Subrequest {
  method: string;
  url: string;
  referenceId: string;
  body?: unknown;
  httpHeaders?: Record<string, string>;
}

interface SubResponse {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

const ROLLBACK = Symbol('rollback');

/** Reads `ref.id` or `ref.records[0].Id` out of earlier subresponses. */
function lookup(results: Map<string, unknown>, expression: string): unknown {
  const [reference, ...path] = expression.split(/\.|(?=\[)/);
  let value: unknown = results.get(reference!);
  for (const part of path) {
    if (value === null || value === undefined) return undefined;
    const index = /^\[(\d+)\]$/.exec(part);
    value = index ? (value as unknown[])[Number(index[1])] : (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Replaces `@{ref.path}` in strings (URLs and body values) with values from earlier subresponses. */
function resolveReferences(value: unknown, results: Map<string, unknown>): unknown {
  if (typeof value === 'string') {
    return value.replace(/@\{([^}]+)\}/g, (_match, expression: string) => {
      const resolved = lookup(results, expression);
      if (resolved === undefined) {
        throw new SalesforceError(
          400,
          'PROCESSING_HALTED',
          `Invalid reference specified. No value for ${expression} found in ${expression.split(/[.[]/)[0]}. Provided referenceId ('${expression.split(/[.[]/)[0]}') must start with a letter or a number, and it can contain only letters, numbers and underscores ('_').`
        );
      }
      return String(resolved);
    });
  }
  if (Array.isArray(value)) return value.map((item) => resolveReferences(item, results));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolveReferences(item, results)]));
  }
  return value;
}

/** `POST /composite`: up to 25 subrequests (at most 5 queries or collections) in order, later ones referring to earlier results. */
export function compositeRoutes(router: Router, org: OrgRuntime): void {
  router.add('POST', '/composite', (request) => {
    const body = request.body as { allOrNone?: unknown; compositeRequest?: unknown } | undefined;
    if (!body || !Array.isArray(body.compositeRequest)) {
      throw new SalesforceError(400, 'JSON_PARSER_ERROR', 'The request body must contain a compositeRequest array');
    }
    const subrequests = body.compositeRequest as Subrequest[];
    if (subrequests.length > MAX_SUBREQUESTS) {
      throw new SalesforceError(400, 'INVALID_INPUT', `Maximum number of subrequests allowed is ${MAX_SUBREQUESTS}`);
    }
    const heavy = subrequests.filter((subrequest) => QUERY_OR_COLLECTION.test(String(subrequest?.url ?? ''))).length;
    if (heavy > MAX_QUERY_OR_COLLECTION_SUBREQUESTS) {
      throw new SalesforceError(
        400,
        'INVALID_INPUT',
        `Maximum number of query and sObject Collections subrequests allowed is ${MAX_QUERY_OR_COLLECTION_SUBREQUESTS}, got ${heavy}`
      );
    }
    const allOrNone = body.allOrNone === true;
    const responses: SubResponse[] = [];
    const results = new Map<string, unknown>();
    let failedAt = -1;
    try {
      org.store.db.transaction(() => {
        for (const [index, subrequest] of subrequests.entries()) {
          const response = run(subrequest, results);
          responses.push(response);
          if (response.httpStatusCode >= 400) {
            if (allOrNone) {
              failedAt = index;
              throw ROLLBACK;
            }
          } else {
            results.set(subrequest.referenceId, response.body);
          }
        }
      });
    } catch (error) {
      if (error !== ROLLBACK) throw error;
    }
    if (failedAt >= 0) {
      return {
        status: 200,
        body: {
          compositeResponse: subrequests.map((subrequest, index) =>
            index === failedAt
              ? responses[index]
              : { body: [HALTED], httpHeaders: {}, httpStatusCode: 400, referenceId: subrequest.referenceId }
          )
        }
      };
    }
    return { status: 200, body: { compositeResponse: responses } };
  });

  const run = (subrequest: Subrequest, results: Map<string, unknown>): SubResponse => {
    const reply = (response: ApiResponse): SubResponse => ({
      body: response.body ?? null,
      httpHeaders: response.headers ?? {},
      httpStatusCode: response.status,
      referenceId: subrequest.referenceId
    });
    try {
      const url = resolveReferences(subrequest.url, results) as string;
      const match = /^\/services\/data\/v(\d+\.\d)(\/[^?]*)?(?:\?(.*))?$/.exec(url);
      if (!match) throw new SalesforceError(400, 'INVALID_INPUT', `Invalid subrequest url: ${url}`);
      const [, version, path = '/', search = ''] = match;
      if (/^\/(composite\/?$|composite\/(batch|tree|graph)|jobs\/)/.test(path)) {
        throw new SalesforceError(400, 'INVALID_INPUT', `${path} is not supported in a composite subrequest`);
      }
      const response = router.dispatch({
        method: subrequest.method.toUpperCase(),
        path,
        version: version!,
        query: Object.fromEntries(new URLSearchParams(search)),
        body: resolveReferences(subrequest.body, results),
        headers: Object.fromEntries(
          Object.entries(subrequest.httpHeaders ?? {}).map(([key, value]) => [key.toLowerCase(), value])
        )
      });
      if (response instanceof Promise) {
        throw new SalesforceError(400, 'INVALID_INPUT', `${path} is not supported in a composite subrequest`);
      }
      const created = response.status === 201 && (response.body as { id?: string } | undefined)?.id;
      return reply({
        ...response,
        headers: created
          ? { Location: `/services/data/v${version}${path.replace(/\/$/, '')}/${created}` }
          : response.headers
      });
    } catch (error) {
      if (error instanceof SalesforceError) return reply({ status: error.status, body: error.body() });
      throw error;
    }
  };
}
