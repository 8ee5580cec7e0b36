import type { AsyncCryptoBackend } from './crypto-backend.js';
import {
  CHANNEL_KEY_LENGTH,
  keyScheduleMaterial,
  sasDigits,
  sasInput,
  type ChannelKeyInput,
  type ChannelKeys,
} from './key-schedule.js';

/**
 * `deriveChannelKeys` over an {@link AsyncCryptoBackend}: the same keys, byte for byte. Bad
 * input throws (synchronously checked, so the Promise rejects) as the synchronous one does.
 */
export async function deriveChannelKeysAsync(
  input: ChannelKeyInput,
  backend: AsyncCryptoBackend,
): Promise<ChannelKeys> {
  const material = keyScheduleMaterial(input);
  const salt = await backend.sha256(material.saltInput);
  const derive = (info: Uint8Array) =>
    backend.hkdfSha256(material.shared, salt, info, CHANNEL_KEY_LENGTH);
  const [sendKey, receiveKey] = await Promise.all([
    derive(material.sendInfo),
    derive(material.receiveInfo),
  ]);
  return { sendKey, receiveKey };
}

/** `shortAuthenticationString` over an {@link AsyncCryptoBackend}: the same six digits. */
export async function shortAuthenticationStringAsync(
  sessionId: string,
  keyA: Uint8Array,
  keyB: Uint8Array,
  backend: AsyncCryptoBackend,
): Promise<string> {
  return sasDigits(await backend.sha256(sasInput(sessionId, keyA, keyB)));
}
