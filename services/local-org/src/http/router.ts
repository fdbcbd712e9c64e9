import { notFound, unsupported } from '../errors';

/** A REST call below `/services/data/vXX.X`, as the handlers see it (also built in-process by composite). */
export interface ApiRequest {
  method: string;
  /** Path below the version root, starting with `/` (`/sobjects/Account/001...`); `/` for the root itself. */
  path: string;
  /** API version without the `v`, e.g. `66.0`. */
  version: string;
  query: Record<string, string>;
  /** Parsed JSON body (undefined when there is none). */
  body: unknown;
  /** The raw body, for CSV uploads. */
  text?: string;
  headers: Record<string, string | undefined>;
}

export interface ApiResponse {
  status: number;
  /** JSON body; omitted for 204. */
  body?: unknown;
  /** CSV body (Bulk API results), sent as text/csv. */
  csv?: string;
  headers?: Record<string, string>;
}

export type Handler = (request: ApiRequest, params: Record<string, string>) => ApiResponse | Promise<ApiResponse>;

/** Real resources the local org does not emulate: they answer FUNCTIONALITY_NOT_ENABLED rather than 404. */
const UNSUPPORTED = [
  /^\/(search|parameterizedSearch|tooling|actions|analytics|recent|tabs|theme|process|chatter|connect|ui-api|support|wave|metadata|eclair|consent)(\/|$)/,
  /^\/composite\/(batch|graph)(\/|$)/,
  /^\/sobjects\/[^/]+\/(updated|deleted|listviews|quickActions|richTextImageFields)(\/|$)/,
  /^\/jobs\/ingest\/[^/]+\/batches\//
];

interface Route {
  method: string;
  segments: string[];
  handler: Handler;
}

/**
 * Routes below the version root. Patterns are `/`-separated; `:name` matches one segment. Routes match in the order
 * they were added, so literal routes go before parameterized ones.
 */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: Handler): this {
    this.routes.push({ method, segments: pattern.split('/').filter(Boolean), handler });
    return this;
  }

  match(method: string, path: string): { handler: Handler; params: Record<string, string> } | undefined {
    const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
    const allowed: string[] = [];
    for (const route of this.routes) {
      if (route.segments.length !== segments.length) continue;
      const params: Record<string, string> = {};
      const matches = route.segments.every((segment, index) => {
        if (segment.startsWith(':')) {
          params[segment.slice(1)] = segments[index]!;
          return true;
        }
        return segment.toLowerCase() === segments[index]!.toLowerCase();
      });
      if (!matches) continue;
      if (route.method === method) return { handler: route.handler, params };
      allowed.push(route.method);
    }
    return allowed.length ? { handler: methodNotAllowed(method, allowed), params: {} } : undefined;
  }

  dispatch(request: ApiRequest): ApiResponse | Promise<ApiResponse> {
    if (UNSUPPORTED.some((pattern) => pattern.test(request.path))) {
      throw unsupported(`The ${request.path.split('/').slice(1, 4).join('/')} resource`);
    }
    const found = this.match(request.method, request.path);
    if (!found) throw notFound();
    return found.handler(request, found.params);
  }
}

function methodNotAllowed(method: string, allowed: string[]): Handler {
  return () => ({
    status: 405,
    body: [
      {
        errorCode: 'METHOD_NOT_ALLOWED',
        message: `HTTP Method '${method}' not allowed. Allowed are ${[...new Set(allowed)].join(',')}`
      }
    ]
  });
}
