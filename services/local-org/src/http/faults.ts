import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { RecordError } from '../errors';
import type { Row } from '../store/record-writer';
import { normalizeId } from '../store/ids';
import type { ObjectDef } from '@handoff/schema';

const match = z
  .object({
    /** HTTP method, e.g. `PATCH`. */
    method: z.string().optional(),
    /** Substring of the request path, e.g. `/composite/sobjects`. */
    path: z.string().optional()
  })
  .strict()
  .optional();

/** What can go wrong, switchable per test at runtime. Each key replaces that fault; `null` clears it. */
export const faultSchema = z
  .object({
    /** Every API request waits this long before it is handled. */
    latencyMs: z.number().int().min(0).max(120_000).nullable(),
    /** The next `count` matching requests answer 500 (UNKNOWN_EXCEPTION) or 503 (SERVER_UNAVAILABLE). */
    failNext: z
      .object({
        count: z.number().int().positive(),
        status: z.union([z.literal(500), z.literal(503)]).default(503),
        match
      })
      .strict()
      .nullable(),
    /** Matching requests answer REQUEST_LIMIT_EXCEEDED: 403 as for the daily API limit, or 429; `count` or until cleared. */
    requestLimit: z
      .object({
        count: z.number().int().positive().optional(),
        status: z.union([z.literal(403), z.literal(429)]).default(403),
        match
      })
      .strict()
      .nullable(),
    /** Writes touching these record Ids or external-id values fail UNABLE_TO_LOCK_ROW (`count` times, or until cleared). */
    lockRows: z
      .object({
        ids: z.array(z.string()).default([]),
        externalIds: z.array(z.string()).default([]),
        count: z.number().int().positive().optional()
      })
      .strict()
      .nullable(),
    /** The next `count` matching requests lose their connection: before any response, or after half the body. */
    dropConnection: z
      .object({
        count: z.number().int().positive(),
        when: z.enum(['before-response', 'mid-response']).default('mid-response'),
        match
      })
      .strict()
      .nullable(),
    /** Bulk ingest jobs fail part-way: rows after `failAfterRow` fail (`records`), or the job fails there (`job`). */
    bulkIngest: z
      .object({
        failAfterRow: z.number().int().min(0),
        mode: z.enum(['records', 'job']).default('records'),
        errorCode: z.string().default('UNKNOWN_EXCEPTION'),
        message: z.string().default('An unexpected error occurred while processing the batch')
      })
      .strict()
      .nullable(),
    /** Expires every access token now: the next request answers 401 until a refresh_token grant issues a new one. */
    expireSession: z.literal(true)
  })
  .partial()
  .strict();

export type FaultInput = z.input<typeof faultSchema>;
export type FaultConfig = z.output<typeof faultSchema>;
type RequestMatch = z.output<typeof match>;

const ERROR_ID = () =>
  `${Math.floor(Math.random() * 1e9)}-${Math.floor(Math.random() * 1e5)} (${-Math.floor(Math.random() * 1e9)})`;

/** The fault switchboard: `org.faults.set({...})` in-process, or PUT/PATCH/DELETE `/__local-org/faults`. */
export class FaultController {
  private state: Omit<FaultConfig, 'expireSession'> = {};

  constructor(private readonly expireSessions: () => void) {}

  /** Merges faults into the current set (validated; throws a ZodError for bad input). */
  set(input: FaultInput): FaultConfig {
    const parsed = faultSchema.parse(input);
    const { expireSession, ...rest } = parsed;
    for (const [key, value] of Object.entries(rest) as [keyof typeof rest, unknown][]) {
      if (value === null || value === undefined) delete this.state[key];
      else (this.state as Record<string, unknown>)[key] = value;
    }
    if (expireSession) this.expireSessions();
    return this.get();
  }

  clear(): void {
    this.state = {};
  }

  get(): FaultConfig {
    return structuredClone(this.state);
  }

  private matches(request: Request, rule: RequestMatch): boolean {
    if (!rule) return true;
    if (rule.method && rule.method.toUpperCase() !== request.method) return false;
    return !rule.path || request.originalUrl.includes(rule.path);
  }

  /** Express middleware for API requests: latency, then limit, failure and connection faults. */
  middleware() {
    return async (request: Request, response: Response, next: NextFunction): Promise<void> => {
      if (this.state.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.state.latencyMs!));
      const limit = this.state.requestLimit;
      if (limit && this.matches(request, limit.match)) {
        if (limit.count !== undefined && --limit.count <= 0) delete this.state.requestLimit;
        response.status(limit.status);
        if (limit.status === 429) response.setHeader('Retry-After', '1');
        response.json([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
        return;
      }
      const fail = this.state.failNext;
      if (fail && this.matches(request, fail.match)) {
        if (--fail.count <= 0) delete this.state.failNext;
        const body =
          fail.status === 503
            ? { message: 'Server temporarily unavailable', errorCode: 'SERVER_UNAVAILABLE' }
            : {
                message: `An unexpected error occurred. Please include this ErrorId if you contact support: ${ERROR_ID()}`,
                errorCode: 'UNKNOWN_EXCEPTION'
              };
        response.status(fail.status).json([body]);
        return;
      }
      const drop = this.state.dropConnection;
      if (drop && this.matches(request, drop.match)) {
        if (--drop.count <= 0) delete this.state.dropConnection;
        if (drop.when === 'before-response') {
          request.socket.destroy();
          return;
        }
        cutMidResponse(response);
      }
      next();
    };
  }

  /** Store guard: UNABLE_TO_LOCK_ROW for writes touching a locked Id or external-id value. */
  guard = (object: ObjectDef, id: string | undefined, row: Row): RecordError | undefined => {
    const lock = this.state.lockRows;
    if (!lock) return undefined;
    const ids = new Set(lock.ids.map((value) => normalizeId(value) ?? value));
    const hit =
      (id !== undefined && ids.has(id)) ||
      object.fields.some((field) => {
        if (!field.externalId && !field.unique) return false;
        const value = row[field.name.toLowerCase()];
        return value !== null && value !== undefined && lock.externalIds.includes(String(value));
      });
    if (!hit) return undefined;
    if (lock.count !== undefined && --lock.count <= 0) delete this.state.lockRows;
    return new RecordError(
      'UNABLE_TO_LOCK_ROW',
      `unable to obtain exclusive access to this record or 1 records: ${id ?? String(row.id ?? '')}`.trim()
    );
  };

  bulkIngestFailure(): FaultConfig['bulkIngest'] {
    return this.state.bulkIngest ?? undefined;
  }
}

/**
 * Lets the handler run (and commit), then sends the headers and half the body and destroys the socket; a response
 * without a body loses its connection before the status line.
 */
function cutMidResponse(response: Response): void {
  response.end = ((chunk?: unknown) => {
    const body = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.isBuffer(chunk) ? chunk : Buffer.alloc(0);
    if (body.length < 2) {
      response.socket?.destroy();
      return response;
    }
    response.setHeader('Content-Length', String(body.length));
    response.write(body.subarray(0, Math.floor(body.length / 2)));
    setImmediate(() => response.socket?.destroy());
    return response;
  }) as Response['end'];
}
