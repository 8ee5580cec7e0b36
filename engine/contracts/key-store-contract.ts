/** An Ed25519 key pair (tweetnacl layout: 32-byte public key, 64-byte secret key). */
export interface SigningKeyPair {
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

/**
 * Keeps the engine's long-lived keys, each encrypted at rest under the master key.
 *
 * Promises: a key, once made, is returned identical until destroyed, on every node that shares
 * the store; after `destroy` no call returns it again and whatever it encrypted is unreadable
 * (deleting a tenant's key shreds the tenant's content in every backup). Key ids are short
 * printable names such as `tenant:<uuid>` or `engine:signing`.
 */
export interface KeyStore {
  /** The 32-byte data key named `keyId`, made from a CSPRNG on first use. */
  dataKey(keyId: string): Promise<Uint8Array>;
  /** The Ed25519 key pair named `keyId`, made on first use. */
  signingKeyPair(keyId: string): Promise<SigningKeyPair>;
  /** Whether a key named `keyId` exists. */
  has(keyId: string): Promise<boolean>;
  /** Deletes the key for good; destroying a missing key is not an error. */
  destroy(keyId: string): Promise<void>;
}

/** Token of the {@link KeyStore} contract. */
export const KeyStore = Symbol.for('tether.KeyStore');
