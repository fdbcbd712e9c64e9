import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One message the receiver applied. */
export interface Applied {
  key: string;
  topic: string;
  payloadVersion: number;
  message: string;
  payload: unknown;
  appliedAt: string;
}

/**
 * Faults the receiver injects into its next answers, for consumer tests: `fail` answers 500 without applying,
 * `failAfterApply` applies then answers 500 (the consumer must retry and the retry must not apply twice), `hang`
 * never answers, `dropMidResponse` applies, sends the headers and half the body, then destroys the socket.
 */
export interface ReceiverFaults {
  fail?: number;
  failAfterApply?: number;
  hang?: number;
  dropMidResponse?: number;
}

export interface Receiver {
  readonly url: string;
  /** What was applied, once per key, in order. */
  readonly applied: Applied[];
  /** POSTs received, duplicates and faulted ones included. */
  readonly received: number;
  /** Keys answered as duplicates (already applied). */
  readonly duplicates: number;
  readonly faults: ReceiverFaults;
  close(): Promise<void>;
}

export interface ReceiverOptions {
  port?: number;
  /** Payload versions it understands per topic; another version is refused with 422 (default: version 1 of any topic). */
  versions?: (topic: string, version: number) => boolean;
  /** Called once per newly applied message (the CLI prints it). */
  onApply?: (applied: Applied) => void;
}

/**
 * The reference receiving endpoint: POST / with an `Idempotency-Key` header and the outbox envelope as JSON. A key
 * seen for the first time is applied and answered 200 `{"status":"applied"}`; a key already applied is answered 200
 * `{"status":"duplicate"}` with `Idempotent-Replayed: true` and applied no second time. Keys are kept in memory here;
 * a real consumer keeps them in the same transaction as the change the message makes.
 */
export async function startReceiver(options: ReceiverOptions = {}): Promise<Receiver> {
  const byKey = new Map<string, Applied>();
  const applied: Applied[] = [];
  const faults: ReceiverFaults = {};
  let received = 0;
  let duplicates = 0;
  const versions = options.versions ?? ((_topic: string, version: number) => version === 1);
  const take = (name: keyof ReceiverFaults) => {
    if (!faults[name]) return false;
    faults[name]! -= 1;
    return true;
  };
  const sockets = new Set<import('node:net').Socket>();

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received++;
      const answer = (status: number, body: object, headers: Record<string, string> = {}) => {
        response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
        response.end(JSON.stringify(body));
      };
      if (request.method !== 'POST') return answer(405, { error: 'POST the message' });
      const key = request.headers['idempotency-key'];
      if (typeof key !== 'string' || key === '')
        return answer(400, { error: 'the Idempotency-Key header is required' });
      let envelope: Partial<Applied> & { idempotencyKey?: string };
      try {
        envelope = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof envelope;
      } catch {
        return answer(400, { error: 'the body is not JSON' });
      }
      if (envelope.idempotencyKey !== key) {
        return answer(400, { error: 'the body idempotencyKey differs from the Idempotency-Key header' });
      }
      if (!versions(String(envelope.topic), Number(envelope.payloadVersion))) {
        return answer(422, { error: `payload version ${envelope.payloadVersion} of ${envelope.topic} is not known` });
      }
      if (take('hang')) return; // never answers: the consumer's timeout ends the attempt
      if (take('fail')) return answer(500, { error: 'injected failure' });
      const duplicate = byKey.has(key);
      if (!duplicate) {
        const entry: Applied = {
          key,
          topic: String(envelope.topic),
          payloadVersion: Number(envelope.payloadVersion),
          message: String(envelope.message),
          payload: envelope.payload,
          appliedAt: new Date().toISOString()
        };
        byKey.set(key, entry);
        applied.push(entry);
        options.onApply?.(entry);
      } else {
        duplicates++;
      }
      if (take('failAfterApply')) return answer(500, { error: 'injected failure after applying' });
      if (take('dropMidResponse')) {
        const body = JSON.stringify({ status: duplicate ? 'duplicate' : 'applied', key, padding: 'x'.repeat(2048) });
        response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(body.length) });
        response.write(body.slice(0, body.length / 2), () => response.socket?.destroy());
        return;
      }
      answer(
        200,
        { status: duplicate ? 'duplicate' : 'applied', key },
        duplicate ? { 'Idempotent-Replayed': 'true' } : {}
      );
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    applied,
    get received() {
      return received;
    },
    get duplicates() {
      return duplicates;
    },
    faults,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      })
  };
}
