import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { ProgrammerError, TetherError } from '../errors.js';

/** The scrypt cost parameters: CPU/memory cost `N`, block size `r`, parallelism `p`. */
export interface ScryptCost {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** What `verify` found: whether the password matches, and whether to store a fresh hash. */
export interface VerifyResult {
  readonly ok: boolean;
  /**
   * True when the stored hash was made with weaker parameters than the hasher's (or cannot be
   * read): after a successful sign-in the caller should hash the password again and store it.
   */
  readonly needsRehash: boolean;
}

/**
 * The longest password accepted, in UTF-16 code units of the input as given, so that one
 * request bounds the work it causes. The password policy uses the same bound.
 */
export const MAX_PASSWORD_LENGTH = 1024;

/** The cost a hasher uses when given none: about 32 MiB and 0.1 s per hash on a server. */
export const DEFAULT_SCRYPT_COST: ScryptCost = Object.freeze({ N: 2 ** 15, r: 8, p: 1 });

const SALT_BYTES = 18; // 24 base64url characters
const KEY_BYTES = 32; // 43 base64url characters
const MAX_ENCODED_LENGTH = 160;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const COST = /^N=([1-9]\d{0,7}),r=([1-9]\d{0,2}),p=([1-9]\d{0,2})$/;
const LONE_SURROGATE = /\p{Surrogate}/u;

// Bounds on any cost, stored or configured, so that a tampered row cannot make one verify burn
// gigabytes or seconds: 128 MiB of memory and 8 times the default work at most.
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;
const MAX_MEMORY_BYTES = 128 * 2 ** 20;
const MAX_WORK = 8 * 2 ** 18;

const MALFORMED: VerifyResult = Object.freeze({ ok: false, needsRehash: true });

interface StoredHash {
  readonly cost: ScryptCost;
  readonly salt: Buffer;
  readonly key: Buffer;
}

/**
 * Hashes and verifies passwords with scrypt. A hash is one self-describing string,
 *
 *     scrypt$v=1$N=32768,r=8,p=1$<salt>$<key>
 *
 * where `v=1` is the version of this format, `N`, `r`, `p` the scrypt cost (decimal, no leading
 * zeros), `<salt>` 18 bytes from the CSPRNG as 24 base64url characters (fresh for every hash)
 * and `<key>` the 32-byte derived key as 43 base64url characters, both without padding.
 *
 * Passwords are normalised to Unicode NFKC before hashing, so the same password typed on
 * different keyboards or input methods (a ligature, a full-width digit) gives the same hash.
 */
export class PasswordHasher {
  private readonly cost: ScryptCost;
  private readonly dummy: string;

  /** Throws a ProgrammerError when `cost` is outside the bounds any stored hash must keep. */
  constructor(cost: Partial<ScryptCost> = {}) {
    this.cost = Object.freeze({ ...DEFAULT_SCRYPT_COST, ...cost });
    if (!isSaneCost(this.cost)) {
      throw new ProgrammerError(`PasswordHasher: scrypt cost out of bounds: ${format(this.cost)}`);
    }
    // A random key no password derives to: verifying against it costs one full scrypt, as a
    // real hash does, and always fails.
    this.dummy = encode(this.cost, randomBytes(SALT_BYTES), randomBytes(KEY_BYTES));
  }

  /**
   * Hashes `password` with a fresh salt and the hasher's cost. Rejects a password longer than
   * MAX_PASSWORD_LENGTH, or one that is not well-formed Unicode, with TETHER_E_VALIDATION.
   */
  async hash(password: string): Promise<string> {
    const problem = problemWith(password);
    if (problem !== undefined) {
      throw new TetherError('TETHER_E_VALIDATION', problem, { details: { field: 'password' } });
    }
    const salt = randomBytes(SALT_BYTES);
    return encode(this.cost, salt, await deriveKey(prepare(password), salt, this.cost));
  }

  /**
   * Checks `password` against a hash made by `hash`, comparing in constant time. Never throws
   * for bad stored data: a hash it cannot read, or whose cost is out of bounds, answers
   * `{ ok: false, needsRehash: true }` at once; an over-long password answers `ok: false`.
   */
  async verify(password: string, encoded: string): Promise<VerifyResult> {
    const stored = parseEncoded(encoded);
    if (stored === undefined) return MALFORMED;

    const needsRehash = this.isWeaker(stored.cost);
    if (problemWith(password) !== undefined) return { ok: false, needsRehash };

    const key = await deriveKey(prepare(password), stored.salt, stored.cost);
    return { ok: timingSafeEqual(key, stored.key), needsRehash };
  }

  /**
   * Does the work of a failed `verify` at the hasher's cost, for a sign-in to an account that
   * does not exist, so that an unknown account and a wrong password take about the same time.
   */
  async verifyUnknown(password: string): Promise<false> {
    await this.verify(password, this.dummy);
    return false;
  }

  private isWeaker(stored: ScryptCost): boolean {
    return stored.N < this.cost.N || stored.r < this.cost.r || stored.p < this.cost.p;
  }
}

function problemWith(password: unknown): string | undefined {
  if (typeof password !== 'string') return 'password: must be a string';
  if (password.length > MAX_PASSWORD_LENGTH) {
    return `password: at most ${MAX_PASSWORD_LENGTH} characters`;
  }
  // Lone surrogates would all become U+FFFD in UTF-8, so different passwords would collide.
  if (LONE_SURROGATE.test(password)) return 'password: not valid Unicode text';
  return undefined;
}

function prepare(password: string): Buffer {
  return Buffer.from(password.normalize('NFKC'), 'utf8');
}

function deriveKey(password: Buffer, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const options = { ...cost, maxmem: memoryFor(cost) };
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_BYTES, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** What OpenSSL's scrypt allocates (the V array and the B blocks), plus room to spare. */
function memoryFor({ N, r, p }: ScryptCost): number {
  return 128 * r * (N + p + 2) + 2 ** 20;
}

function isSaneCost({ N, r, p }: ScryptCost): boolean {
  const shape = isPowerOfTwo(N) && inRange(r, 1, MAX_R) && inRange(p, 1, MAX_P);
  return shape && 128 * N * r <= MAX_MEMORY_BYTES && N * r * p <= MAX_WORK;
}

function isPowerOfTwo(n: number): boolean {
  return inRange(n, 2, MAX_N) && (n & (n - 1)) === 0;
}

function inRange(n: number, min: number, max: number): boolean {
  return Number.isSafeInteger(n) && n >= min && n <= max;
}

function format({ N, r, p }: ScryptCost): string {
  return `N=${N},r=${r},p=${p}`;
}

function encode(cost: ScryptCost, salt: Buffer, key: Buffer): string {
  return [
    'scrypt',
    'v=1',
    format(cost),
    salt.toString('base64url'),
    key.toString('base64url'),
  ].join('$');
}

function parseEncoded(encoded: unknown): StoredHash | undefined {
  if (typeof encoded !== 'string' || encoded.length > MAX_ENCODED_LENGTH) return undefined;
  const [scheme, version, costText, salt, key, ...rest] = encoded.split('$');
  if (scheme !== 'scrypt' || version !== 'v=1' || rest.length > 0) return undefined;

  const cost = parseCost(costText);
  const saltBytes = decodeExactly(salt, SALT_BYTES);
  const keyBytes = decodeExactly(key, KEY_BYTES);
  if (!cost || !saltBytes || !keyBytes) return undefined;
  return { cost, salt: saltBytes, key: keyBytes };
}

function parseCost(text: string | undefined): ScryptCost | undefined {
  const match = COST.exec(text ?? '');
  if (!match) return undefined;
  const cost = { N: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
  return isSaneCost(cost) ? cost : undefined;
}

/** The bytes of canonical base64url `text` when they are exactly `length` long. */
function decodeExactly(text: string | undefined, length: number): Buffer | undefined {
  if (text === undefined || !BASE64URL.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  // Re-encoding refuses a last character whose unused low bits were altered.
  return bytes.length === length && bytes.toString('base64url') === text ? bytes : undefined;
}
