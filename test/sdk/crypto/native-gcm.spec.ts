import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import type { CryptoBackend } from '../../../sdk/crypto/crypto-backend.js';
import { loadNativeGcm, type NativeGcm } from '../../../sdk/crypto/native-gcm.js';
import { createNodeCryptoBackend } from '../../../sdk/crypto/node-crypto-backend.js';

const SIZES = [0, 1, 15, 16, 17, 75, 70_000, 1024 * 1024];

/** Seals with both backends and returns both results. */
function sealBoth(
  backends: readonly CryptoBackend[],
  key: Uint8Array,
  plaintext: Uint8Array | Uint8Array[],
  prefix?: Uint8Array,
) {
  const [nonce, aad] = [randomBytes(12), randomBytes(42)];
  const sealed = backends.map((backend) =>
    Buffer.from(backend.sealAes256Gcm(key, nonce, aad, plaintext, prefix)),
  );
  return { nonce, aad, sealed };
}

describe('native AES-256-GCM addon', () => {
  let gcm: NativeGcm;
  let native: CryptoBackend;
  const nodeCrypto = createNodeCryptoBackend(undefined);

  before(() => {
    const loaded = loadNativeGcm();
    if (!loaded) throw new Error('the addon is not built: run npm run build:native');
    gcm = loaded;
    native = createNodeCryptoBackend(gcm);
  });

  it('is not loaded when TETHER_NATIVE_GCM is off', () => {
    expect(loadNativeGcm({ TETHER_NATIVE_GCM: 'off' })).to.equal(undefined);
  });

  it('seals what node:crypto seals, byte for byte, and each opens the other', () => {
    const key = randomBytes(32);
    for (const size of SIZES) {
      const plaintext = randomBytes(size);
      const { nonce, aad, sealed } = sealBoth([native, nodeCrypto], key, plaintext);
      expect(sealed[0]!.equals(sealed[1]!), `size ${size}`).to.equal(true);
      const opened = [native.openAes256Gcm(key, nonce, aad, sealed[1]!)];
      opened.push(nodeCrypto.openAes256Gcm(key, nonce, aad, sealed[0]!));
      for (const plain of opened) expect(Buffer.from(plain!).equals(plaintext)).to.equal(true);
    }
  });

  it('seals parts as their concatenation, after the prefix', () => {
    const key = randomBytes(32);
    const parts = [randomBytes(7), randomBytes(0), randomBytes(65_536)];
    const prefix = Buffer.from([1, 3, 0x61, 0x62, 0x63]);
    const { sealed } = sealBoth([native, nodeCrypto], key, parts, prefix);
    expect(sealed[0]!.subarray(0, prefix.length).equals(prefix)).to.equal(true);
    expect(sealed[0]!.equals(sealed[1]!)).to.equal(true);
  });

  it('refuses a changed tag, ciphertext, AAD, nonce or key, and a truncated frame', () => {
    const key = randomBytes(32);
    const { nonce, aad, sealed } = sealBoth([native], key, randomBytes(75));
    const flipped = (bytes: Buffer, at: number) => {
      const copy = Buffer.from(bytes);
      copy[at]! ^= 0x01;
      return copy;
    };
    const frame = sealed[0]!;
    expect(native.openAes256Gcm(key, nonce, aad, flipped(frame, frame.length - 1))).to.equal(
      undefined,
    );
    expect(native.openAes256Gcm(key, nonce, aad, flipped(frame, 0))).to.equal(undefined);
    expect(native.openAes256Gcm(key, nonce, flipped(aad, 3), frame)).to.equal(undefined);
    expect(native.openAes256Gcm(key, flipped(nonce, 11), aad, frame)).to.equal(undefined);
    expect(native.openAes256Gcm(randomBytes(32), nonce, aad, frame)).to.equal(undefined);
    expect(native.openAes256Gcm(key, nonce, aad, frame.subarray(0, 15))).to.equal(undefined);
    expect(native.openAes256Gcm(key, nonce, aad, frame.subarray(1))).to.equal(undefined);
    // A refused frame leaves the key's context as it was.
    expect(native.openAes256Gcm(key, nonce, aad, frame)).to.not.equal(undefined);
  });

  it('follows a key array whose bytes were replaced by another key', () => {
    const key = randomBytes(32);
    sealBoth([native], key, randomBytes(75));
    randomBytes(32).copy(key);
    const { sealed } = sealBoth([native, nodeCrypto], key, randomBytes(75));
    expect(sealed[0]!.equals(sealed[1]!)).to.equal(true);
  });

  it('throws for a key that is not 32 bytes or a nonce that is not 12', () => {
    const [plaintext, aad] = [randomBytes(10), randomBytes(4)];
    expect(() => native.sealAes256Gcm(randomBytes(16), randomBytes(12), aad, plaintext)).to.throw(
      'an AES-256-GCM key is 32 bytes',
    );
    expect(() => native.sealAes256Gcm(randomBytes(32), randomBytes(8), aad, plaintext)).to.throw(
      'seal takes',
    );
    expect(() =>
      native.openAes256Gcm(randomBytes(32), randomBytes(8), aad, randomBytes(20)),
    ).to.throw('open takes');
  });

  it('seals a small frame much faster than node:crypto, with nothing per frame to collect', () => {
    const key = randomBytes(32);
    const [nonce, aad, plaintext] = [randomBytes(12), randomBytes(42), randomBytes(75)];
    const timeOf = (backend: CryptoBackend) => {
      const start = process.hrtime.bigint();
      for (let i = 0; i < 5_000; i++) {
        const frame = backend.sealAes256Gcm(key, nonce, aad, plaintext);
        backend.openAes256Gcm(key, nonce, aad, frame);
      }
      return Number(process.hrtime.bigint() - start);
    };
    timeOf(native);
    timeOf(nodeCrypto);
    expect(timeOf(native)).to.be.below(timeOf(nodeCrypto));
  });
});
