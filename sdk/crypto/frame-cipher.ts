import { ProgrammerError } from '../../engine/errors.js';
import { concatBytes, utf8 } from './bytes.js';
import type { CryptoBackend } from './crypto-backend.js';
import { nodeCryptoBackend } from './node-crypto-backend.js';

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

/** Why {@link FrameOpener.open} dropped a frame. */
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

/**
 * Seals the frames one participant sends to one peer, under the sendKey of that pair:
 * `version ‖ direction ‖ counter ‖ AES-256-GCM(ciphertext) ‖ tag`, with the nonce
 * `00 00 00 direction ‖ counter` and the header plus the UTF-8 session id as associated data.
 * Counters start at 1 and only grow, so a key never sees the same nonce twice.
 */
export class FrameSealer {
  private lastCounter = 0n;
  private readonly key: Uint8Array;
  private readonly sessionBytes: Uint8Array;

  constructor(
    sendKey: Uint8Array,
    sessionId: string,
    private readonly direction: FrameDirection,
    private readonly backend: CryptoBackend = nodeCryptoBackend,
  ) {
    this.key = checkedKey(sendKey);
    this.sessionBytes = checkedSession(sessionId, direction);
  }

  /** The frame carrying `plaintext`; throws a ProgrammerError once the counter is used up. */
  seal(plaintext: Uint8Array): Uint8Array {
    if (this.lastCounter >= MAX_FRAME_COUNTER) {
      throw new ProgrammerError('the frame counter is used up; derive new keys');
    }
    const counter = this.lastCounter + 1n;
    const header = encodeHeader(this.direction, counter);

    const aad = concatBytes(header, this.sessionBytes);
    const sealed = this.backend.sealAes256Gcm(this.key, nonceOf(header), aad, plaintext);
    this.lastCounter = counter;
    return concatBytes(header, sealed);
  }
}

/**
 * Opens the frames one peer sends, under the receiveKey of the pair. A frame is accepted only
 * when it authenticates and its counter is above every counter accepted before, so replayed,
 * reordered and forged frames are dropped with a reason and counted; a dropped frame changes
 * nothing. There is no plaintext fallback: an unauthenticated byte is never returned.
 */
export class FrameOpener {
  private lastCounter = 0n;
  private opened = 0;
  private readonly dropped: Record<FrameDropReason, number> = {
    truncated: 0,
    'bad-version': 0,
    'wrong-direction': 0,
    replayed: 0,
    forged: 0,
  };
  private readonly key: Uint8Array;
  private readonly sessionBytes: Uint8Array;

  /** `direction` is the direction of the frames this opener expects (the peer's to me). */
  constructor(
    receiveKey: Uint8Array,
    sessionId: string,
    private readonly direction: FrameDirection,
    private readonly backend: CryptoBackend = nodeCryptoBackend,
  ) {
    this.key = checkedKey(receiveKey);
    this.sessionBytes = checkedSession(sessionId, direction);
  }

  /** The plaintext and counter of `frame`, or why it was dropped. */
  open(frame: Uint8Array): FrameOpenResult {
    const early = this.headerProblem(frame);
    if (early !== undefined) return this.drop(early);

    const header = frame.subarray(0, FRAME_HEADER_LENGTH);
    const aad = concatBytes(header, this.sessionBytes);
    const sealed = frame.subarray(FRAME_HEADER_LENGTH);
    const plaintext = this.backend.openAes256Gcm(this.key, nonceOf(header), aad, sealed);
    if (plaintext === undefined) return this.drop('forged');

    const counter = counterOf(frame);
    this.lastCounter = counter;
    this.opened++;
    return { ok: true, counter, plaintext };
  }

  /** A snapshot of the counts so far. */
  stats(): FrameOpenerStats {
    return { opened: this.opened, dropped: { ...this.dropped } };
  }

  private headerProblem(frame: Uint8Array): FrameDropReason | undefined {
    if (frame.length < FRAME_HEADER_LENGTH + FRAME_TAG_LENGTH) return 'truncated';
    if (frame[0] !== FRAME_VERSION) return 'bad-version';
    if (frame[1] !== this.direction) return 'wrong-direction';
    // Checked before decrypting: it is cheap, and an old counter is refused either way.
    if (counterOf(frame) <= this.lastCounter) return 'replayed';
    return undefined;
  }

  private drop(reason: FrameDropReason): FrameOpenResult {
    this.dropped[reason]++;
    return { ok: false, reason };
  }
}

function encodeHeader(direction: FrameDirection, counter: bigint): Uint8Array {
  const header = new Uint8Array(FRAME_HEADER_LENGTH);
  header[0] = FRAME_VERSION;
  header[1] = direction;
  new DataView(header.buffer).setBigUint64(2, counter, false);
  return header;
}

function counterOf(frame: Uint8Array): bigint {
  return new DataView(frame.buffer, frame.byteOffset, FRAME_HEADER_LENGTH).getBigUint64(2, false);
}

/** 12 bytes: the direction as a 4-byte big-endian integer, then the 8-byte counter. */
function nonceOf(header: Uint8Array): Uint8Array {
  const nonce = new Uint8Array(12);
  nonce[3] = header[1]!;
  nonce.set(header.subarray(2, FRAME_HEADER_LENGTH), 4);
  return nonce;
}

function checkedKey(key: Uint8Array): Uint8Array {
  if (key.length !== 32) throw new ProgrammerError('an AES-256-GCM key is 32 bytes');
  return Uint8Array.from(key);
}

function checkedSession(sessionId: string, direction: number): Uint8Array {
  if (sessionId.length === 0) throw new ProgrammerError('a frame cipher needs a session id');
  if (direction !== 0 && direction !== 1) throw new ProgrammerError('direction is 0 or 1');
  return utf8(sessionId);
}
