import { expect } from 'chai';
import { Totp } from '../../../engine/identity/totp.js';
// Written apart from the code under test, so that the tests do not trust it.
import {
  base32Decode,
  base32Encode,
  referenceCode,
  stepOf,
  wrongCode,
} from '../../support/identity-helpers.js';

describe('Totp', () => {
  const totp = new Totp();
  const rfcSecret = base32Encode(Buffer.from('12345678901234567890', 'ascii'));
  let secret: string;
  let key: Buffer;
  // Mid-step, so that the steps around it are unambiguous.
  const now = new Date(Date.UTC(2026, 0, 15, 12, 0, 15));

  beforeEach(() => {
    secret = totp.newSecret();
    key = base32Decode(secret);
  });

  it('makes base32 secrets of at least 160 bits, a new one each time', () => {
    expect(secret).to.match(/^[A-Z2-7]+$/);
    expect(key.length * 8).to.be.at.least(160);
    expect(totp.newSecret()).to.not.equal(secret);
  });

  it('accepts the code of the current step and returns that step', () => {
    const step = stepOf(now);
    expect(totp.verify(secret, referenceCode(key, step), now)).to.deep.equal({ ok: true, step });
  });

  it('accepts the code of one step before and of one step after', () => {
    const step = stepOf(now);
    const before = totp.verify(secret, referenceCode(key, step - 1), now);
    const after = totp.verify(secret, referenceCode(key, step + 1), now);
    expect(before).to.deep.equal({ ok: true, step: step - 1 });
    expect(after).to.deep.equal({ ok: true, step: step + 1 });
  });

  it('refuses the codes of two steps before and two steps after', () => {
    const step = stepOf(now);
    for (const offset of [-2, 2]) {
      const code = referenceCode(key, step + offset);
      // A coincidence with a code inside the window would make this test meaningless.
      if ([-1, 0, 1].some((d) => referenceCode(key, step + d) === code)) continue;
      expect(totp.verify(secret, code, now), `offset ${offset}`).to.deep.equal({ ok: false });
    }
  });

  it('refuses a code replayed with its step as the last used step', () => {
    const code = referenceCode(key, stepOf(now));
    const first = totp.verify(secret, code, now);
    expect(first.ok).to.equal(true);
    const step = first.ok ? first.step : -1;
    expect(totp.verify(secret, code, now, step)).to.deep.equal({ ok: false });
    const later = new Date(now.getTime() + 20_000);
    expect(totp.verify(secret, code, later, step)).to.deep.equal({ ok: false });
  });

  it('refuses an older code once a newer step was used, but takes a newer one', () => {
    const step = stepOf(now);
    expect(totp.verify(secret, referenceCode(key, step - 1), now, step)).to.deep.equal({
      ok: false,
    });
    expect(totp.verify(secret, referenceCode(key, step + 1), now, step)).to.deep.equal({
      ok: true,
      step: step + 1,
    });
  });

  it('refuses everything when the last used step is past the window (clock set back)', () => {
    const step = stepOf(now);
    const code = referenceCode(key, step);
    expect(totp.verify(secret, code, now, step + 5)).to.deep.equal({ ok: false });
  });

  it('refuses a wrong code and the code of another secret', () => {
    const step = stepOf(now);
    expect(totp.verify(secret, wrongCode(key, step), now)).to.deep.equal({ ok: false });
    const other = base32Decode(totp.newSecret());
    const foreign = referenceCode(other, step);
    if (![-1, 0, 1].some((d) => referenceCode(key, step + d) === foreign)) {
      expect(totp.verify(secret, foreign, now)).to.deep.equal({ ok: false });
    }
  });

  it('refuses input that is not six digits, even when it contains the right code', () => {
    const code = referenceCode(key, stepOf(now));
    const bad = ['abc', '12345', '1234567', '', ` ${code}`, `${code} `, `${code}0`, '12 456'];
    for (const input of bad) {
      expect(totp.verify(secret, input, now), JSON.stringify(input)).to.deep.equal({ ok: false });
    }
    expect(totp.verify(secret, '١٢٣٤٥٦', now), 'non-ASCII digits').to.deep.equal({ ok: false });
  });

  it('refuses a lastUsedStep that is not a non-negative integer', () => {
    const code = referenceCode(key, stepOf(now));
    expect(() => totp.verify(secret, code, now, -1)).to.throw(/lastUsedStep/);
    expect(() => totp.verify(secret, code, now, 1.5)).to.throw(/lastUsedStep/);
  });

  it('matches the RFC 6238 SHA-1 test vectors (last six digits)', () => {
    expect(referenceCode(Buffer.from('12345678901234567890'), 1, 8)).to.equal('94287082');
    const vectors: [number, string][] = [
      [59, '287082'],
      [1111111109, '081804'],
      [1234567890, '005924'],
      [2000000000, '279037'],
    ];
    for (const [seconds, code] of vectors) {
      const at = new Date(seconds * 1000);
      const step = Math.floor(seconds / 30);
      expect(totp.verify(rfcSecret, code, at), `t=${seconds}`).to.deep.equal({ ok: true, step });
    }
  });

  it('agrees with the reference computation over many steps', () => {
    for (let i = 0; i < 50; i += 1) {
      const at = new Date(now.getTime() + i * 30_000);
      const step = stepOf(at);
      expect(totp.verify(secret, referenceCode(key, step), at)).to.deep.equal({ ok: true, step });
    }
  });

  it('writes an otpauth URL with issuer, label, secret, SHA1, 6 digits, 30 seconds', async () => {
    const { otpauthUrl } = await totp.setup(secret, 'ada@example.com', 'Tether Test');
    const url = new URL(otpauthUrl);
    expect(url.protocol).to.equal('otpauth:');
    expect(url.host).to.equal('totp');
    expect(decodeURIComponent(url.pathname)).to.equal('/Tether Test:ada@example.com');
    const query = url.searchParams;
    expect(query.get('secret')).to.equal(secret);
    expect(query.get('issuer')).to.equal('Tether Test');
    expect(query.get('algorithm')).to.equal('SHA1');
    expect(query.get('digits')).to.equal('6');
    expect(query.get('period')).to.equal('30');
    expect(query.getAll('period'), 'period given twice').to.have.length(1);
  });

  it('gives the URL as a PNG data URL that decodes to a PNG image', async () => {
    const { qrDataUrl } = await totp.setup(secret, 'ada@example.com', 'Tether Test');
    expect(qrDataUrl.startsWith('data:image/png;base64,')).to.equal(true);
    const png = Buffer.from(qrDataUrl.slice('data:image/png;base64,'.length), 'base64');
    expect(png.subarray(0, 8)).to.deep.equal(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
  });
});
