import type { WebSocket } from 'ws';

/** The part of ws's (8.x) message parser this touches: not public API, so checked before use. */
interface FragmentsHolder {
  _fragments: unknown[];
}

/**
 * Keeps the relay's received messages out of V8's old generation. After each message, ws's
 * parser puts a new empty array in its place for the next message's pieces, and that array
 * waits until the next message arrives, a second or more on a quiet connection: long enough to
 * reach V8's old generation. Once the next message is pushed into it and it is dropped, the
 * young-generation collector cannot tell that the old array is dead and keeps what it points to:
 * the message, its buffer and the TLS read chunk behind it, which are then promoted. Measured
 * in the round-trip bench, nearly every relayed message was, and every young-generation
 * collection copied them.
 *
 * This gives the parser one array for the connection's whole life instead, emptied after each
 * message: it is never dead while it points at a message.
 */
export class ReceiverFragments {
  private readonly fragments: unknown[] = [];

  private constructor(private readonly receiver: FragmentsHolder) {}

  /**
   * For `ws`'s parser; undefined when ws keeps its pieces otherwise (another ws version) or hands
   * them out as they are (`binaryType` 'fragments').
   */
  static of(ws: WebSocket): ReceiverFragments | undefined {
    const receiver = (ws as unknown as { _receiver?: Partial<FragmentsHolder> })._receiver;
    if (ws.binaryType === 'fragments' || !Array.isArray(receiver?._fragments)) return undefined;
    return new ReceiverFragments(receiver as FragmentsHolder);
  }

  /**
   * To be called from a `message` listener, once the message was handed over. ws emits it
   * before it reads further, so the parser's array is still empty then; if it is not (ws changed
   * how it emits), it is left alone and nothing is lost.
   */
  reset(): void {
    if (this.receiver._fragments.length !== 0) return;
    this.fragments.length = 0;
    this.receiver._fragments = this.fragments;
  }
}
