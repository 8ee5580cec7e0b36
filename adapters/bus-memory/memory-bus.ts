import type { Bus, BusHandler, BusMessage } from '../../engine/contracts/bus-contract.js';
import { toDisposable, type Disposable } from '../../engine/contracts/disposable.js';
import type { Logger } from '../../engine/contracts/logger-contract.js';

/**
 * The bus of a single node. It behaves as the Redis bus does, so code tested on one node holds
 * in a cluster: delivery is asynchronous, each handler gets its own copy, a handler's failure is
 * logged and reaches neither the publisher nor the other handlers.
 */
export class MemoryBus implements Bus {
  private readonly topics = new Map<string, Set<BusHandler>>();

  constructor(private readonly logger: Logger) {}

  async publish(topic: string, message: BusMessage): Promise<void> {
    const handlers = this.topics.get(topic);
    if (!handlers || handlers.size === 0) return;
    for (const handler of [...handlers]) {
      // A Uint8Array is copied byte for byte: structuredClone would copy its whole backing
      // buffer, which for a small Buffer is Node's shared pool with other data in it.
      const copy =
        message instanceof Uint8Array ? new Uint8Array(message) : structuredClone(message);
      // A handler disposed after this publish but before delivery is not called.
      queueMicrotask(() => handlers.has(handler) && this.deliver(handler, copy, topic));
    }
  }

  async subscribe(topic: string, handler: BusHandler): Promise<Disposable> {
    const handlers = this.topics.get(topic) ?? new Set<BusHandler>();
    this.topics.set(topic, handlers);
    const entry: BusHandler = (message, from) => handler(message, from);
    handlers.add(entry);
    return toDisposable(() => {
      handlers.delete(entry);
      if (handlers.size === 0) this.topics.delete(topic);
    });
  }

  private deliver(handler: BusHandler, message: BusMessage, topic: string): void {
    const failed = (error: unknown) =>
      this.logger.error({ err: error, topic }, 'bus handler failed');
    try {
      Promise.resolve(handler(message, topic)).catch(failed);
    } catch (error) {
      failed(error);
    }
  }
}
