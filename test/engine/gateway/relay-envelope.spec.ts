import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { envelopeHeader, readRecipient, rewrap } from '../../../engine/gateway/relay-envelope.js';
import { envelope } from './gateway-harness.js';

describe('relay envelope', () => {
  const frame = randomBytes(300);

  function delivered(from: string): Buffer {
    return Buffer.concat([Buffer.from([1, from.length]), Buffer.from(from, 'latin1'), frame]);
  }

  function rewrapped(from: string, to: string) {
    const incoming = envelope(to, frame);
    const offset = 2 + incoming[1]!;
    return { incoming, out: rewrap(envelopeHeader(from), incoming, offset) };
  }

  it('delivers with the sender in place of the recipient, for every length of either id', () => {
    for (const [from, to] of [
      ['u-0123456789abcdef', 't-member-0123456789abcdef0123456789'],
      ['t-member-0123456789abcdef0123456789', 'u-0123456789abcdef'],
      ['same-length-a', 'same-length-b'],
      ['a', 'b'.repeat(128)],
      ['a'.repeat(128), 'b'],
    ] as const) {
      const { out } = rewrapped(from, to);
      expect(out.equals(delivered(from)), `${from} to ${to}`).to.equal(true);
      expect(readRecipient(out)).to.equal(from);
    }
  });

  it('reuses the incoming buffer when the sender id fits, and copies when it does not', () => {
    const [short, long] = ['u-0123456789abcdef', 't-member-0123456789abcdef0123456789'];
    const fits = rewrapped(short, long);
    expect(fits.out.buffer).to.equal(fits.incoming.buffer);
    expect(fits.out.byteOffset).to.equal(fits.incoming.byteOffset + long.length - short.length);

    const longer = rewrapped(long, short);
    expect(longer.incoming.equals(envelope(short, frame)), 'the input is left as it was').to.equal(
      true,
    );
    longer.incoming[longer.incoming.length - 1]! ^= 0xff;
    expect(longer.out.equals(delivered(long)), 'the output is a copy').to.equal(true);
  });

  it('hands back the very envelope when both ids are of one length', () => {
    const same = rewrapped('u-0123456789abcdef', 't-0123456789abcdef');
    expect(same.out).to.equal(same.incoming);
    expect(same.out.equals(delivered('u-0123456789abcdef'))).to.equal(true);
  });

  it('gives the previous recipient back only when every byte of the id matches it', () => {
    const previous = 't-0123456789abcdef';
    expect(readRecipient(envelope(previous, frame), previous)).to.equal(previous);
    for (const other of ['t-0123456789abcdeF', 'u-0123456789abcdef', 't-0123456789abcde']) {
      expect(readRecipient(envelope(other, frame), previous), other).to.equal(other);
    }
    const bad = envelope(previous, frame);
    bad[5] = 0x20; // a space: not a participant id byte, whatever the previous recipient was
    expect(readRecipient(bad, 't-0 23456789abcdef')).to.equal(undefined);
  });

  it('writes nothing outside the envelope it was given', () => {
    const incoming = envelope('t-member-0123456789abcdef0123456789', frame);
    const chunk = Buffer.concat([Buffer.alloc(16, 0xee), incoming, Buffer.alloc(16, 0xdd)]);
    const view = chunk.subarray(16, 16 + incoming.length);
    rewrap(envelopeHeader('u-0'), view, 2 + view[1]!);
    expect(chunk.subarray(0, 16).equals(Buffer.alloc(16, 0xee))).to.equal(true);
    expect(chunk.subarray(16 + incoming.length).equals(Buffer.alloc(16, 0xdd))).to.equal(true);
  });
});
