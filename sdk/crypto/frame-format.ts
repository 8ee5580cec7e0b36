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

/** The nonce and associated data AES-GCM seals or opens one frame with. */
export interface FrameParameters {
  readonly nonce: Uint8Array;
  readonly aad: Uint8Array;
}

/** The key, session and direction of one sealer or opener, checked once. */
export class FrameContext {
  readonly key: Uint8Array;
  private readonly sessionBytes: Uint8Array;
  /** The nonce and AAD {@link reusedParametersAt} writes over each time. */
  private readonly reused: FrameParameters;

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

  /**
   * Writes the header `version ‖ direction ‖ counter` into `target` at `offset`, taking the
   * next counter from `counter`.
   */
  writeHeader(target: Uint8Array, offset: number, counter: SealerCounter): void {
    target[offset] = FRAME_VERSION;
    target[offset + 1] = this.direction;
    counter.takeInto(target, offset + 2);
  }

  /** `prefix ‖ header` of the next frame, in one new buffer. */
  frameStart(prefix: Uint8Array | undefined, counter: SealerCounter): Uint8Array {
    const at = prefix?.length ?? 0;
    const start = new Uint8Array(at + FRAME_HEADER_LENGTH);
    if (prefix !== undefined) start.set(prefix);
    this.writeHeader(start, at, counter);
    return start;
  }

  /**
   * Nonce `00 00 00 direction ‖ counter` and AAD `header ‖ UTF-8 sessionId` of the frame whose
   * header is at `offset` in `bytes`, in a new nonce and AAD.
   */
  parametersAt(bytes: Uint8Array, offset: number): FrameParameters {
    return fillParameters(bytes, offset, this.emptyParameters());
  }

  /**
   * {@link parametersAt} written into a nonce and an AAD this context keeps and overwrites on
   * the next call: only for a synchronous backend, which is done with them when it returns.
   * Saves allocating both for every frame sealed or opened.
   */
  reusedParametersAt(bytes: Uint8Array, offset: number): FrameParameters {
    return fillParameters(bytes, offset, this.reused);
  }

  /** A zero nonce, and an AAD whose header part is zero and the session id already in place. */
  private emptyParameters(): FrameParameters {
    const aad = new Uint8Array(FRAME_HEADER_LENGTH + this.sessionBytes.length);
    aad.set(this.sessionBytes, FRAME_HEADER_LENGTH);
    return { nonce: new Uint8Array(12), aad };
  }
}

/** Writes the part of `parameters` that comes from the header at `offset` in `bytes`. */
function fillParameters(
  bytes: Uint8Array,
  offset: number,
  parameters: FrameParameters,
): FrameParameters {
  const { nonce, aad } = parameters;
  nonce[3] = bytes[offset + 1]!;
  for (let i = 2; i < FRAME_HEADER_LENGTH; i++) nonce[i + 2] = bytes[offset + i]!;
  for (let i = 0; i < FRAME_HEADER_LENGTH; i++) aad[i] = bytes[offset + i]!;
  return parameters;
}

function writeUint32(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value >>> 24;
  bytes[offset + 1] = (value >>> 16) & 0xff;
  bytes[offset + 2] = (value >>> 8) & 0xff;
  bytes[offset + 3] = value & 0xff;
}

function readUint32(bytes: Uint8Array, offset: number): number {
  return (
    bytes[offset]! * 0x100_0000 +
    ((bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!)
  );
}

/**
 * The counter a sealer uses next; refuses to go past {@link MAX_FRAME_COUNTER}. Kept as two
 * 32-bit halves, so that taking one allocates nothing.
 */
export class SealerCounter {
  /** The halves of the last counter taken; both 0 before the first. */
  private high = 0;
  private low = 0;

  /**
   * Takes the next counter and writes it big-endian into `target` at `offset` (8 bytes);
   * throws a ProgrammerError once they are used up.
   */
  takeInto(target: Uint8Array, offset: number): void {
    if (this.low === 0xffff_ffff) {
      if (this.high === 0xffff_ffff) {
        throw new ProgrammerError('the frame counter is used up; derive new keys');
      }
      this.high++;
      this.low = 0;
    } else {
      this.low++;
    }
    writeUint32(target, offset, this.high);
    writeUint32(target, offset + 4, this.low);
  }
}

/**
 * The bookkeeping of one opener: the last accepted counter and the counts. `check` gives the
 * reason to drop a frame before decrypting it (cheap checks, and an old counter is refused
 * either way); `accept` is called only after the tag verified.
 */
export class OpenerBook {
  /** The last accepted counter, in two 32-bit halves: comparing them allocates nothing. */
  private lastHigh = 0;
  private lastLow = 0;
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
    if (!this.isAfterLast(frame)) return 'replayed';
    return undefined;
  }

  /** Records an authenticated frame; `undefined` plaintext counts it as forged instead. */
  settle(frame: Uint8Array, plaintext: Uint8Array | undefined): FrameOpenResult {
    if (plaintext === undefined) return this.drop('forged');
    // An async opener may have accepted a later frame meanwhile: the counter rule still holds.
    if (!this.isAfterLast(frame)) return this.drop('replayed');
    this.lastHigh = readUint32(frame, 2);
    this.lastLow = readUint32(frame, 6);
    this.opened++;
    return { ok: true, counter: counterOf(this.lastHigh, this.lastLow), plaintext };
  }

  drop(reason: FrameDropReason): FrameOpenResult {
    this.dropped[reason]++;
    return { ok: false, reason };
  }

  stats(): FrameOpenerStats {
    return { opened: this.opened, dropped: { ...this.dropped } };
  }

  /** Whether the counter of `frame` (header checked) is above the last accepted one. */
  private isAfterLast(frame: Uint8Array): boolean {
    const high = readUint32(frame, 2);
    if (high !== this.lastHigh) return high > this.lastHigh;
    return readUint32(frame, 6) > this.lastLow;
  }
}

/** The counter whose halves are `high` and `low`; one small BigInt below 2^32. */
function counterOf(high: number, low: number): bigint {
  return high === 0 ? BigInt(low) : (BigInt(high) << 32n) | BigInt(low);
}
