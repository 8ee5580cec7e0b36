import type { WebSocket } from 'ws';
import {
  MAX_SENDER_HOLD_MS,
  MAX_UNSENT_BYTES,
  RELAY_HIGH_WATER_BYTES,
} from './gateway-protocol.js';

/**
 * How relayed frames are written to one recipient connection. Below RELAY_HIGH_WATER_BYTES
 * unsent, a frame is just written. Above it, `send` returns a promise that settles once that
 * frame is written (or after MAX_SENDER_HOLD_MS): the sender is held until then, so a fast
 * sender and a slower recipient keep frames in TCP buffers and the engine's memory stays small.
 * A recipient that writes nothing within the hold is stalled: it holds no sender until a write
 * completes, and above MAX_UNSENT_BYTES its frames are dropped (the records layer resends them).
 */
export class RecipientFlow {
  private stalled = false;
  private readonly progressed = () => void (this.stalled = false);

  /** `dropped` counts the frames dropped for this recipient. */
  constructor(
    private readonly ws: WebSocket,
    private readonly dropped: { inc(): void },
  ) {}

  /** Writes (or drops) `message`; a promise when the sender should wait until it settles. */
  send(message: Uint8Array): Promise<void> | undefined {
    const unsent = this.ws.bufferedAmount;
    if (unsent > MAX_UNSENT_BYTES) return void this.dropped.inc();
    if (this.stalled) return void this.ws.send(message, this.progressed);
    if (unsent < RELAY_HIGH_WATER_BYTES) return void this.ws.send(message);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.stalled = true;
        resolve();
      }, MAX_SENDER_HOLD_MS);
      this.ws.send(message, () => {
        clearTimeout(timer);
        this.stalled = false;
        resolve();
      });
    });
  }
}
