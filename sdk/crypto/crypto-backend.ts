/**
 * The symmetric primitives the end-to-end layer needs, behind one small interface so the same
 * certificate, key-schedule and frame code runs on any platform that provides them.
 *
 * {@link CryptoBackend} is synchronous (node:crypto: {@link nodeCryptoBackend}).
 * {@link AsyncCryptoBackend} is its Promise-returning twin, because browsers only offer
 * `crypto.subtle`, whose calls all return Promises (`webCryptoBackend`); `asyncCryptoBackend`
 * lifts a synchronous backend to it, so the session client has one code path everywhere.
 *
 * X25519 and Ed25519 are not here: they come from tweetnacl, which runs unchanged everywhere.
 */
/**
 * What is sealed: one buffer, or parts sealed exactly as their concatenation would be (a record
 * header and the caller's body, say, without first copying the body behind the header).
 */
export type Plaintext = Uint8Array | readonly Uint8Array[];

/** Bytes of the AES-256-GCM tag every backend writes after the ciphertext. */
export const AES_GCM_TAG_LENGTH = 16;

/**
 * The synchronous backend. An implementation must not keep a reference to `nonce`, `aad` or
 * `prefix` once a call returns: the frame ciphers write every frame's nonce, AAD and start over
 * the same buffers.
 */
export interface CryptoBackend {
  /** SHA-256 of `data` (32 bytes). */
  sha256(data: Uint8Array): Uint8Array;
  /** HKDF-SHA-256 (RFC 5869) of `ikm` into `length` bytes. */
  hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array;
  /**
   * AES-256-GCM with a 12-byte nonce; returns ciphertext followed by the 16-byte tag. With a
   * `prefix`, returns `prefix ‖ ciphertext ‖ tag` in one buffer: the prefix is neither encrypted
   * nor authenticated (put it in `aad` for that); it only spares the caller a copy of the result.
   */
  sealAes256Gcm(
    key: Uint8Array,
    nonce: Uint8Array,
    aad: Uint8Array,
    plaintext: Plaintext,
    prefix?: Uint8Array,
  ): Uint8Array;
  /** The plaintext of `ciphertext ‖ tag`, or `undefined` when authentication fails. */
  openAes256Gcm(
    key: Uint8Array,
    nonce: Uint8Array,
    aad: Uint8Array,
    sealed: Uint8Array,
  ): Uint8Array | undefined;
}

/**
 * The same primitives as {@link CryptoBackend}, each returning a Promise, with the same
 * results byte for byte. A failed authentication resolves to `undefined`; it never rejects.
 */
export interface AsyncCryptoBackend {
  /** SHA-256 of `data` (32 bytes). */
  sha256(data: Uint8Array): Promise<Uint8Array>;
  /** HKDF-SHA-256 (RFC 5869) of `ikm` into `length` bytes. */
  hkdfSha256(
    ikm: Uint8Array,
    salt: Uint8Array,
    info: Uint8Array,
    length: number,
  ): Promise<Uint8Array>;
  /**
   * AES-256-GCM with a 12-byte nonce; resolves to ciphertext followed by the 16-byte tag, after
   * `prefix` when one is given (as {@link CryptoBackend.sealAes256Gcm}).
   */
  sealAes256Gcm(
    key: Uint8Array,
    nonce: Uint8Array,
    aad: Uint8Array,
    plaintext: Plaintext,
    prefix?: Uint8Array,
  ): Promise<Uint8Array>;
  /** The plaintext of `ciphertext ‖ tag`, or `undefined` when authentication fails. */
  openAes256Gcm(
    key: Uint8Array,
    nonce: Uint8Array,
    aad: Uint8Array,
    sealed: Uint8Array,
  ): Promise<Uint8Array | undefined>;
}

/** `backend` behind the {@link AsyncCryptoBackend} interface (each call resolves at once). */
export function asyncCryptoBackend(backend: CryptoBackend): AsyncCryptoBackend {
  return {
    sha256: async (data) => backend.sha256(data),
    hkdfSha256: async (ikm, salt, info, length) => backend.hkdfSha256(ikm, salt, info, length),
    sealAes256Gcm: async (key, nonce, aad, plaintext, prefix) =>
      backend.sealAes256Gcm(key, nonce, aad, plaintext, prefix),
    openAes256Gcm: async (key, nonce, aad, sealed) =>
      backend.openAes256Gcm(key, nonce, aad, sealed),
  };
}
