import type { CryptoBackend, Plaintext } from './crypto-backend.js';
import {
  FRAME_HEADER_LENGTH,
  FrameContext,
  OpenerBook,
  SealerCounter,
  type FrameDirection,
  type FrameOpenResult,
  type FrameOpenerStats,
} from './frame-format.js';
import { nodeCryptoBackend } from './node-crypto-backend.js';

export {
  FRAME_HEADER_LENGTH,
  FRAME_TAG_LENGTH,
  FRAME_VERSION,
  MAX_FRAME_COUNTER,
  frameDirection,
  type FrameDirection,
  type FrameDropReason,
  type FrameOpenResult,
  type FrameOpenerStats,
} from './frame-format.js';

/**
 * Seals the frames one participant sends to one peer, under the sendKey of that pair:
 * `version ‖ direction ‖ counter ‖ AES-256-GCM(ciphertext) ‖ tag`, with the nonce
 * `00 00 00 direction ‖ counter` and the header plus the UTF-8 session id as associated data.
 * Counters start at 1 and only grow, so a key never sees the same nonce twice.
 */
export class FrameSealer {
  private readonly counter = new SealerCounter();
  private readonly context: FrameContext;
  /** `prefix ‖ header` of the last frame, written over for the next one of the same length. */
  private start = new Uint8Array(FRAME_HEADER_LENGTH);

  constructor(
    sendKey: Uint8Array,
    sessionId: string,
    direction: FrameDirection,
    private readonly backend: CryptoBackend = nodeCryptoBackend,
  ) {
    this.context = new FrameContext(sendKey, sessionId, direction);
  }

  /**
   * The frame carrying `plaintext`; throws a ProgrammerError once the counter is used up. With a
   * `prefix` (a relay envelope's header, say), returns `prefix ‖ frame` in one buffer, so a large
   * frame is not copied again to put a few bytes before it; the prefix is not authenticated.
   */
  seal(plaintext: Plaintext, prefix?: Uint8Array): Uint8Array {
    const { context } = this;
    const start = this.startAfter(prefix);
    const at = start.length - FRAME_HEADER_LENGTH;
    context.writeHeader(start, at, this.counter);
    const { nonce, aad } = context.reusedParametersAt(start, at);
    // The backend copies `start` before it returns, so the next frame may write over it.
    return this.backend.sealAes256Gcm(context.key, nonce, aad, plaintext, start);
  }

  /** The reused start buffer with `prefix` copied in, made anew only when its length changes. */
  private startAfter(prefix: Uint8Array | undefined): Uint8Array {
    const length = (prefix?.length ?? 0) + FRAME_HEADER_LENGTH;
    if (this.start.length !== length) this.start = new Uint8Array(length);
    if (prefix !== undefined) this.start.set(prefix);
    return this.start;
  }
}

/**
 * Opens the frames one peer sends, under the receiveKey of the pair. A frame is accepted only
 * when it authenticates and its counter is above every counter accepted before, so replayed,
 * reordered and forged frames are dropped with a reason and counted; a dropped frame changes
 * nothing. There is no plaintext fallback: an unauthenticated byte is never returned.
 */
export class FrameOpener {
  private readonly book: OpenerBook;
  private readonly context: FrameContext;

  /** `direction` is the direction of the frames this opener expects (the peer's to me). */
  constructor(
    receiveKey: Uint8Array,
    sessionId: string,
    direction: FrameDirection,
    private readonly backend: CryptoBackend = nodeCryptoBackend,
  ) {
    this.context = new FrameContext(receiveKey, sessionId, direction);
    this.book = new OpenerBook(direction);
  }

  /** The plaintext and counter of `frame`, or why it was dropped. */
  open(frame: Uint8Array): FrameOpenResult {
    const early = this.book.check(frame);
    if (early !== undefined) return this.book.drop(early);

    const { context } = this;
    const { nonce, aad } = context.reusedParametersAt(frame, 0);
    const sealed = frame.subarray(FRAME_HEADER_LENGTH);
    return this.book.settle(frame, this.backend.openAes256Gcm(context.key, nonce, aad, sealed));
  }

  /** A snapshot of the counts so far. */
  stats(): FrameOpenerStats {
    return this.book.stats();
  }
}
