import nacl from 'tweetnacl';
import { ProgrammerError } from '../../engine/errors.js';
import { compareBytes, concatBytes, utf8 } from './bytes.js';
import type { CryptoBackend } from './crypto-backend.js';
import { nodeCryptoBackend } from './node-crypto-backend.js';
import { PARTICIPANT_ID_PATTERN } from './participant-certificate.js';

const KEY_LENGTH = 32;
const SAS_LABEL = 'tether/v1 sas';

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

/**
 * The pairwise keys of me and one peer: X25519 into HKDF-SHA-256, with
 * salt = SHA-256(lowerKey ‖ higherKey ‖ UTF-8 sessionId) and
 * info = UTF-8 `tether/v1 <from>-><to>`, 32 bytes per direction.
 */
export function deriveChannelKeys(
  input: ChannelKeyInput,
  backend: CryptoBackend = nodeCryptoBackend,
): ChannelKeys {
  checkInput(input);
  const myBoxKey = nacl.scalarMult.base(input.mySecretKey);
  const shared = nacl.scalarMult(input.mySecretKey, input.peerBoxKey);
  if (shared.every((byte) => byte === 0)) throw new KeyAgreementError();

  const salt = backend.sha256(sortedKeysAndSession(input.sessionId, myBoxKey, input.peerBoxKey));
  const derive = (from: string, to: string) =>
    backend.hkdfSha256(shared, salt, utf8(`tether/v1 ${from}->${to}`), KEY_LENGTH);
  const { myParticipantId: me, peerParticipantId: peer } = input;
  return { sendKey: derive(me, peer), receiveKey: derive(peer, me) };
}

/**
 * Six decimal digits both people can read aloud to prove that nobody, the engine included,
 * swapped a key: SHA-256(`tether/v1 sas` ‖ lowerKey ‖ higherKey ‖ UTF-8 sessionId), its first
 * 20 bits as an integer, mod 10^6, zero-padded. The order of `keyA` and `keyB` does not matter.
 */
export function shortAuthenticationString(
  sessionId: string,
  keyA: Uint8Array,
  keyB: Uint8Array,
  backend: CryptoBackend = nodeCryptoBackend,
): string {
  checkKey(keyA, 'keyA');
  checkKey(keyB, 'keyB');
  const digest = backend.sha256(
    concatBytes(utf8(SAS_LABEL), sortedKeysAndSession(sessionId, keyA, keyB)),
  );

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
