/** One entry of a Salesforce REST error body: `[{ "message": ..., "errorCode": ..., "fields": [...] }]`. */
export interface ErrorBodyEntry {
  message: string;
  errorCode: string;
  fields?: string[];
}

/** A request-level failure, answered with `status` and a Salesforce-shaped JSON error array. */
export class SalesforceError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly fields?: string[],
    /** Extra response headers, e.g. Retry-After. */
    readonly headers: Record<string, string> = {}
  ) {
    super(message);
    this.name = errorCode;
  }

  body(): ErrorBodyEntry[] {
    return [{ message: this.message, errorCode: this.errorCode, ...(this.fields ? { fields: this.fields } : {}) }];
  }
}

/**
 * A per-record failure, as DML results carry it (sObject Collections use `statusCode`, single-record REST turns
 * it into a SalesforceError, Bulk API writes `errorCode:message:fields --` into failedResults).
 */
export class RecordError extends Error {
  constructor(
    readonly statusCode: string,
    message: string,
    readonly fields: string[] = [],
    /** Further errors of the same record (several validation rules failing at once). */
    readonly also: RecordError[] = []
  ) {
    super(message);
    this.name = statusCode;
  }

  /** This error and the ones reported with it, as a DML result lists them. */
  all(): RecordError[] {
    return [this, ...this.also];
  }

  toJSON(): { statusCode: string; message: string; fields: string[] } {
    return { statusCode: this.statusCode, message: this.message, fields: this.fields };
  }

  /** As a single-record REST error: NOT_FOUND answers 404, everything else 400. */
  toRequestError(): SalesforceError {
    const status = this.statusCode === 'NOT_FOUND' ? 404 : 400;
    return new SalesforceError(status, this.statusCode, this.message, this.fields);
  }
}

export const notFound = (): SalesforceError =>
  new SalesforceError(404, 'NOT_FOUND', 'The requested resource does not exist');

export const unsupported = (what: string): SalesforceError =>
  new SalesforceError(400, 'FUNCTIONALITY_NOT_ENABLED', `${what} is not emulated by the local org`);
