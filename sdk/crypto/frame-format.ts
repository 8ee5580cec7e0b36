// The one definition of the frame layout, shared by the synchronous sealer and opener
// (frame-cipher.ts) and their asynchronous twins (async-frame-cipher.ts). Nothing here imports a
// backend, so browsers can use it without node:crypto.
import { ProgrammerError } from '../../engine/errors.js';
import { utf8 } from './bytes.js';

/** Format version written in the first byte of every frame. */
export const FRAME_VERSION = 1;
/** Bytes before the ciphertext: version (1), direction (1), counter (8, big-endian). */
export const FRAME_HEADER_LENGTH = 10;
/** Bytes of the AES-GCM tag that ends every frame. */
export const FRAME_TAG_LENGTH = 16;
/** The last counter a sealer may use; after it the sealer refuses to seal. */
export const MAX_FRAME_COUNTER = 2n ** 64n - 1n;

/**
 * Which way a frame travels within a pair: 0 from the participant whose id sorts first (UTF-16
 * code-unit order) to the other, 1 the other way. Derived from ids rather than roles, so a pair
 * of two technicians gets two directions as well.
 */
export type FrameDirection = 0 | 1;

/** Why an opener dropped a frame. */
export type FrameDropReason =
  'truncated' | 'bad-version' | 'wrong-direction' | 'replayed' | 'forged';

/** The result of opening one frame; a dropped frame leaves the opener as it was. */
export type FrameOpenResult =
  | { readonly ok: true; readonly counter: bigint; readonly plaintext: Uint8Array }
  | { readonly ok: false; readonly reason: FrameDropReason };

/** How many frames an opener accepted, and how many it dropped for each reason. */
export interface FrameOpenerStats {
  readonly opened: number;
  readonly dropped: Readonly<Record<FrameDropReason, number>>;
}

/** The direction of frames sent from `fromParticipantId` to `toParticipantId`. */
export function frameDirection(fromParticipantId: string, toParticipantId: string): FrameDirection {
  if (fromParticipantId === toParticipantId) {
    throw new ProgrammerError('a frame direction needs two different participants');
  }
  return fromParticipantId < toParticipantId ? 0 : 1;
}

/** What AES-GCM needs to seal or open one frame, derived from its header. */
export interface FrameParameters {
  readonly header: Uint8Array;
  readonly nonce: Uint8Array;
  readonly aad: Uint8Array;
}

/** The key, session and direction of one sealer or opener, checked once. */
export class FrameContext {
  readonly key: Uint8Array;
  private readonly sessionBytes: Uint8Array;
  /** The nonce and AAD {@link reusedParametersOf} writes over each time. */
  private readonly reused: { readonly nonce: Uint8Array; readonly aad: Uint8Array };

  constructor(
    key: Uint8Array,
    sessionId: string,
    readonly direction: FrameDirection,
  ) {
    if (key.length !== 32) throw new ProgrammerError('an AES-256-GCM key is 32 bytes');
    if (sessionId.length === 0) throw new ProgrammerError('a frame cipher needs a session id');
    if (direction !== 0 && direction !== 1) throw new ProgrammerError('direction is 0 or 1');
    this.key = Uint8Array.from(key);
    this.sessionBytes = utf8(sessionId);
    this.reused = this.emptyParameters();
  }

  /** The header `version ‖ direction ‖ counter` of the frame with `counter`. */
  headerFor(counter: bigint): Uint8Array {
    const header = new Uint8Array(FRAME_HEADER_LENGTH);
    header[0] = FRAME_VERSION;
    header[1] = this.direction;
    // Two 32-bit halves: a DataView would move this small array's bytes off the heap.
    writeUint32(header, 2, Number(counter >> 32n));
    writeUint32(header, 6, Number(counter & 0xffff_ffffn));
    return header;
  }

  /** Header, nonce and associated data of the frame with `counter`. */
  parametersFor(counter: bigint): FrameParameters {
    return this.parametersOf(this.headerFor(counter));
  }

  /** Nonce `00 00 00 direction ‖ counter` and AAD `header ‖ UTF-8 sessionId` of `header`. */
  parametersOf(header: Uint8Array): FrameParameters {
    return fillParameters(header, this.emptyParameters());
  }

  /**
   * {@link parametersOf} written into a nonce and an AAD this context keeps and overwrites on
   * the next call: only for a synchronous backend, which is done with them when it returns.
   * Saves allocating both for every frame sealed or opened.
   */
  reusedParametersOf(header: Uint8Array): FrameParameters {
    return fillParameters(header, this.reused);
  }

  /** A zero nonce, and an AAD whose header part is zero and the session id already in place. */
  private emptyParameters() {
    const aad = new Uint8Array(FRAME_HEADER_LENGTH + this.sessionBytes.length);
    aad.set(this.sessionBytes, FRAME_HEADER_LENGTH);
    return { nonce: new Uint8Array(12), aad };
  }
}

/** Writes `header`'s part of the nonce and the AAD. */
function fillParameters(
  header: Uint8Array,
  { nonce, aad }: { readonly nonce: Uint8Array; readonly aad: Uint8Array },
): FrameParameters {
  nonce[3] = header[1]!;
  for (let i = 2; i < FRAME_HEADER_LENGTH; i++) nonce[i + 2] = header[i]!;
  for (let i = 0; i < FRAME_HEADER_LENGTH; i++) aad[i] = header[i]!;
  return { header, nonce, aad };
}

function writeUint32(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value >>> 24;
  bytes[offset + 1] = (value >>> 16) & 0xff;
  bytes[offset + 2] = (value >>> 8) & 0xff;
  bytes[offset + 3] = value & 0xff;
}

/** The counter a sealer uses next; refuses to go past {@link MAX_FRAME_COUNTER}. */
export class SealerCounter {
  private last = 0n;

  /** Takes the next counter; throws a ProgrammerError once they are used up. */
  next(): bigint {
    if (this.last >= MAX_FRAME_COUNTER) {
      throw new ProgrammerError('the frame counter is used up; derive new keys');
    }
    this.last += 1n;
    return this.last;
  }
}

/**
 * The bookkeeping of one opener: the last accepted counter and the counts. `check` gives the
 * reason to drop a frame before decrypting it (cheap checks, and an old counter is refused
 * either way); `accept` is called only after the tag verified.
 */
export class OpenerBook {
  private lastCounter = 0n;
  private opened = 0;
  private readonly dropped: Record<FrameDropReason, number> = {
    truncated: 0,
    'bad-version': 0,
    'wrong-direction': 0,
    replayed: 0,
    forged: 0,
  };

  constructor(private readonly direction: FrameDirection) {}

  /** Why `frame` must be dropped without decrypting, or `undefined`. */
  check(frame: Uint8Array): FrameDropReason | undefined {
    if (frame.length < FRAME_HEADER_LENGTH + FRAME_TAG_LENGTH) return 'truncated';
    if (frame[0] !== FRAME_VERSION) return 'bad-version';
    if (frame[1] !== this.direction) return 'wrong-direction';
    if (counterOf(frame) <= this.lastCounter) return 'replayed';
    return undefined;
  }

  /** Records an authenticated frame; `undefined` plaintext counts it as forged instead. */
  settle(frame: Uint8Array, plaintext: Uint8Array | undefined): FrameOpenResult {
    if (plaintext === undefined) return this.drop('forged');
    const counter = counterOf(frame);
    // An async opener may have accepted a later frame meanwhile: the counter rule still holds.
    if (counter <= this.lastCounter) return this.drop('replayed');
    this.lastCounter = counter;
    this.opened++;
    return { ok: true, counter, plaintext };
  }

  drop(reason: FrameDropReason): FrameOpenResult {
    this.dropped[reason]++;
    return { ok: false, reason };
  }

  stats(): FrameOpenerStats {
    return { opened: this.opened, dropped: { ...this.dropped } };
  }
}

function counterOf(frame: Uint8Array): bigint {
  return new DataView(frame.buffer, frame.byteOffset, FRAME_HEADER_LENGTH).getBigUint64(2, false);
}
