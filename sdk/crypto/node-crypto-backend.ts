import { createCipheriv, createDecipheriv, createHash, hkdfSync } from 'node:crypto';
import {
  AES_GCM_TAG_LENGTH as TAG_LENGTH,
  asyncCryptoBackend,
  type AsyncCryptoBackend,
  type CryptoBackend,
  type Plaintext,
} from './crypto-backend.js';
import { loadNativeGcm, type NativeGcm } from './native-gcm.js';

const NO_PREFIX = new Uint8Array(0);

function sealAes256Gcm(
  key: Uint8Array,
  nonce: Uint8Array,
  aad: Uint8Array,
  plaintext: Plaintext,
  prefix: Uint8Array = NO_PREFIX,
): Uint8Array {
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_LENGTH });
  cipher.setAAD(aad);
  const parts = plaintext instanceof Uint8Array ? [plaintext] : plaintext;
  const body = parts.map((part) => cipher.update(part));
  // One concatenation for prefix, ciphertext and tag: a 64 KiB frame is copied once, not twice.
  return Buffer.concat([prefix, ...body, cipher.final(), cipher.getAuthTag()]);
}

function openAes256Gcm(
  key: Uint8Array,
  nonce: Uint8Array,
  aad: Uint8Array,
  sealed: Uint8Array,
): Uint8Array | undefined {
  const split = sealed.length - TAG_LENGTH;
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_LENGTH });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(split));
  const body = decipher.update(sealed.subarray(0, split));
  let tail: Buffer;
  try {
    tail = decipher.final();
  } catch {
    // node:crypto reports a failed tag check only by throwing; the caller turns `undefined`
    // into its own 'forged' reason, and the unauthenticated `body` is never returned.
    return undefined;
  }
  // GCM gives everything from update and nothing from final: no copy of the plaintext then.
  return tail.length === 0 ? body : Buffer.concat([body, tail]);
}

/**
 * {@link CryptoBackend} on node:crypto: OpenSSL's AES-256-GCM, SHA-256 and HKDF. With `gcm`
 * (the sdk's addon, see native-gcm.ts), AES-256-GCM goes through it instead: the same OpenSSL
 * cipher and the same bytes, keyed once per key rather than once per frame.
 */
export function createNodeCryptoBackend(gcm: NativeGcm | undefined): CryptoBackend {
  return {
    sha256: (data) => createHash('sha256').update(data).digest(),
    hkdfSha256: (ikm, salt, info, length) =>
      new Uint8Array(hkdfSync('sha256', ikm, salt, info, length)),
    sealAes256Gcm: gcm
      ? (key, nonce, aad, plaintext, prefix = NO_PREFIX) =>
          gcm.seal(key, nonce, aad, plaintext, prefix)
      : sealAes256Gcm,
    openAes256Gcm: gcm
      ? (key, nonce, aad, sealed) => gcm.open(key, nonce, aad, sealed)
      : openAes256Gcm,
  };
}

/** The node:crypto backend, through the native addon when it was built. */
export const nodeCryptoBackend: CryptoBackend = createNodeCryptoBackend(loadNativeGcm());

/** {@link nodeCryptoBackend} behind the async interface the session client uses. */
export const nodeAsyncCryptoBackend: AsyncCryptoBackend = asyncCryptoBackend(nodeCryptoBackend);
