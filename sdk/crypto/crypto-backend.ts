/**
 * The symmetric primitives the end-to-end layer needs, behind one small interface so the same
 * certificate, key-schedule and frame code runs on any platform that provides them.
 *
 * Today the only implementation is {@link nodeCryptoBackend} (node:crypto, native AES-GCM).
 * Browsers will get a WebCrypto backend; because `crypto.subtle` only offers Promise-returning
 * calls, that backend needs an async twin of this interface (and of the sealer and opener).
 * TODO(#crypto): add `AsyncCryptoBackend` over WebCrypto when the browser client lands.
 *
 * X25519 and Ed25519 are not here: they come from tweetnacl, which runs unchanged everywhere.
 */
export interface CryptoBackend {
  /** SHA-256 of `data` (32 bytes). */
  sha256(data: Uint8Array): Uint8Array;
  /** HKDF-SHA-256 (RFC 5869) of `ikm` into `length` bytes. */
  hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array;
  /** AES-256-GCM with a 12-byte nonce; returns ciphertext followed by the 16-byte tag. */
  sealAes256Gcm(
    key: Uint8Array,
    nonce: Uint8Array,
    aad: Uint8Array,
    plaintext: Uint8Array,
  ): Uint8Array;
  /** The plaintext of `ciphertext ‖ tag`, or `undefined` when authentication fails. */
  openAes256Gcm(
    key: Uint8Array,
    nonce: Uint8Array,
    aad: Uint8Array,
    sealed: Uint8Array,
  ): Uint8Array | undefined;
}
