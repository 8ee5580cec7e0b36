import { createHash, createHmac } from 'node:crypto';
import { expect } from 'chai';
import { AuditLog, type AuditRecord } from '../../engine/contracts/audit-log-contract.js';
import type { JsonValue } from '../../engine/contracts/json-value.js';
import {
  Storage,
  type MemberRole,
  type TenantScope,
} from '../../engine/contracts/storage-contract.js';
import { PasswordHasher } from '../../engine/identity/password-hasher.js';
import type { TestResponse } from '../../sdk/testing/https-request.js';
import type { TestEngine } from '../../sdk/testing/test-engine.js';

/** The password `signInFirstAdmin` gives the first administrator when given none. */
export const ADMIN_PASSWORD = 'a fresh and long test passphrase 42';

/** The first tenant's repositories, straight from the engine's storage. */
export function tenantScope(engine: TestEngine): TenantScope {
  const storage = engine.engine.root.get<Storage>(Storage);
  return storage.forTenant(firstStartOf(engine).tenantId);
}

/** Replaces the first tenant's policy (there is no admin API for it yet). */
export async function setPolicy(engine: TestEngine, policy: JsonValue): Promise<void> {
  await tenantScope(engine).policy.put(policy, new Date());
}

/**
 * Adds a member with a password to the first tenant (in `groupId`, or at the top), as an
 * administrator would, hashed by the engine's real hasher. Resolves with the member's id.
 */
export async function addMember(
  engine: TestEngine,
  email: string,
  password: string,
  role: MemberRole = 'technician',
  groupId?: string,
): Promise<string> {
  const members = tenantScope(engine).members;
  const displayName = email.split('@')[0] ?? email;
  const member = await members.create({
    email,
    displayName,
    role,
    ...(groupId ? { groupId } : {}),
  });
  await members.updateCredentials(member.id, {
    passwordHash: await new PasswordHasher().hash(password),
    passwordChangedAt: new Date(),
    mustChangePassword: false,
  });
  return member.id;
}

/** What a login answers with. */
export interface LoginBody {
  readonly state: string;
  readonly member: { readonly id: string; readonly email: string };
  readonly expiresAt: string;
  readonly methods: readonly string[];
  readonly token?: string;
}

/** Signs in to the first tenant as an API client. */
export function login(
  engine: TestEngine,
  email: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<TestResponse> {
  const tenant = firstStartOf(engine).tenant;
  return engine.request('/api/v1/auth/login', {
    method: 'POST',
    headers,
    body: { tenant, email, password, client: 'api' },
  });
}

/** Signs in and expects it to work; resolves with the body and the bearer headers. */
export async function loginOk(
  engine: TestEngine,
  email: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<{ body: LoginBody; headers: Record<string, string> }> {
  const answer = await login(engine, email, password, headers);
  expect(answer.status, answer.text).to.equal(200);
  const body = answer.json as LoginBody;
  expect(body.token, 'an API sign-in gets a token').to.be.a('string');
  return { body, headers: { ...headers, authorization: `Bearer ${body.token}` } };
}

/** Expects an answer in the error shape with this status and code. */
export function expectError(answer: TestResponse, status: number, code: string): void {
  expect(answer.status, answer.text).to.equal(status);
  expect((answer.json as { error?: { code?: string } }).error?.code, answer.text).to.equal(code);
}

/** The current sign-in, as `GET /api/v1/auth/session` answers it. */
export function sessionOf(engine: TestEngine, headers: Record<string, string>) {
  return engine.request('/api/v1/auth/session', { headers });
}

/** The first tenant's audit records of these actions, oldest first. */
export function auditOf(engine: TestEngine, ...actions: string[]): Promise<readonly AuditRecord[]> {
  const log = engine.engine.root.get<AuditLog>(AuditLog);
  return log.list(firstStartOf(engine).tenantId, { actions, limit: 1000 });
}

/** Checks the first tenant's audit chain and expects it whole. */
export async function expectAuditChainWhole(engine: TestEngine): Promise<void> {
  const log = engine.engine.root.get<AuditLog>(AuditLog);
  const verification = await log.verify(firstStartOf(engine).tenantId);
  expect(verification.firstBad, JSON.stringify(verification.firstBad)).to.equal(undefined);
  expect(verification.checked).to.be.greaterThan(0);
}

/** SHA-256 hex of a bearer token, the key the engine finds its sign-in by. */
export function tokenHash(headers: Record<string, string>): string {
  const token = (headers.authorization ?? '').replace(/^Bearer /, '');
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Polls `condition` every 20 ms until it holds or `timeoutMs` passes; resolves with it. */
export async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return condition();
}

/** Makes a group of the first tenant's tree straight in storage; resolves with its id. */
export async function addGroup(engine: TestEngine, name: string, parentId?: string) {
  const group = await tenantScope(engine).groups.create({
    name,
    ...(parentId ? { parentId } : {}),
  });
  return group.id;
}

/** A member made with a password and signed in as an API client. */
export interface SignedInMember {
  readonly id: string;
  readonly email: string;
  readonly headers: Record<string, string>;
}

/**
 * Adds a member with `ADMIN_PASSWORD` (see {@link addMember}) and signs them in. An
 * `administrator` given `scopes` manages the subtrees of those groups.
 */
export async function signedInMember(
  engine: TestEngine,
  email: string,
  role: MemberRole,
  options: { readonly groupId?: string; readonly scopes?: readonly string[] } = {},
): Promise<SignedInMember> {
  const id = await addMember(engine, email, ADMIN_PASSWORD, role, options.groupId);
  if (options.scopes) await tenantScope(engine).groups.setAdminScopes(id, options.scopes);
  const { headers } = await loginOk(engine, email, ADMIN_PASSWORD);
  return { id, email, headers };
}

function firstStartOf(engine: TestEngine) {
  if (!engine.firstStart) throw new Error('this engine did not make the first tenant');
  return engine.firstStart;
}

// An independent RFC 6238 implementation, so that tests do not trust the code under test.

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Base32 (RFC 4648) to bytes. */
export function base32Decode(text: string): Buffer {
  let bits = '';
  for (const char of text.replace(/=+$/, '')) {
    const value = BASE32.indexOf(char);
    if (value < 0) throw new Error(`not base32: ${char}`);
    bits += value.toString(2).padStart(5, '0');
  }
  const bytes = bits.match(/.{8}/g) ?? [];
  return Buffer.from(bytes.map((byte) => parseInt(byte, 2)));
}

/** Bytes to base32 (RFC 4648) without padding. */
export function base32Encode(bytes: Buffer): string {
  const bits = [...bytes].map((byte) => byte.toString(2).padStart(8, '0')).join('');
  const groups = bits.match(/.{1,5}/g) ?? [];
  return groups.map((group) => BASE32[parseInt(group.padEnd(5, '0'), 2)]).join('');
}

/** RFC 6238 with SHA-1: HMAC of the big-endian step counter, then dynamic truncation. */
export function referenceCode(key: Buffer, step: number, digits = 6): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', key).update(counter).digest();

  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The 30-second TOTP step of `date`. */
export const stepOf = (date: Date): number => Math.floor(date.getTime() / 1000 / 30);

/** Six digits that are not the code of any step in the window around `step`. */
export function wrongCode(key: Buffer, step: number): string {
  const taken = new Set([-1, 0, 1].map((d) => referenceCode(key, step + d)));
  for (let n = 0; ; n += 1) {
    const candidate = String(n).padStart(6, '0');
    if (!taken.has(candidate)) return candidate;
  }
}
