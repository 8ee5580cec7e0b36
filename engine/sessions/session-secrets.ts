import { createHash, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A session's public id: `S` and 10 random base32 characters (50 bits), for lists and logs. */
export function newSessionRef(): string {
  let ref = 'S';
  for (let i = 0; i < 10; i += 1) ref += BASE32[randomInt(32)];
  return ref;
}

/** The pattern of a public session id. */
export const SESSION_REF_PATTERN = /^S[A-Z2-7]{10}$/;

/** A session GUID: 128 random bits, 32 hex characters. */
export function newSessionGuid(): string {
  return randomBytes(16).toString('hex');
}

/** A join code: six digits, uniformly drawn. */
export function newJoinCode(): string {
  return String(randomInt(1_000_000)).padStart(6, '0');
}

/** SHA-256 hex of a join code, the only form in which it is stored. */
export function joinCodeHash(code: string): string {
  return createHash('sha256').update(code, 'utf8').digest('hex');
}

/**
 * An end user's participant id: `u-` and a random UUID. It is as long as a technician's
 * (`t-` and a member id, a UUID too), so the gateway can write the sender's id over the
 * recipient's in a relayed frame without copying the frame (relay-envelope.ts).
 */
export function newEndUserParticipantId(): string {
  return `u-${randomUUID()}`;
}

/** The pattern of an end user's participant id. */
export const END_USER_ID_PATTERN =
  /^u-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A technician's participant id in every session: `t-` and the member id. */
export function technicianParticipantId(memberId: string): string {
  return `t-${memberId}`;
}

/** The end user's secret: 32 random bytes, base64url. */
export function newEndUserSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 (base64url) of an end user's secret, the only form in which it is stored. */
export function endUserSecretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url');
}

/** Whether `secret` hashes to `storedHash`, compared in constant time. */
export function endUserSecretMatches(secret: string, storedHash: string): boolean {
  const given = Buffer.from(endUserSecretHash(secret), 'base64url');
  const stored = Buffer.from(storedHash, 'base64url');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
