import { expect } from 'chai';
import { isTetherError, ProgrammerError } from '../../../engine/errors.js';
import { PasswordHasher } from '../../../engine/identity/password-hasher.js';

const PASSWORD = 'correct horse battery staple';
const FORMAT = /^scrypt\$v=1\$N=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9_-]{24})\$([A-Za-z0-9_-]{43})$/;
const MALFORMED = { ok: false, needsRehash: true };

function parts(encoded: string): string[] {
  const match = FORMAT.exec(encoded);
  expect(match, `not in the hash format: ${encoded}`).to.not.equal(null);
  return match!.slice(1);
}

/** `encoded` with its `$`-separated field `index` replaced by `replace(field)`. */
function withField(encoded: string, index: number, replace: (field: string) => string): string {
  const fields = encoded.split('$');
  fields[index] = replace(fields[index]!);
  return fields.join('$');
}

function flipChar(text: string, at: number): string {
  const flipped = text[at] === 'A' ? 'B' : 'A';
  return text.slice(0, at) + flipped + text.slice(at + 1);
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The key with its last character's two unused low bits set: the same bytes, not canonical. */
function withUnusedBitsSet(key: string): string {
  const last = BASE64URL.indexOf(key.at(-1)!);
  return key.slice(0, -1) + BASE64URL[last + 1];
}

async function millis(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function rejection(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher();
  let stored: string;

  before(async () => {
    stored = await hasher.hash(PASSWORD);
  });

  it('verifies the password it hashed and nothing else', async () => {
    expect(await hasher.verify(PASSWORD, stored)).to.deep.equal({ ok: true, needsRehash: false });
    expect((await hasher.verify('correct horse battery stapler', stored)).ok).to.equal(false);
    expect((await hasher.verify(PASSWORD.toUpperCase(), stored)).ok).to.equal(false);
  });

  it('writes the scheme, version, default cost, salt and key into one string', () => {
    expect(parts(stored).slice(0, 3)).to.deep.equal(['32768', '8', '1']);
  });

  it('draws a fresh 24-character base64url salt for every hash', async () => {
    const hashes = await Promise.all(Array.from({ length: 20 }, () => hasher.hash(PASSWORD)));
    const salts = hashes.map((hash) => parts(hash)[3]!);

    for (const salt of salts) expect(salt).to.match(/^[A-Za-z0-9_-]{24}$/);
    expect(new Set(salts).size).to.equal(20);
    expect(new Set(hashes).size).to.equal(20);
  });

  it('verifies a hash made with a weaker stored cost and asks for a rehash', async () => {
    const weak = await new PasswordHasher({ N: 2 ** 14 }).hash(PASSWORD);
    expect(parts(weak).slice(0, 3)).to.deep.equal(['16384', '8', '1']);

    expect(await hasher.verify(PASSWORD, weak)).to.deep.equal({ ok: true, needsRehash: true });
    const weaker = new PasswordHasher({ N: 2 ** 14 });
    expect(await weaker.verify(PASSWORD, weak)).to.deep.equal({ ok: true, needsRehash: false });
    expect(await weaker.verify(PASSWORD, stored)).to.deep.equal({ ok: true, needsRehash: false });
  });

  const tamperings: Array<[string, (encoded: string) => string]> = [
    ['the first character of the key', (e) => withField(e, 4, (key) => flipChar(key, 0))],
    ['the last character of the key', (e) => withField(e, 4, (key) => flipChar(key, 42))],
    ['the unused low bits of the key', (e) => withField(e, 4, withUnusedBitsSet)],
    ['a character of the salt', (e) => withField(e, 3, (salt) => flipChar(salt, 10))],
    ['the cost N', (e) => withField(e, 2, () => 'N=65536,r=8,p=1')],
    ['the cost r', (e) => withField(e, 2, () => 'N=32768,r=9,p=1')],
    ['the cost p', (e) => withField(e, 2, () => 'N=32768,r=8,p=2')],
    ['the version', (e) => withField(e, 1, () => 'v=2')],
    ['the scheme', (e) => withField(e, 0, () => 'Scrypt')],
  ];
  for (const [what, tamper] of tamperings) {
    it(`refuses the right password once ${what} was changed`, async () => {
      const tampered = tamper(stored);
      expect(tampered).to.not.equal(stored);
      expect((await hasher.verify(PASSWORD, tampered)).ok).to.equal(false);
    });
  }

  it('answers malformed stored data with ok false and a rehash, without throwing', async () => {
    const unreadable: unknown[] = [
      '',
      'scrypt',
      `${stored}$`,
      `${stored}=`,
      stored.replace('$v=1$', '$v=01$'),
      stored.replace('N=32768', 'N=032768'),
      `${stored.slice(0, -1)}!`,
      'x'.repeat(100_000),
      undefined,
      42,
    ];
    for (const encoded of unreadable) {
      const result = await hasher.verify(PASSWORD, encoded as string);
      expect(result, String(encoded).slice(0, 80)).to.deep.equal(MALFORMED);
    }
  });

  const absurd = [
    'N=16777216,r=8,p=1',
    'N=2097152,r=1,p=1',
    'N=1048576,r=8,p=1',
    'N=30000,r=8,p=1',
    'N=1,r=8,p=1',
    'N=32768,r=0,p=1',
    'N=32768,r=999,p=1',
    'N=32768,r=8,p=0',
    'N=32768,r=8,p=999',
    'N=4294967296,r=8,p=1',
  ];
  for (const cost of absurd) {
    it(`refuses the stored cost ${cost} at once instead of running it`, async () => {
      const tampered = withField(stored, 2, () => cost);
      let result: unknown;
      const took = await millis(async () => (result = await hasher.verify(PASSWORD, tampered)));
      expect(result).to.deep.equal(MALFORMED);
      expect(took).to.be.below(200);
    });
  }

  it('normalises to NFKC, so the ligature ﬁ and the letters fi are the same password', async () => {
    expect('ﬁsh-and-chips').to.not.equal('fish-and-chips');
    const ligature = await hasher.hash('ﬁsh-and-chips');
    expect((await hasher.verify('fish-and-chips', ligature)).ok).to.equal(true);
    expect((await hasher.verify('ﬁsh-and-chips', ligature)).ok).to.equal(true);
    expect((await hasher.verify('fish-and-chip', ligature)).ok).to.equal(false);
  });

  it('takes about as long for an unknown account as for a wrong password', async () => {
    const unknown: number[] = [];
    const wrong: number[] = [];
    await hasher.verifyUnknown('a guess');
    for (let run = 0; run < 8; run += 1) {
      unknown.push(await millis(() => hasher.verifyUnknown('a guess')));
      wrong.push(await millis(() => hasher.verify('a guess', stored)));
    }

    const ratio = median(unknown) / median(wrong);
    expect(ratio, `unknown ${median(unknown)} ms, wrong ${median(wrong)} ms`).to.be.within(0.5, 2);
    expect(await hasher.verifyUnknown(PASSWORD)).to.equal(false);
  });

  it('rejects a password over 1024 characters with TETHER_E_VALIDATION', async () => {
    const error = await rejection(() => hasher.hash('a'.repeat(1025)));
    expect(isTetherError(error, 'TETHER_E_VALIDATION'), String(error)).to.equal(true);
    expect((error as Error).message).to.contain('1024');

    const longest = await hasher.hash('a'.repeat(1024));
    expect((await hasher.verify('a'.repeat(1024), longest)).ok).to.equal(true);
    expect((await hasher.verify('a'.repeat(1025), longest)).ok).to.equal(false);
  });

  it('rejects a password that is not well-formed Unicode', async () => {
    const error = await rejection(() => hasher.hash('lone \uD800 surrogate'));
    expect(isTetherError(error, 'TETHER_E_VALIDATION'), String(error)).to.equal(true);
  });

  it('refuses to be built with a cost outside the bounds', () => {
    for (const cost of [{ N: 1000 }, { N: 2 ** 21 }, { r: 0 }, { p: 1.5 }, { N: 2 ** 20 }]) {
      expect(() => new PasswordHasher(cost), JSON.stringify(cost)).to.throw(ProgrammerError);
    }
  });
});
