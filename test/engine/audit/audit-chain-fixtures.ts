/** Chains and attacks shared by the audit chain specs. */
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { sealRecord, verifyChain, type AuditLink } from '../../../engine/audit/audit-chain.js';
import type { AuditEvent, AuditRecord } from '../../../engine/contracts/audit-log-contract.js';
import type { JsonValue } from '../../../engine/contracts/json-value.js';
import type { TenantId } from '../../../engine/contracts/storage-contract.js';
import { ProgrammerError } from '../../../engine/errors.js';

export const KEY = randomBytes(32);
export const OTHER_KEY = randomBytes(32);
export const TENANT = 'tenant-a' as TenantId;
export const OTHER_TENANT = 'tenant-b' as TenantId;
export const START = Date.parse('2024-05-01T10:00:00.000Z');

/** The event of record `seq`: the fields vary so that every kind of value is in the chain. */
export function eventFor(seq: number, tenantId: TenantId = TENANT): AuditEvent {
  const member = { kind: 'member', id: `m-${seq % 3}`, label: `ünï ${seq} 🚀 中文` } as const;
  const actor = seq % 4 === 0 ? ({ kind: 'system' } as const) : member;
  const event: AuditEvent = {
    tenantId,
    action: seq % 2 === 0 ? 'group.permission.changed' : 'auth.sign-in.succeeded',
    actor,
    target: seq % 3 === 0 ? { kind: 'group' } : { kind: 'member', id: `m-${seq}` },
    nodeId: seq % 5 === 0 ? undefined : `node-${seq % 2}`,
    ip: seq % 2 === 0 ? '2001:db8::7' : `203.0.113.${seq}`,
    before: seq % 3 === 1 ? null : { role: 'viewer', tags: ['a', 'b'], nested: { n: seq } },
    after: { role: 'admin', limits: { max: seq * 1.5, on: true, none: null }, list: [3, 1, 2] },
  };
  return seq % 2 === 0 ? { ...event, details: { reason: 'über "quoted" \\ \n', seq } } : event;
}

export function chainOf(count: number, tenantId = TENANT, key = KEY): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (let seq = 1; seq <= count; seq += 1) {
    records.push(sealRecord(key, records.at(-1), eventFor(seq, tenantId), timeOf(seq)));
  }
  return records;
}

export function timeOf(seq: number): Date {
  return new Date(START + seq * 60_000 + seq);
}

export type Change = (record: AuditRecord) => AuditRecord;

/** A copy of `records` with record `seq` replaced, its old hash kept, as an edited row. */
export function edited(
  records: readonly AuditRecord[],
  seq: number,
  change: Change,
): AuditRecord[] {
  return records.map((record) => (record.seq === seq ? change(record) : record));
}

/** Re-seals every record from `index` on under `key`, as an attacker re-linking the chain. */
export function resealedFrom(records: readonly AuditRecord[], index: number, key: Uint8Array) {
  const out = records.slice(0, index);
  for (const record of records.slice(index)) {
    out.push(sealRecord(key, out.at(-1), record, record.at));
  }
  return out;
}

/** Keys of every object in reverse order, as a database may return a JSON column. */
export function reversedKeys(value: JsonValue | undefined): JsonValue | undefined {
  if (Array.isArray(value)) return value.map((item: JsonValue) => reversedKeys(item) ?? null);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).reverse();
  return Object.fromEntries(entries.map(([name, item]) => [name, reversedKeys(item) ?? null]));
}

/** A record as a JSON column would give it back: keys reordered, `at` revived from a string. */
export function roundTripped(record: AuditRecord): AuditRecord {
  const parsed = JSON.parse(JSON.stringify(record)) as AuditRecord & { at: string };
  const reordered = reversedKeys(parsed as unknown as JsonValue) as unknown as AuditRecord;
  return { ...reordered, at: new Date(parsed.at) };
}

export async function* cursor(records: readonly AuditRecord[]): AsyncGenerator<AuditRecord> {
  for (const record of records) {
    await Promise.resolve();
    yield record;
  }
}

export type Records = Iterable<AuditRecord> | AsyncIterable<AuditRecord>;

export async function expectBad(records: Records, seq: number, reason: string) {
  const result = await verifyChain(KEY, TENANT, records);
  expect(result.firstBad).to.deep.equal({ seq, reason });
  return result;
}

export async function expectWhole(records: Records, checked: number, expectedHead?: AuditLink) {
  const result = await verifyChain(KEY, TENANT, records, expectedHead);
  expect(result).to.deep.equal({ tenantId: TENANT, checked });
}

export function expectProgrammerError(action: () => unknown, pattern: RegExp): void {
  expect(action).to.throw(ProgrammerError, pattern);
}

export function withAfter(record: AuditRecord, patch: Record<string, JsonValue>): AuditRecord {
  return { ...record, after: { ...(record.after as Record<string, JsonValue>), ...patch } };
}
