import type { Bus, BusMessage } from '../contracts/bus-contract.js';
import type { Disposable } from '../contracts/disposable.js';
import type { Logger } from '../contracts/logger-contract.js';

/** Where a queue change goes: a watching connection. */
export interface QueueSink {
  sendText(text: string): void;
}

interface Topic {
  readonly sinks: Set<QueueSink>;
  readonly subscription: Promise<Disposable | undefined>;
}

/**
 * The node's queue watchers: one bus subscription per group topic however many consoles watch
 * it, dropped when the last one leaves. A change is encoded once and sent to every watcher.
 */
export class QueueWatchers {
  private readonly topics = new Map<string, Topic>();

  constructor(
    private readonly bus: Bus,
    private readonly logger: Logger,
  ) {}

  /** Starts sending `sink` the changes on `topics`; resolves once they are subscribed. */
  async add(sink: QueueSink, topics: readonly string[]): Promise<void> {
    const subscribed: Promise<Disposable | undefined>[] = [];
    for (const name of topics) {
      const topic = this.topics.get(name) ?? this.open(name);
      topic.sinks.add(sink);
      subscribed.push(topic.subscription);
    }
    await Promise.all(subscribed);
  }

  /** Stops sending `sink` anything; a topic nobody watches any more is unsubscribed. */
  remove(sink: QueueSink, topics: readonly string[]): void {
    for (const name of topics) {
      const topic = this.topics.get(name);
      if (!topic) continue;
      topic.sinks.delete(sink);
      if (topic.sinks.size === 0) this.close(name, topic);
    }
  }

  /** Drops every subscription (the gateway is stopping). */
  async dispose(): Promise<void> {
    const all = [...this.topics.entries()];
    this.topics.clear();
    await Promise.all(all.map(async ([, topic]) => (await topic.subscription)?.dispose()));
  }

  private open(name: string): Topic {
    const sinks = new Set<QueueSink>();
    const subscription = this.bus
      .subscribe(name, (message) => this.forward(sinks, message))
      .catch((error: unknown) => {
        this.logger.error({ err: error }, 'queue subscription failed');
        return undefined;
      });
    const topic = { sinks, subscription };
    this.topics.set(name, topic);
    return topic;
  }

  private close(name: string, topic: Topic): void {
    this.topics.delete(name);
    void topic.subscription.then((subscription) => subscription?.dispose());
  }

  private forward(sinks: ReadonlySet<QueueSink>, message: BusMessage): void {
    if (!isQueueChange(message)) {
      this.logger.warn({}, 'dropped a malformed queue change from the bus');
      return;
    }
    const text = JSON.stringify(message);
    for (const sink of sinks) sink.sendText(text);
  }
}

function isQueueChange(message: BusMessage): boolean {
  if (typeof message !== 'object' || message === null || message instanceof Uint8Array) {
    return false;
  }
  const fields = message as Record<string, unknown>;
  return fields.t === 'queue' && typeof fields.groupId === 'string';
}
