import type { CryptoBackend } from './crypto-backend.js';
import {
  CHANNEL_KEY_LENGTH,
  keyScheduleMaterial,
  sasDigits,
  sasInput,
  type ChannelKeyInput,
  type ChannelKeys,
} from './key-schedule.js';
import { nodeCryptoBackend } from './node-crypto-backend.js';

export { KeyAgreementError, type ChannelKeyInput, type ChannelKeys } from './key-schedule.js';

/**
 * The pairwise keys of me and one peer: X25519 into HKDF-SHA-256, with
 * salt = SHA-256(lowerKey ‖ higherKey ‖ UTF-8 sessionId) and
 * info = UTF-8 `tether/v1 <from>-><to>`, 32 bytes per direction.
 */
export function deriveChannelKeys(
  input: ChannelKeyInput,
  backend: CryptoBackend = nodeCryptoBackend,
): ChannelKeys {
  const material = keyScheduleMaterial(input);
  const salt = backend.sha256(material.saltInput);
  const derive = (info: Uint8Array) =>
    backend.hkdfSha256(material.shared, salt, info, CHANNEL_KEY_LENGTH);
  return { sendKey: derive(material.sendInfo), receiveKey: derive(material.receiveInfo) };
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
  return sasDigits(backend.sha256(sasInput(sessionId, keyA, keyB)));
}
