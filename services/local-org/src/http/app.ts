import express, { type NextFunction, type Request, type Response } from 'express';
import { ZodError } from 'zod';
import { SalesforceError, notFound } from '../errors';
import { adminRoutes } from './routes/admin';
import { oauthRoutes } from './routes/oauth';
import { isServedVersion, versions } from './routes/resources';
import type { ApiResponse, Router } from './router';
import type { OrgRuntime } from './runtime';

const INVALID_SESSION = [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }];

export function bearerToken(request: Request): string | undefined {
  const match = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

/** Sends a handler's answer: JSON as Salesforce labels it, CSV for Bulk API results, nothing for 204. */
export function send(response: Response, answer: ApiResponse): void {
  response.status(answer.status);
  for (const [name, value] of Object.entries(answer.headers ?? {})) response.setHeader(name, value);
  if (answer.csv !== undefined) {
    response.setHeader('Content-Type', 'text/csv');
    response.send(answer.csv);
  } else if (answer.status === 204 || answer.body === undefined) {
    response.end();
  } else {
    response.setHeader('Content-Type', 'application/json;charset=UTF-8');
    response.send(JSON.stringify(answer.body));
  }
}

function parseBody(request: Request): { body: unknown; text?: string } {
  const text = typeof request.body === 'string' && request.body.length ? request.body : undefined;
  if (text === undefined) return { body: undefined };
  if (/csv/i.test(request.headers['content-type'] ?? '')) return { body: undefined, text };
  try {
    return { body: JSON.parse(text) as unknown, text };
  } catch (error) {
    throw new SalesforceError(
      400,
      'JSON_PARSER_ERROR',
      `${error instanceof Error ? error.message : 'Unexpected character'} at [line:1, column:1]`
    );
  }
}

function queryParams(request: Request): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of new URL(request.originalUrl, 'http://local').searchParams) {
    if (!(key in result)) result[key] = value;
  }
  return result;
}

/**
 * The HTTP surface: OAuth endpoints, the admin (fault injection) endpoints, and everything below /services/data,
 * which goes through auth, faults, API-usage counting and then the internal router.
 */
export function createApp(org: OrgRuntime, router: Router): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  if (process.env.LOCAL_ORG_LOG) {
    app.use((request, response, next) => {
      response.on('finish', () =>
        console.error(`local-org ${request.method} ${request.originalUrl} -> ${response.statusCode}`)
      );
      next();
    });
  }
  // An instance URL stored with a trailing slash (as `sf org login access-token` stores it) yields `//services/...`;
  // Salesforce serves those paths, so collapse repeated slashes.
  app.use((request, _response, next) => {
    const [pathname, ...search] = request.url.split('?');
    request.url = [pathname!.replace(/\/{2,}/g, '/'), ...search].join('?');
    next();
  });
  app.use(express.text({ type: () => true, limit: '200mb' }));
  app.use((_request, response, next) => {
    response.setHeader('Sforce-Limit-Info', org.usage.header());
    next();
  });

  const authenticate = (request: Request, response: Response, next: NextFunction) => {
    const token = bearerToken(request);
    if (!token || !org.sessions.valid(token)) {
      response.status(401).setHeader('Content-Type', 'application/json;charset=UTF-8');
      response.setHeader('WWW-Authenticate', 'Token');
      response.send(JSON.stringify(INVALID_SESSION));
      return;
    }
    next();
  };

  oauthRoutes(app, org, authenticate);
  app.use('/__local-org', (request, response, next) => {
    const token = bearerToken(request);
    if (!token || !org.sessions.known(token)) {
      response.status(401).json(INVALID_SESSION);
      return;
    }
    next();
  });
  adminRoutes(app, org);

  app.get(['/services/data', '/services/data/'], (_request, response) => {
    send(response, { status: 200, body: versions(org.maxVersion) });
  });

  app.use('/services/data', authenticate, org.faults.middleware(), (_request, response, next) => {
    if (!org.usage.hit()) {
      send(response, {
        status: 403,
        body: [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]
      });
      return;
    }
    response.setHeader('Sforce-Limit-Info', org.usage.header());
    next();
  });

  app.use('/services/data', async (request, response) => {
    const match = /^\/v(\d+\.\d+)(\/.*)?$/.exec(request.path);
    if (!match || !isServedVersion(match[1]!, org.maxVersion)) throw notFound();
    const { body, text } = parseBody(request);
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(request.headers))
      headers[name] = Array.isArray(value) ? value[0] : value;
    const answer = await router.dispatch({
      method: request.method,
      path: match[2] ?? '/',
      version: match[1]!,
      query: queryParams(request),
      body,
      text,
      headers
    });
    send(response, answer);
  });

  app.use((_request: Request, response: Response) => send(response, { status: 404, body: notFound().body() }));

  app.use((error: unknown, _request: Request, response: Response, _next: NextFunction) => {
    if (response.headersSent) {
      response.socket?.destroy();
      return;
    }
    if (error instanceof SalesforceError) {
      send(response, { status: error.status, body: error.body(), headers: error.headers });
    } else if (error instanceof ZodError) {
      send(response, {
        status: 400,
        body: [
          {
            message: error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
            errorCode: 'INVALID_INPUT'
          }
        ]
      });
    } else {
      const status = (error as { status?: number }).status;
      if (status && status >= 400 && status < 500) {
        send(response, {
          status,
          body: [
            {
              message: (error as Error).message,
              errorCode: status === 413 ? 'REQUEST_ENTITY_TOO_LARGE' : 'JSON_PARSER_ERROR'
            }
          ]
        });
        return;
      }
      send(response, {
        status: 500,
        body: [
          {
            message: `An unexpected error occurred: ${error instanceof Error ? error.message : String(error)}`,
            errorCode: 'UNKNOWN_EXCEPTION'
          }
        ]
      });
    }
  });
  return app;
}
