import type { AsyncCryptoBackend, Plaintext } from './crypto-backend.js';
import {
  FRAME_HEADER_LENGTH,
  FrameContext,
  OpenerBook,
  SealerCounter,
  type FrameDirection,
  type FrameOpenResult,
  type FrameOpenerStats,
} from './frame-format.js';

/**
 * {@link FrameSealer}'s twin over an {@link AsyncCryptoBackend} (WebCrypto in browsers), with
 * the same frame format byte for byte. The counter is taken when `seal` is called, so frames
 * carry counters in call order; a caller that sends them must send in that order too.
 */
export class AsyncFrameSealer {
  private readonly counter = new SealerCounter();
  private readonly context: FrameContext;

  constructor(
    sendKey: Uint8Array,
    sessionId: string,
    direction: FrameDirection,
    private readonly backend: AsyncCryptoBackend,
  ) {
    this.context = new FrameContext(sendKey, sessionId, direction);
  }

  /**
   * The frame carrying `plaintext`, after `prefix` when one is given (as FrameSealer.seal);
   * throws a ProgrammerError once the counter is used up.
   */
  async seal(plaintext: Plaintext, prefix?: Uint8Array): Promise<Uint8Array> {
    const { context } = this;
    const start = context.frameStart(prefix, this.counter);
    const { nonce, aad } = context.parametersAt(start, start.length - FRAME_HEADER_LENGTH);
    return this.backend.sealAes256Gcm(context.key, nonce, aad, plaintext, start);
  }
}

/**
 * {@link FrameOpener}'s twin over an {@link AsyncCryptoBackend}: the same checks and counts.
 * Calls may overlap; a frame whose counter another frame overtook while it was being opened is
 * dropped as replayed, so callers that need every frame open one at a time, in arrival order.
 */
export class AsyncFrameOpener {
  private readonly book: OpenerBook;
  private readonly context: FrameContext;

  /** `direction` is the direction of the frames this opener expects (the peer's to me). */
  constructor(
    receiveKey: Uint8Array,
    sessionId: string,
    direction: FrameDirection,
    private readonly backend: AsyncCryptoBackend,
  ) {
    this.context = new FrameContext(receiveKey, sessionId, direction);
    this.book = new OpenerBook(direction);
  }

  /** The plaintext and counter of `frame`, or why it was dropped. */
  async open(frame: Uint8Array): Promise<FrameOpenResult> {
    const early = this.book.check(frame);
    if (early !== undefined) return this.book.drop(early);

    const { nonce, aad } = this.context.parametersAt(frame, 0);
    const sealed = frame.subarray(FRAME_HEADER_LENGTH);
    const plaintext = await this.backend.openAes256Gcm(this.context.key, nonce, aad, sealed);
    return this.book.settle(frame, plaintext);
  }

  /** A snapshot of the counts so far. */
  stats(): FrameOpenerStats {
    return this.book.stats();
  }
}
