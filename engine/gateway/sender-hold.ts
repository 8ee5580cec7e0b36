import type { WebSocket } from 'ws';

/**
 * Stops reading one sender's socket while a recipient of its frames catches up: frames then
 * wait in TCP buffers, and the sender's own client sees its socket fill and waits in turn.
 */
export class SenderHold {
  private latest: Promise<void> | undefined;

  /** `holds` counts each time the sender's socket is paused. */
  constructor(
    private readonly ws: WebSocket,
    private readonly holds: { inc(): void },
  ) {}

  /** Holds the sender until `room` settles (the latest of several holds wins). */
  hold(room: Promise<void>): void {
    this.latest = room;
    if (!this.ws.isPaused) {
      this.ws.pause();
      this.holds.inc();
    }
    void room.then(() => {
      if (this.latest !== room) return;
      this.latest = undefined;
      this.ws.resume();
    });
  }
}
