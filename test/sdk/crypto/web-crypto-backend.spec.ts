import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import nacl from 'tweetnacl';
import {
  AsyncFrameOpener,
  AsyncFrameSealer,
  FrameOpener,
  FrameSealer,
  deriveChannelKeys,
  deriveChannelKeysAsync,
  nodeAsyncCryptoBackend,
  nodeCryptoBackend,
  shortAuthenticationString,
  shortAuthenticationStringAsync,
  webCryptoBackend,
} from '../../../sdk/crypto/index.js';

const SESSION = '6f1c2a9e4b7d4c1f8e3a5b6c7d8e9f01';
const web = webCryptoBackend();
const hex = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString('hex');

describe('WebCrypto backend', () => {
  it('hashes, derives and seals exactly as node:crypto does', async () => {
    for (const size of [0, 1, 15, 16, 17, 1000, 65536]) {
      const data = randomBytes(size);
      expect(hex(await web.sha256(data))).to.equal(hex(nodeCryptoBackend.sha256(data)));

      const [ikm, salt, info] = [randomBytes(32), randomBytes(32), randomBytes(size % 40)];
      expect(hex(await web.hkdfSha256(ikm, salt, info, 32))).to.equal(
        hex(nodeCryptoBackend.hkdfSha256(ikm, salt, info, 32)),
      );

      const [key, nonce, aad] = [randomBytes(32), randomBytes(12), randomBytes(size % 50)];
      const sealed = await web.sealAes256Gcm(key, nonce, aad, data);
      expect(hex(sealed)).to.equal(hex(nodeCryptoBackend.sealAes256Gcm(key, nonce, aad, data)));
      expect(hex(await web.openAes256Gcm(key, nonce, aad, sealed))).to.equal(hex(data));
    }
  });

  it('seals parts as their concatenation, after a prefix, on both backends', async () => {
    const [key, nonce, aad, prefix] = [
      randomBytes(32),
      randomBytes(12),
      randomBytes(7),
      randomBytes(5),
    ];
    const [head, body] = [randomBytes(11), randomBytes(3000)];
    const whole = Buffer.concat([head, body]);
    const expected = hex(
      Buffer.concat([prefix, nodeCryptoBackend.sealAes256Gcm(key, nonce, aad, whole)]),
    );
    expect(hex(nodeCryptoBackend.sealAes256Gcm(key, nonce, aad, [head, body], prefix))).to.equal(
      expected,
    );
    expect(hex(await web.sealAes256Gcm(key, nonce, aad, [head, body], prefix))).to.equal(expected);
    const viaAsync = await nodeAsyncCryptoBackend.sealAes256Gcm(
      key,
      nonce,
      aad,
      [head, body],
      prefix,
    );
    expect(hex(viaAsync)).to.equal(expected);
  });

  it('opens to undefined, never rejecting, when a byte of tag, body or AAD changed', async () => {
    const [key, nonce, aad, data] = [
      randomBytes(32),
      randomBytes(12),
      randomBytes(8),
      randomBytes(40),
    ];
    const sealed = await web.sealAes256Gcm(key, nonce, aad, data);
    for (const index of [0, 20, sealed.length - 1]) {
      const bad = Uint8Array.from(sealed);
      bad[index]! ^= 0x01;
      expect(await web.openAes256Gcm(key, nonce, aad, bad)).to.equal(undefined);
    }
    const badAad = Uint8Array.from(aad);
    badAad[0]! ^= 0x80;
    expect(await web.openAes256Gcm(key, nonce, badAad, sealed)).to.equal(undefined);
  });

  it('gives the same channel keys and SAS as the synchronous schedule', async () => {
    const mine = nacl.box.keyPair();
    const peer = nacl.box.keyPair();
    const input = {
      sessionId: SESSION,
      myParticipantId: 'tech-1',
      mySecretKey: mine.secretKey,
      peerParticipantId: 'user-1',
      peerBoxKey: peer.publicKey,
    };
    const sync = deriveChannelKeys(input);
    for (const backend of [web, nodeAsyncCryptoBackend]) {
      const keys = await deriveChannelKeysAsync(input, backend);
      expect([hex(keys.sendKey), hex(keys.receiveKey)]).to.deep.equal([
        hex(sync.sendKey),
        hex(sync.receiveKey),
      ]);
      expect(
        await shortAuthenticationStringAsync(SESSION, mine.publicKey, peer.publicKey, backend),
      ).to.equal(shortAuthenticationString(SESSION, mine.publicKey, peer.publicKey));
    }
  });

  it('makes frames byte for byte equal to the sync sealer, and opens both ways', async () => {
    const key = randomBytes(32);
    const syncSealer = new FrameSealer(key, SESSION, 1);
    const webSealer = new AsyncFrameSealer(key, SESSION, 1, web);
    const syncOpener = new FrameOpener(key, SESSION, 1);
    const webOpener = new AsyncFrameOpener(key, SESSION, 1, web);

    for (const plaintext of [Buffer.alloc(0), Buffer.from('hello'), randomBytes(70000)]) {
      const a = syncSealer.seal(plaintext);
      const b = await webSealer.seal(plaintext);
      expect(hex(b)).to.equal(hex(a));
      const opened = await webOpener.open(a);
      expect(opened.ok && hex(opened.plaintext)).to.equal(hex(plaintext));
      expect(syncOpener.open(b).ok).to.equal(true);
    }
    // A relay envelope's header before the frame, and a plaintext in parts, change nothing else.
    const prefix = Buffer.from([1, 3, 97, 98, 99]);
    const whole = syncSealer.seal(Buffer.from('hello'), prefix);
    const parts = await webSealer.seal([Buffer.from('he'), Buffer.from('llo')], prefix);
    expect(hex(parts)).to.equal(hex(whole));
    const opened = await webOpener.open(parts.subarray(prefix.length));
    expect(opened.ok && Buffer.from(opened.plaintext).toString()).to.equal('hello');
  });

  it('drops replayed, forged and truncated frames in the async opener, counting each', async () => {
    const key = randomBytes(32);
    const sealer = new AsyncFrameSealer(key, SESSION, 0, web);
    const opener = new AsyncFrameOpener(key, SESSION, 0, web);
    const first = await sealer.seal(Buffer.from('one'));
    const second = await sealer.seal(Buffer.from('two'));
    const forged = Uint8Array.from(second);
    forged[12]! ^= 0x04;

    expect((await opener.open(first)).ok).to.equal(true);
    expect(await opener.open(first)).to.deep.equal({ ok: false, reason: 'replayed' });
    expect(await opener.open(forged)).to.deep.equal({ ok: false, reason: 'forged' });
    expect(await opener.open(second.subarray(0, 20))).to.deep.equal({
      ok: false,
      reason: 'truncated',
    });
    expect((await opener.open(second)).ok).to.equal(true);
    expect(opener.stats()).to.deep.equal({
      opened: 2,
      dropped: { truncated: 1, 'bad-version': 0, 'wrong-direction': 0, replayed: 1, forged: 1 },
    });
  });
});
