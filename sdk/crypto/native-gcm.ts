import path from 'node:path';
import { compareBytes } from './bytes.js';
import { AES_GCM_TAG_LENGTH as TAG_LENGTH, type Plaintext } from './crypto-backend.js';

/** Where `npm run build:native` puts the addon, seen from this file's place under dist/. */
const ADDON_PATH = path.resolve(__dirname, '../../../sdk/crypto/native/build/Release');

/** The addon's three calls (sdk/crypto/native/aes-gcm.c). */
interface GcmAddon {
  createContext(key: Uint8Array): object;
  seal(
    context: object,
    nonce: Uint8Array,
    aad: Uint8Array,
    plaintext: Plaintext,
    out: Uint8Array,
    offset: number,
  ): void;
  open(
    context: object,
    nonce: Uint8Array,
    aad: Uint8Array,
    sealed: Uint8Array,
    out: Uint8Array,
  ): boolean;
}

/** A key array and the addon's cipher context made from it. */
interface KeyedContext {
  /** The key's bytes when the context was made: a caller may write a new key over its array. */
  readonly key: Uint8Array;
  readonly context: object;
}

/**
 * AES-256-GCM through the addon in `native/`: OpenSSL's own cipher, keyed once per key and then
 * only given each frame's nonce. node:crypto builds and frees a whole cipher context for every
 * call, which costs ten times what sealing a small frame does. Contexts are kept per key array
 * (as the frame ciphers hold theirs) and made again when that array's bytes change.
 */
export class NativeGcm {
  private readonly contexts = new WeakMap<Uint8Array, KeyedContext>();

  constructor(private readonly addon: GcmAddon) {}

  /** `prefix ‖ ciphertext ‖ tag` in one new buffer. */
  seal(
    key: Uint8Array,
    nonce: Uint8Array,
    aad: Uint8Array,
    plaintext: Plaintext,
    prefix: Uint8Array,
  ): Uint8Array {
    const out = Buffer.allocUnsafe(prefix.length + lengthOf(plaintext) + TAG_LENGTH);
    out.set(prefix, 0);
    this.addon.seal(this.contextFor(key), nonce, aad, plaintext, out, prefix.length);
    return out;
  }

  /** The plaintext of `ciphertext ‖ tag`, or `undefined` when it does not authenticate. */
  open(
    key: Uint8Array,
    nonce: Uint8Array,
    aad: Uint8Array,
    sealed: Uint8Array,
  ): Uint8Array | undefined {
    if (sealed.length < TAG_LENGTH) return undefined;
    const out = Buffer.allocUnsafe(sealed.length - TAG_LENGTH);
    return this.addon.open(this.contextFor(key), nonce, aad, sealed, out) ? out : undefined;
  }

  private contextFor(key: Uint8Array): object {
    const known = this.contexts.get(key);
    if (known !== undefined && compareBytes(known.key, key) === 0) return known.context;
    const context = this.addon.createContext(key);
    this.contexts.set(key, { key: Uint8Array.from(key), context });
    return context;
  }
}

/**
 * The addon, or `undefined` when it was not built or `TETHER_NATIVE_GCM` is `off`: node:crypto
 * then does the same work, byte for byte, only slower.
 */
export function loadNativeGcm(env: NodeJS.ProcessEnv = process.env): NativeGcm | undefined {
  if (env.TETHER_NATIVE_GCM === 'off') return undefined;
  try {
    return new NativeGcm(require(path.join(ADDON_PATH, 'tether_aes_gcm.node')) as GcmAddon);
  } catch {
    return undefined;
  }
}

function lengthOf(plaintext: Plaintext): number {
  if (plaintext instanceof Uint8Array) return plaintext.length;
  let length = 0;
  for (const part of plaintext) length += part.length;
  return length;
}
