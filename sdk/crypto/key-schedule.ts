// The one definition of the key schedule's inputs, shared by the synchronous functions
// (channel-keys.ts) and their asynchronous twins (async-channel-keys.ts). Nothing here imports
// a backend, so browsers can use it without node:crypto.
import nacl from 'tweetnacl';
import { ProgrammerError } from '../../engine/errors.js';
import { compareBytes, concatBytes, utf8 } from './bytes.js';
import { PARTICIPANT_ID_PATTERN } from './participant-certificate.js';

const KEY_LENGTH = 32;
const SAS_LABEL = 'tether/v1 sas';

/** Bytes of each derived AES-256-GCM key. */
export const CHANNEL_KEY_LENGTH = KEY_LENGTH;

/** What one participant knows when it derives the keys it shares with one peer. */
export interface ChannelKeyInput {
  readonly sessionId: string;
  readonly myParticipantId: string;
  /** My ephemeral X25519 secret key (32 bytes, `nacl.box.keyPair().secretKey`). */
  readonly mySecretKey: Uint8Array;
  readonly peerParticipantId: string;
  /** The peer's X25519 public key, taken from its verified certificate. */
  readonly peerBoxKey: Uint8Array;
}

/** One AES-256-GCM key per direction; my sendKey is the peer's receiveKey and vice versa. */
export interface ChannelKeys {
  readonly sendKey: Uint8Array;
  readonly receiveKey: Uint8Array;
}

/** The peer's box key cannot give a secret key (an all-zero X25519 result: a low-order point). */
export class KeyAgreementError extends Error {
  readonly reason = 'weak-peer-key' as const;

  constructor() {
    super('the peer box key gives no shared secret');
    this.name = 'KeyAgreementError';
  }
}

/** The HKDF inputs of one pair: the X25519 secret, what the salt hashes, and both labels. */
export interface KeyScheduleMaterial {
  readonly shared: Uint8Array;
  readonly saltInput: Uint8Array;
  readonly sendInfo: Uint8Array;
  readonly receiveInfo: Uint8Array;
}

/** Checks `input`, agrees the X25519 secret and lays out what HKDF needs. */
export function keyScheduleMaterial(input: ChannelKeyInput): KeyScheduleMaterial {
  checkInput(input);
  const myBoxKey = nacl.scalarMult.base(input.mySecretKey);
  const shared = nacl.scalarMult(input.mySecretKey, input.peerBoxKey);
  if (shared.every((byte) => byte === 0)) throw new KeyAgreementError();

  const { myParticipantId: me, peerParticipantId: peer } = input;
  return {
    shared,
    saltInput: sortedKeysAndSession(input.sessionId, myBoxKey, input.peerBoxKey),
    sendInfo: utf8(`tether/v1 ${me}->${peer}`),
    receiveInfo: utf8(`tether/v1 ${peer}->${me}`),
  };
}

/** What the short authentication string hashes: the label, both keys in order, the session. */
export function sasInput(sessionId: string, keyA: Uint8Array, keyB: Uint8Array): Uint8Array {
  checkKey(keyA, 'keyA');
  checkKey(keyB, 'keyB');
  return concatBytes(utf8(SAS_LABEL), sortedKeysAndSession(sessionId, keyA, keyB));
}

/** Six digits from the SAS digest: its first 20 bits as an integer, mod 10^6, zero-padded. */
export function sasDigits(digest: Uint8Array): string {
  const first20Bits = (digest[0]! << 12) | (digest[1]! << 4) | (digest[2]! >> 4);
  return String(first20Bits % 1_000_000).padStart(6, '0');
}

function sortedKeysAndSession(sessionId: string, a: Uint8Array, b: Uint8Array): Uint8Array {
  const [lower, higher] = compareBytes(a, b) <= 0 ? [a, b] : [b, a];
  return concatBytes(lower, higher, utf8(sessionId));
}

function checkInput(input: ChannelKeyInput): void {
  for (const [name, id] of [
    ['sessionId', input.sessionId],
    ['myParticipantId', input.myParticipantId],
    ['peerParticipantId', input.peerParticipantId],
  ] as const) {
    if (!PARTICIPANT_ID_PATTERN.test(id)) throw new ProgrammerError(`${name} is not an id`);
  }
  if (input.myParticipantId === input.peerParticipantId) {
    throw new ProgrammerError('a participant derives keys with another participant only');
  }
  checkKey(input.mySecretKey, 'mySecretKey');
  checkKey(input.peerBoxKey, 'peerBoxKey');
}

function checkKey(key: Uint8Array, name: string): void {
  if (key.length !== KEY_LENGTH) throw new ProgrammerError(`${name} must be 32 bytes`);
}
