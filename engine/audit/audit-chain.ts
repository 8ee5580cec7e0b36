import { createHmac, timingSafeEqual } from 'node:crypto';
import type {
  AuditActor,
  AuditEvent,
  AuditRecord,
  AuditVerification,
} from '../contracts/audit-log-contract.js';
import type { TenantId } from '../contracts/storage-contract.js';
import { ProgrammerError } from '../errors.js';

/** The `prevHash` of a tenant's first record: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/** A record as far as the next one needs it. */
export interface AuditLink {
  readonly seq: number;
  readonly hash: string;
}

/** A record before it is hashed. */
export type UnhashedAuditRecord = Omit<AuditRecord, 'hash'>;

type Target = NonNullable<AuditEvent['target']>;

const KEY_BYTES = 32;
const HASH_PATTERN = /^[0-9a-f]{64}$/;
/** Deeper values are refused; it also stops a value that contains itself. */
const MAX_DEPTH = 64;

// Each field that is hashed is named here. The mapped types make the build fail when a field is
// added to the contract and not here, so a new field cannot go unhashed by oversight.
const ACTOR_FIELDS: { readonly [K in keyof Required<AuditActor>]: true } = {
  kind: true,
  id: true,
  label: true,
};
const TARGET_FIELDS: { readonly [K in keyof Required<Target>]: true } = { kind: true, id: true };

type CanonicalRecord = { readonly [K in keyof Required<UnhashedAuditRecord>]: unknown };

function canonicalFields(record: UnhashedAuditRecord): CanonicalRecord {
  return {
    seq: checkedSeq(record.seq),
    tenantId: record.tenantId,
    at: isoTime(record.at),
    action: record.action,
    actor: picked(record.actor, ACTOR_FIELDS),
    target: picked(record.target, TARGET_FIELDS),
    nodeId: record.nodeId,
    ip: record.ip,
    before: record.before,
    after: record.after,
    details: record.details,
    prevHash: record.prevHash,
  };
}

function checkedSeq(seq: unknown): number {
  if (typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 1) return seq;
  throw new ProgrammerError(`audit record seq must be a positive integer, not ${describe(seq)}`);
}

function isoTime(at: unknown): string {
  if (at instanceof Date && !Number.isNaN(at.getTime())) return at.toISOString();
  throw new ProgrammerError(`audit record at must be a valid Date, not ${describe(at)}`);
}

/** Only the named fields of an object; anything else (null, a string) is kept to be encoded. */
function picked(value: unknown, fields: Readonly<Record<string, true>>): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const source = value as Readonly<Record<string, unknown>>;
  return Object.fromEntries(Object.keys(fields).map((name) => [name, source[name]]));
}

function describe(value: unknown): string {
  if (value === null || typeof value !== 'object') return `${typeof value} ${String(value)}`;
  return `an instance of ${value.constructor?.name ?? 'a null prototype'}`;
}

/** Canonical JSON of one value; `undefined` only for an absent member of an object. */
function encodeValue(value: unknown, path: string, depth: number): string {
  if (depth > MAX_DEPTH) throw notJson(path, `nests deeper than ${MAX_DEPTH} levels`);
  if (value === null || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'string') return encodeString(value, path);
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return JSON.stringify(value);
    throw notJson(path, `is ${value}`);
  }
  if (Array.isArray(value)) return encodeArray(value, path, depth);
  if (isPlainObject(value)) return encodeObject(value, path, depth);
  throw notJson(path, `is ${describe(value)}`);
}

function encodeString(value: string, path: string): string {
  // A lone surrogate cannot be stored as UTF-8, so it would not read back as the same string.
  if (/\p{Cs}/u.test(value)) throw notJson(path, 'holds a lone UTF-16 surrogate');
  return JSON.stringify(value);
}

function encodeArray(items: readonly unknown[], path: string, depth: number): string {
  const parts = items.map((item, index) => {
    if (item === undefined) throw notJson(`${path}.${index}`, 'is undefined');
    return encodeValue(item, `${path}.${index}`, depth + 1);
  });
  return `[${parts.join(',')}]`;
}

/** Members sorted by UTF-16 code units, as JSON.parse gives them back; undefined ones omitted. */
function encodeObject(object: Readonly<Record<string, unknown>>, path: string, depth: number) {
  const parts: string[] = [];
  for (const name of Object.keys(object).sort()) {
    const member = object[name];
    if (member === undefined) continue;
    const inner = `${path}.${name}`;
    parts.push(`${encodeString(name, inner)}:${encodeValue(member, inner, depth + 1)}`);
  }
  return `{${parts.join(',')}}`;
}

function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function notJson(path: string, problem: string): ProgrammerError {
  return new ProgrammerError(`audit ${path} ${problem}; it must be plain JSON`);
}

/**
 * The bytes a record's hash covers: canonical JSON (UTF-8) of `seq`, `tenantId`, `at` (ISO 8601
 * with milliseconds), `action`, `actor`, `target`, `nodeId`, `ip`, `before`, `after`, `details`
 * and `prevHash`, with the members of every object sorted and absent or undefined members
 * left out (`null` stays `null`). Properties outside the contract, such as a row id, are not
 * covered. So a record that went through a database and came back with its JSON keys in
 * another order gives the same bytes. Throws a ProgrammerError for a value that JSON would not
 * give back unchanged (NaN, a Date inside `details`, a class instance, a lone surrogate).
 */
export function canonicalAuditBytes(record: UnhashedAuditRecord): Buffer {
  return Buffer.from(encodeValue(canonicalFields(record), 'record', 0), 'utf8');
}

function checkedKey(key: Uint8Array): Uint8Array {
  if (key instanceof Uint8Array && key.byteLength === KEY_BYTES) return key;
  const size = key instanceof Uint8Array ? `${key.byteLength} bytes` : describe(key);
  throw new ProgrammerError(`the audit chain key must be ${KEY_BYTES} bytes, not ${size}`);
}

/**
 * HMAC-SHA-256 (lower-case hex) of {@link canonicalAuditBytes} under `key`. The key, 32 bytes
 * used for nothing else, lives in the KeyStore outside the database, so database access alone
 * cannot recompute a chain. Throws a ProgrammerError for a key of another size.
 */
export function chainHash(key: Uint8Array, record: UnhashedAuditRecord): string {
  const hmac = createHmac('sha256', checkedKey(key));
  return hmac.update(canonicalAuditBytes(record)).digest('hex');
}

function checkedPrevious(previous: AuditLink | undefined): AuditLink {
  if (previous === undefined) return { seq: 0, hash: GENESIS_HASH };
  checkedSeq(previous.seq);
  if (typeof previous.hash === 'string' && HASH_PATTERN.test(previous.hash)) return previous;
  throw new ProgrammerError(`the previous audit hash is not 64 hex digits`);
}

/** Copies the event's fields, leaving absent ones out, so later changes to it cannot leak in. */
function recordFields(event: AuditEvent, at: Date): Omit<UnhashedAuditRecord, 'seq' | 'prevHash'> {
  const copy = {
    tenantId: event.tenantId,
    action: event.action,
    actor: withoutUndefined(picked(event.actor, ACTOR_FIELDS)) as AuditActor,
    target: withoutUndefined(picked(event.target, TARGET_FIELDS)) as Target | undefined,
    nodeId: event.nodeId,
    ip: event.ip,
    before: structuredClone(event.before),
    after: structuredClone(event.after),
    details: structuredClone(event.details),
    at: new Date(at.getTime()),
  };
  return withoutUndefined(copy) as typeof copy;
}

function withoutUndefined(value: unknown): unknown {
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined));
}

/**
 * Seals `event` as the record after `previous` (the tenant's last record, or undefined for its
 * first): `seq` one past it, `prevHash` its hash (or {@link GENESIS_HASH}), `hash` by
 * {@link chainHash}. JSON values are copied. Throws a ProgrammerError for a bad key, a bad
 * `previous`, an invalid `at` or a value that is not plain JSON.
 */
export function sealRecord(
  key: Uint8Array,
  previous: AuditLink | undefined,
  event: AuditEvent,
  at: Date,
): AuditRecord {
  checkedKey(key);
  const link = checkedPrevious(previous);
  isoTime(at);

  const seq = link.seq + 1;
  const fields = recordFields(event, at);
  const hash = chainHash(key, { seq, ...fields, prevHash: link.hash });
  // Not `{ ...unhashed, hash }`: V8 (node 20) gives every object written so a hidden class of
  // its own, and records pass through the storage's code by the thousand.
  return { seq, ...fields, prevHash: link.hash, hash };
}

function sameHash(expected: string, stored: unknown): boolean {
  if (typeof stored !== 'string') return false;
  const [want, have] = [Buffer.from(expected, 'utf8'), Buffer.from(stored, 'utf8')];
  return want.length === have.length && timingSafeEqual(want, have);
}

/** Why the stored hash cannot be trusted, if it cannot. */
function hashProblem(key: Uint8Array, record: AuditRecord): string | undefined {
  let expected: string;
  try {
    expected = chainHash(key, record);
  } catch (error) {
    // The key was checked already, so this is content a database gave back malformed.
    if (!(error instanceof ProgrammerError)) throw error;
    return `content is not valid audit data (${error.message})`;
  }
  return sameHash(expected, record.hash) ? undefined : 'hash does not match its content';
}

function sequenceProblem(seq: number, last: AuditLink | undefined): string | undefined {
  if (last === undefined) return seq === 1 ? undefined : `starts at ${seq}, not 1`;
  if (seq === last.seq) return `sequence repeats ${seq}`;
  if (seq < last.seq) return `sequence goes back from ${last.seq} to ${seq}`;
  return seq === last.seq + 1 ? undefined : `sequence jumps from ${last.seq} to ${seq}`;
}

function linkProblem(prevHash: string, last: AuditLink | undefined): string | undefined {
  if (last === undefined) {
    return prevHash === GENESIS_HASH ? undefined : 'previous hash is not the genesis hash';
  }
  return prevHash === last.hash ? undefined : `previous hash does not match record ${last.seq}`;
}

function recordProblem(
  key: Uint8Array,
  tenantId: TenantId,
  record: AuditRecord,
  last: AuditLink | undefined,
): string | undefined {
  if (record.tenantId !== tenantId) return 'belongs to another tenant';
  return (
    hashProblem(key, record) ??
    sequenceProblem(record.seq, last) ??
    linkProblem(record.prevHash, last)
  );
}

function headProblem(last: AuditLink | undefined, head: AuditLink): string | undefined {
  const end = last ?? { seq: 0, hash: GENESIS_HASH };
  if (end.seq !== head.seq) return `the chain ends at ${end.seq}, the head says ${head.seq}`;
  return end.hash === head.hash ? undefined : `record ${end.seq} does not match the head's hash`;
}

/** The seq to report for a record: its own, or where it stands when its own is not a number. */
function reportedSeq(record: AuditRecord, last: AuditLink | undefined): number {
  return Number.isSafeInteger(record.seq) ? record.seq : (last?.seq ?? 0) + 1;
}

/**
 * Checks a tenant's records, given in ascending `seq` order as stored, and reports the first
 * one that does not hold: `belongs to another tenant`, `hash does not match its content` (an
 * edited row, or one hashed under another key), `content is not valid audit data (...)`,
 * `starts at 3, not 1`, `sequence jumps from 6 to 8` (deleted rows), `sequence repeats 7`,
 * `sequence goes back from 8 to 5`, `previous hash is not the genesis hash` or `previous hash
 * does not match record 5` (a row replaced or the chain re-linked). A chain cut at its end
 * cannot be seen from the records alone: with `expectedHead` (the head the storage keeps) a
 * walk that ends elsewhere is reported on `expectedHead.seq` as `the chain ends at 17, the head
 * says 20` or `record 20 does not match the head's hash`. `checked` counts the records read;
 * reading stops at the first bad one. Throws a ProgrammerError for a key of another size.
 */
export async function verifyChain(
  key: Uint8Array,
  tenantId: TenantId,
  records: AsyncIterable<AuditRecord> | Iterable<AuditRecord>,
  expectedHead?: AuditLink,
): Promise<AuditVerification> {
  checkedKey(key);
  let last: AuditLink | undefined;
  let checked = 0;

  for await (const record of records) {
    checked += 1;
    const reason = recordProblem(key, tenantId, record, last);
    if (reason !== undefined) {
      return { tenantId, checked, firstBad: { seq: reportedSeq(record, last), reason } };
    }
    last = { seq: record.seq, hash: record.hash };
  }

  const reason = expectedHead === undefined ? undefined : headProblem(last, expectedHead);
  if (reason === undefined || expectedHead === undefined) return { tenantId, checked };
  return { tenantId, checked, firstBad: { seq: expectedHead.seq, reason } };
}
