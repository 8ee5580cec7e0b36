import { MAX_INPUT_EVENTS, type InputEvent } from './remote-control-protocol.js';

/**
 * Gathers input events into `input` messages: everything pushed in one turn of the event loop
 * goes in one message (at most MAX_INPUT_EVENTS each), and pointer moves in a row collapse into
 * the last one, since only where the pointer ends up matters.
 */
export class InputBatcher {
  private queue: InputEvent[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private last: Promise<void> = Promise.resolve();

  constructor(private readonly sendBatch: (events: readonly InputEvent[]) => Promise<void>) {}

  push(event: InputEvent): void {
    const previous = this.queue[this.queue.length - 1];
    if (event.kind === 'move' && previous?.kind === 'move') this.queue.pop();
    this.queue.push(event);
    this.timer ??= setTimeout(() => void this.flush().catch(() => undefined), 0);
  }

  /** Sends what is queued now; resolves once every message sent so far was delivered. */
  flush(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const sends: Promise<void>[] = [this.last];
    while (this.queue.length > 0) {
      sends.push(this.sendBatch(this.queue.splice(0, MAX_INPUT_EVENTS)));
    }
    this.last = Promise.all(sends).then(() => undefined);
    return this.last;
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.queue = [];
  }
}
