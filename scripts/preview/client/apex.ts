/// <reference lib="dom" />

/**
 * `@salesforce/apex/Class.method` in the preview: each import is a function that calls the preview server
 * (`POST /apex/Class.method` with the parameters as JSON) and, as `.adapter`, a wire adapter built on that call, so
 * the same import works imperatively and with `@wire`, as on the platform. Like the platform's Apex adapter, a wire
 * does not call the server while a parameter is undefined. No client cache: refreshApex always calls again.
 */

type Params = Record<string, unknown>;

/** What a wire provisions: the shape `@wire(apexMethod)` receives on the platform. */
export interface WireValue {
  data?: unknown;
  error?: ApexError;
}

/** The error shape Apex calls reject with on the platform (reduceErrors reads body.message). */
export interface ApexError {
  status: number;
  statusText: string;
  ok: false;
  body: { message: string; exceptionType: string; isUserDefinedException: boolean; stackTrace: string };
}

const refreshers = new WeakMap<object, () => Promise<void>>();

/** Preview-only: `?synthetic=60x104` on the page asks the server for the synthetic heatmap dataset. */
const synthetic = new URLSearchParams(window.location.search).get('synthetic');

async function invoke(method: string, params: Params): Promise<unknown> {
  const query = synthetic ? `?synthetic=${encodeURIComponent(synthetic)}` : '';
  let response: Response;
  try {
    response = await fetch(`/apex/${encodeURIComponent(method)}${query}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(params)
    });
  } catch (cause) {
    throw apexError(0, 'Network error', `The preview server did not answer: ${String(cause)}`, 'NetworkError');
  }
  const body = (await response.json().catch(() => ({}))) as {
    result?: unknown;
    message?: string;
    exceptionType?: string;
  };
  if (!response.ok) {
    throw apexError(
      response.status,
      response.statusText,
      body.message ?? 'Unknown error',
      body.exceptionType ?? 'System.UnexpectedException'
    );
  }
  return body.result ?? null;
}

function apexError(status: number, statusText: string, message: string, exceptionType: string): ApexError {
  const isUserDefinedException = exceptionType === 'System.AuraHandledException';
  return { status, statusText, ok: false, body: { message, exceptionType, isUserDefinedException, stackTrace: '' } };
}

/** The wire adapter contract (constructor, update, connect, disconnect), backed by the imperative call. */
function wireAdapterOf(method: string) {
  return class ApexWireAdapter {
    private config: Params | undefined;
    private connected = false;
    private generation = 0;

    constructor(private readonly emit: (value: WireValue) => void) {}

    update(config: Params) {
      this.config = config;
      if (this.connected) void this.fetch();
    }

    connect() {
      this.connected = true;
    }

    disconnect() {
      this.connected = false;
      this.generation++;
    }

    private async fetch(): Promise<void> {
      const config = this.config ?? {};
      if (Object.values(config).some((value) => value === undefined)) return;
      const generation = ++this.generation;
      let value: WireValue;
      try {
        value = { data: await invoke(method, config), error: undefined };
      } catch (error) {
        value = { data: undefined, error: error as ApexError };
      }
      // A newer config (or a disconnect) supersedes this answer.
      if (generation !== this.generation) return;
      refreshers.set(value, () => this.fetch());
      this.emit(value);
    }
  };
}

/** The default export of `@salesforce/apex/Class.method`. */
export function apexMethod(method: string) {
  const call = (params: Params = {}) => invoke(method, params);
  return Object.assign(call, { adapter: wireAdapterOf(method) });
}

/** `refreshApex(wiredValue)` from `@salesforce/apex`: calls the server again for the wire that provisioned it. */
export function refreshApex(wired: unknown): Promise<void> {
  const refresh = typeof wired === 'object' && wired !== null ? refreshers.get(wired) : undefined;
  return refresh ? refresh() : Promise.resolve();
}

/** `getSObjectValue(record, field)` from `@salesforce/apex`. */
export function getSObjectValue(record: Record<string, unknown>, field: string | { fieldApiName: string }): unknown {
  const name = typeof field === 'string' ? field : field.fieldApiName;
  return name.split('.').reduce<unknown>((value, part) => (value as Record<string, unknown> | null)?.[part], record);
}
