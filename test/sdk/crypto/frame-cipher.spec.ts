import { expect } from 'chai';
import { createCipheriv, randomBytes } from 'node:crypto';
import { ProgrammerError } from '../../../engine/errors.js';
import {
  AsyncFrameSealer,
  FRAME_HEADER_LENGTH,
  FRAME_TAG_LENGTH,
  FrameOpener,
  FrameSealer,
  MAX_FRAME_COUNTER,
  frameDirection,
  nodeAsyncCryptoBackend,
  type FrameOpenResult,
} from '../../../sdk/crypto/index.js';

const SESSION = '6f1c2a9e4b7d4c1f8e3a5b6c7d8e9f01';

function pair(key = randomBytes(32), direction: 0 | 1 = 0) {
  return {
    sealer: new FrameSealer(key, SESSION, direction),
    opener: new FrameOpener(key, SESSION, direction),
  };
}

/** Sets a sealer's private counter as if `last` had just been taken. */
function moveCounter(sealer: FrameSealer | AsyncFrameSealer, last: bigint): void {
  const counter = (sealer as unknown as { counter: { high: number; low: number } }).counter;
  counter.high = Number(last >> 32n);
  counter.low = Number(last & 0xffff_ffffn);
}

function plaintextOf(result: FrameOpenResult): Buffer {
  if (!result.ok) throw new Error(`dropped: ${result.reason}`);
  return Buffer.from(result.plaintext);
}

function reasonOf(result: FrameOpenResult): string {
  return result.ok ? 'opened' : result.reason;
}

describe('frame cipher', () => {
  it('round-trips empty, small and 1 MiB plaintexts', () => {
    const { sealer, opener } = pair();
    for (const plaintext of [Buffer.alloc(0), Buffer.from('hello'), randomBytes(1024 * 1024)]) {
      const frame = sealer.seal(plaintext);
      expect(frame.length).to.equal(FRAME_HEADER_LENGTH + plaintext.length + FRAME_TAG_LENGTH);
      expect(plaintextOf(opener.open(frame)).equals(plaintext)).to.equal(true);
    }
    expect(opener.stats().opened).to.equal(3);
  });

  it('puts a prefix before the very frame it would seal without one', () => {
    const key = randomBytes(32);
    const [plain, prefixed] = [new FrameSealer(key, SESSION, 0), new FrameSealer(key, SESSION, 0)];
    const opener = new FrameOpener(key, SESSION, 0);
    const prefix = Buffer.from([1, 3, 0x61, 0x62, 0x63]);
    for (const plaintext of [Buffer.alloc(0), randomBytes(70_000)]) {
      const frame = Buffer.from(plain.seal(plaintext));
      const out = Buffer.from(prefixed.seal(plaintext, prefix));
      expect(out.subarray(0, prefix.length).equals(prefix)).to.equal(true);
      expect(out.subarray(prefix.length).equals(frame)).to.equal(true);
      expect(plaintextOf(opener.open(out.subarray(prefix.length))).equals(plaintext)).to.equal(
        true,
      );
    }
  });

  it('does not authenticate the prefix: it is not part of the frame', () => {
    const { sealer, opener } = pair();
    const out = Buffer.from(sealer.seal(Buffer.from('data'), Buffer.from([9, 9])));
    expect(reasonOf(opener.open(out)), 'the prefix is no frame header').to.equal('bad-version');
    expect(plaintextOf(opener.open(out.subarray(2))).toString()).to.equal('data');
  });

  it('lays out version, direction and a big-endian counter starting at 1', () => {
    const { sealer, opener } = pair(randomBytes(32), 1);
    const frames = [1, 2, 3].map(() => sealer.seal(Buffer.from('x')));

    expect(Buffer.from(frames[0]!.subarray(0, 10)).toString('hex')).to.equal(
      '01010000000000000001',
    );
    expect(frames.map((f) => Buffer.from(f).readBigUInt64BE(2))).to.deep.equal([1n, 2n, 3n]);
    expect(frames.map((f) => opener.open(f)).map((r) => r.ok && r.counter)).to.deep.equal([
      1n,
      2n,
      3n,
    ]);
  });

  it('matches the documented nonce and associated data, byte for byte', () => {
    const key = randomBytes(32);
    const sealer = new FrameSealer(key, SESSION, 1);
    sealer.seal(Buffer.from('first'));
    const frame = Buffer.from(sealer.seal(Buffer.from('second')));

    const header = Buffer.from('01010000000000000002', 'hex');
    const nonce = Buffer.concat([Buffer.from('00000001', 'hex'), header.subarray(2)]);
    const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: 16 });
    cipher.setAAD(Buffer.concat([header, Buffer.from(SESSION, 'utf8')]));
    const body = Buffer.concat([cipher.update('second'), cipher.final(), cipher.getAuthTag()]);

    expect(frame.toString('hex')).to.equal(Buffer.concat([header, body]).toString('hex'));
  });

  it('drops a replayed frame and a frame that arrives after a later one', () => {
    const { sealer, opener } = pair();
    const [first, second, third] = [1, 2, 3].map((n) => sealer.seal(Buffer.from([n])));

    expect(reasonOf(opener.open(first!))).to.equal('opened');
    expect(reasonOf(opener.open(first!))).to.equal('replayed');
    expect(reasonOf(opener.open(third!))).to.equal('opened');
    expect(reasonOf(opener.open(second!))).to.equal('replayed');
    expect(opener.stats()).to.deep.include({ opened: 2 });
    expect(opener.stats().dropped.replayed).to.equal(2);
  });

  it('drops every frame with a single bit flipped, and is unchanged by them', () => {
    const { sealer, opener } = pair();
    const frame = sealer.seal(Buffer.from('grant remote control'));
    const reasons = new Set<string>();

    for (let bit = 0; bit < frame.length * 8; bit++) {
      const flipped = Uint8Array.from(frame);
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      const reason = reasonOf(opener.open(flipped));
      expect(reason, `bit ${bit}`).to.be.oneOf([
        'forged',
        'bad-version',
        'wrong-direction',
        'replayed',
      ]);
      reasons.add(reason);
    }

    // Only the lowest counter bit gives a header reason (counter 0 reads as replayed).
    expect([...reasons].sort()).to.deep.equal([
      'bad-version',
      'forged',
      'replayed',
      'wrong-direction',
    ]);
    expect(opener.stats().dropped.forged).to.be.greaterThan(frame.length * 8 - 20);
    expect(plaintextOf(opener.open(frame)).toString()).to.equal('grant remote control');
  });

  it('is not moved forward by a forged frame with a higher counter', () => {
    const { sealer, opener } = pair();
    const frame = sealer.seal(Buffer.from('a'));
    const forged = Uint8Array.from(frame);
    forged[2] = 0x7f; // counter far ahead, but the tag no longer matches

    expect(reasonOf(opener.open(forged))).to.equal('forged');
    expect(reasonOf(opener.open(frame))).to.equal('opened');
  });

  it('drops frames shorter than a header and a tag as truncated', () => {
    const { sealer, opener } = pair();
    const frame = sealer.seal(Buffer.from('hello'));

    for (const length of [0, 1, 9, 10, FRAME_HEADER_LENGTH + FRAME_TAG_LENGTH - 1]) {
      expect(reasonOf(opener.open(frame.subarray(0, length)))).to.equal('truncated');
    }
    expect(reasonOf(opener.open(frame.subarray(0, frame.length - 1)))).to.equal('forged');
    expect(opener.stats().dropped.truncated).to.equal(5);
  });

  it('drops a frame of the other direction, even under the right key', () => {
    const key = randomBytes(32);
    const sealer = new FrameSealer(key, SESSION, 1);
    const opener = new FrameOpener(key, SESSION, 0);

    expect(reasonOf(opener.open(sealer.seal(Buffer.from('x'))))).to.equal('wrong-direction');
  });

  it('drops a frame sealed for another session id as forged', () => {
    const key = randomBytes(32);
    const sealer = new FrameSealer(key, 'other-session', 0);
    const opener = new FrameOpener(key, SESSION, 0);

    expect(reasonOf(opener.open(sealer.seal(Buffer.from('x'))))).to.equal('forged');
  });

  it('cannot open one direction with the key of the other', () => {
    const sendKey = randomBytes(32);
    const receiveKey = randomBytes(32);
    const sealer = new FrameSealer(sendKey, SESSION, 0);
    const opener = new FrameOpener(receiveKey, SESSION, 0);

    expect(reasonOf(opener.open(sealer.seal(Buffer.from('x'))))).to.equal('forged');
  });

  it('does not carry the plaintext in the clear', () => {
    const { sealer } = pair();
    const plaintext = Buffer.from('password=hunter2 '.repeat(64));
    const frame = Buffer.from(sealer.seal(plaintext));

    expect(frame.includes(Buffer.from('hunter2'))).to.equal(false);
    expect(frame.includes(plaintext.subarray(0, 8))).to.equal(false);
  });

  it('refuses to seal past the last counter instead of wrapping', () => {
    const { sealer } = pair();
    // Reaching 2^64 - 1 by sealing is impossible in a test; set the private counter directly.
    moveCounter(sealer, MAX_FRAME_COUNTER - 1n);

    expect(Buffer.from(sealer.seal(Buffer.from('x'))).readBigUInt64BE(2)).to.equal(
      MAX_FRAME_COUNTER,
    );
    expect(() => sealer.seal(Buffer.from('x'))).to.throw(ProgrammerError);
  });

  it('writes both halves of a counter past 2^32, as the async sealer does', async () => {
    const key = randomBytes(32);
    const sealer = new FrameSealer(key, SESSION, 0);
    const twin = new AsyncFrameSealer(key, SESSION, 0, nodeAsyncCryptoBackend);
    const start = 0x01020304_fffffffen;
    for (const one of [sealer, twin]) moveCounter(one, start);
    const frames = [1, 2, 3].map(() => Buffer.from(sealer.seal(Buffer.from('x'))));

    expect(frames.map((f) => f.readBigUInt64BE(2))).to.deep.equal([
      start + 1n,
      start + 2n,
      start + 3n,
    ]);
    for (const frame of frames) {
      const same = Buffer.from(await twin.seal(Buffer.from('x')));
      expect(same.toString('hex'), 'the sync sealer reuses its nonce and AAD').to.equal(
        frame.toString('hex'),
      );
    }
    const opener = new FrameOpener(key, SESSION, 0);
    const counters = frames.map((frame) => opener.open(frame)).map((r) => r.ok && r.counter);
    expect(counters).to.deep.equal([start + 1n, start + 2n, start + 3n]);
    // The low half of the second is above the third's: only the high half tells it is older.
    expect(opener.open(frames[1]!)).to.deep.equal({ ok: false, reason: 'replayed' });
  });

  it("puts each call's own prefix before the frame, however prefixes change between calls", () => {
    const { sealer, opener } = pair();
    const prefixes = ['ab', 'cd', 'longer', 'xy', ''].map((text) => Buffer.from(text));
    const frames = prefixes.map((prefix) => Buffer.from(sealer.seal(Buffer.from('x'), prefix)));

    frames.forEach((frame, i) => {
      const prefix = prefixes[i]!;
      expect(frame.subarray(0, prefix.length).equals(prefix)).to.equal(true);
      const opened = opener.open(frame.subarray(prefix.length));
      expect(opened.ok && opened.counter).to.equal(BigInt(i + 1));
    });
  });

  it('refuses keys of the wrong length and an empty session id', () => {
    expect(() => new FrameSealer(randomBytes(16), SESSION, 0)).to.throw(ProgrammerError);
    expect(() => new FrameOpener(randomBytes(32), '', 0)).to.throw(ProgrammerError);
  });

  it('derives opposite directions for the two participants of a pair', () => {
    expect(frameDirection('tech-1', 'user-1')).to.equal(0);
    expect(frameDirection('user-1', 'tech-1')).to.equal(1);
    expect(() => frameDirection('user-1', 'user-1')).to.throw(ProgrammerError);
  });

  it('seals and opens 1,024 frames of 64 KiB in a row, each back to its plaintext', () => {
    const { sealer, opener } = pair();
    const chunk = randomBytes(64 * 1024);

    for (let i = 0; i < 1024; i++) {
      const result = opener.open(sealer.seal(chunk));
      if (!result.ok) throw new Error(`frame ${i} dropped: ${result.reason}`);
      if (i % 256 === 0) expect(Buffer.from(result.plaintext).equals(chunk)).to.equal(true);
    }
    expect(opener.stats()).to.deep.include({ opened: 1024 });
  });
});
