import { toDisposable, type Disposable } from '../../engine/contracts/disposable.js';
import type { SessionLogger } from './session-logger.js';

/** Receives the body of a record on one channel, and who sent it. */
export type ChannelHandler = (body: Uint8Array, from: string) => void;

/** The handlers of a session client's channels; a throwing handler does not stop the others. */
export class ChannelHandlers {
  private readonly handlers = new Map<string, Set<ChannelHandler>>();

  constructor(private readonly logger: SessionLogger) {}

  /** Calls `handler` for each record on `channel`, until disposed. */
  on(channel: string, handler: ChannelHandler): Disposable {
    let set = this.handlers.get(channel);
    if (set === undefined) this.handlers.set(channel, (set = new Set()));
    set.add(handler);
    return toDisposable(() => {
      set.delete(handler);
    });
  }

  /** Hands a delivered record to every handler of its channel. */
  deliver(from: string, channel: string, body: Uint8Array): void {
    for (const handler of [...(this.handlers.get(channel) ?? [])]) {
      try {
        handler(body, from);
      } catch (error) {
        this.logger.warn({ channel, err: String(error) }, 'a channel handler threw');
      }
    }
  }
}
