import { concatBytes } from './bytes.js';
import type { AsyncCryptoBackend, Plaintext } from './crypto-backend.js';

const TAG_BITS = 128;

// Typed from the global `crypto` rather than from node:crypto or the DOM library, so this file
// type-checks both in the Node build and in the pages' (DOM) build that bundles it.
type FullSubtle = typeof globalThis.crypto.subtle;
type CryptoKey = Awaited<ReturnType<FullSubtle['importKey']>>;

/** The parts of WebCrypto's `SubtleCrypto` this backend calls. */
type Subtle = Pick<FullSubtle, 'digest' | 'importKey' | 'deriveBits' | 'encrypt' | 'decrypt'>;

/**
 * {@link AsyncCryptoBackend} on WebCrypto (`crypto.subtle`), for browsers; Node 20 has the same
 * API, so it is tested there against the node:crypto backend byte for byte. AES keys are
 * imported once per key array (a sealer or opener keeps its key array for its whole life).
 */
export function webCryptoBackend(subtle: Subtle = globalThis.crypto.subtle): AsyncCryptoBackend {
  const aesKeys = new WeakMap<Uint8Array, Promise<CryptoKey>>();
  const aesKey = (raw: Uint8Array): Promise<CryptoKey> => {
    let key = aesKeys.get(raw);
    if (key === undefined) {
      key = subtle.importKey('raw', copy(raw), 'AES-GCM', false, ['encrypt', 'decrypt']);
      aesKeys.set(raw, key);
    }
    return key;
  };

  return {
    sha256: async (data) => new Uint8Array(await subtle.digest('SHA-256', copy(data))),
    hkdfSha256: async (ikm, salt, info, length) => {
      const base = await subtle.importKey('raw', copy(ikm), 'HKDF', false, ['deriveBits']);
      const params = { name: 'HKDF', hash: 'SHA-256', salt: copy(salt), info: copy(info) };
      return new Uint8Array(await subtle.deriveBits(params, base, length * 8));
    },
    sealAes256Gcm: async (key, nonce, aad, plaintext, prefix) => {
      const params = gcmParams(nonce, aad);
      const sealed = await subtle.encrypt(params, await aesKey(key), joined(plaintext));
      return prefix ? concatBytes(prefix, new Uint8Array(sealed)) : new Uint8Array(sealed);
    },
    openAes256Gcm: async (key, nonce, aad, sealed) => {
      const params = gcmParams(nonce, aad);
      const cryptoKey = await aesKey(key);
      return subtle.decrypt(params, cryptoKey, copy(sealed)).then(
        (plain) => new Uint8Array(plain),
        // WebCrypto reports a failed tag check only by rejecting (OperationError); the caller
        // turns `undefined` into its own 'forged' reason.
        () => undefined,
      );
    },
  };
}

function gcmParams(nonce: Uint8Array, aad: Uint8Array): Parameters<FullSubtle['encrypt']>[0] {
  return { name: 'AES-GCM', iv: copy(nonce), additionalData: copy(aad), tagLength: TAG_BITS };
}

/** The plaintext as one standalone buffer (a copy either way). */
function joined(plaintext: Plaintext): Uint8Array<ArrayBuffer> {
  return plaintext instanceof Uint8Array ? copy(plaintext) : concatBytes(...plaintext);
}

/** A standalone copy, so WebCrypto never reads a buffer the caller changes meanwhile. */
function copy(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}
