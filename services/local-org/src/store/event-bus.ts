/** A platform event as a subscriber receives it: its Id, the order it was published in, and its field values. */
export interface DeliveredEvent {
  id: string;
  /** Position in the org's event stream (increasing, like a replay id). */
  replayId: number;
  payload: Record<string, unknown>;
  publishedAt: string;
}

/** Receives one batch of events; may be async (the next batch waits for it, as a trigger's batches run in order). */
export type EventHandler = (events: DeliveredEvent[]) => void | Promise<void>;

export interface SubscribeOptions {
  /**
   * Most events per batch. 200 is what `npm run org:subscriber` configures for the Handoff subscriber
   * (PlatformEventSubscriberConfig BatchSize); the platform's own default for Apex triggers is 2,000.
   */
  batchSize?: number;
}

/** A batch whose handler threw: the platform drops such a batch (no retry without EventBus.RetryableException). */
export interface DeliveryFailure {
  object: string;
  events: number;
  message: string;
}

interface Subscriber {
  /** The event's API name as subscribed. */
  name: string;
  object: string;
  handler: EventHandler;
  batchSize: number;
  queue: DeliveredEvent[];
  draining?: Promise<void>;
  active: boolean;
}

/**
 * The local org's platform event delivery. Events are handed to the bus once the transaction that published them
 * commits (Publish After Commit; a rolled-back transaction publishes nothing), then delivered asynchronously, in
 * publication order, in batches of at most `batchSize`: the publishing request is answered before any subscriber
 * runs, as in Salesforce, where a platform event trigger runs in its own transaction after the publisher's.
 */
export class EventBus {
  private readonly subscribers: Subscriber[] = [];
  private sequence = 0;
  /** Batches whose handler threw, with the error (the local org's stand-in for the subscriber's error log). */
  readonly failures: DeliveryFailure[] = [];

  /** Delivers every event of `objectName` published (committed) from now on to `handler`; returns an unsubscribe. */
  subscribe(objectName: string, handler: EventHandler, options: SubscribeOptions = {}): () => void {
    const batchSize = options.batchSize ?? 200;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 2000) {
      throw new RangeError(`batchSize must be an integer from 1 to 2000 (got ${batchSize})`);
    }
    const subscriber: Subscriber = {
      name: objectName,
      object: objectName.toLowerCase(),
      handler,
      batchSize,
      queue: [],
      active: true
    };
    this.subscribers.push(subscriber);
    return () => {
      subscriber.active = false;
      subscriber.queue.length = 0;
      const index = this.subscribers.indexOf(subscriber);
      if (index >= 0) this.subscribers.splice(index, 1);
    };
  }

  /** Called by the store once the publishing transaction has committed. */
  published(objectName: string, event: Omit<DeliveredEvent, 'replayId'>): void {
    const replayId = ++this.sequence;
    for (const subscriber of this.subscribers) {
      if (subscriber.object !== objectName.toLowerCase()) continue;
      subscriber.queue.push({ ...event, replayId });
      subscriber.draining ??= this.drain(subscriber);
    }
  }

  /** Resolves when every event published so far has been delivered and its handler has finished. */
  async idle(): Promise<void> {
    for (;;) {
      const busy = this.subscribers.map((subscriber) => subscriber.draining).filter((draining) => draining);
      if (busy.length === 0) return;
      await Promise.all(busy);
    }
  }

  private async drain(subscriber: Subscriber): Promise<void> {
    try {
      // Wait for the current task to finish: everything the same request commits joins the first batch.
      await new Promise((resolve) => setImmediate(resolve));
      while (subscriber.active && subscriber.queue.length > 0) {
        const batch = subscriber.queue.splice(0, subscriber.batchSize);
        try {
          await subscriber.handler(batch);
        } catch (error) {
          this.failures.push({
            object: subscriber.name,
            events: batch.length,
            message: error instanceof Error ? error.message : String(error)
          });
        }
      }
    } finally {
      subscriber.draining = undefined;
    }
  }
}
