import { createHash, randomBytes } from 'node:crypto';
import type { TenantId } from '../contracts/storage-contract.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SECRET = /^[A-Za-z0-9_-]{43}$/;

/** A sign-in token: `<tenant id>.<32 random bytes, base64url>`; only its hash is stored. */
export interface SignInToken {
  readonly token: string;
  readonly tenantId: TenantId;
  readonly hash: string;
}

/** SHA-256 hex of a secret, as stored in place of tokens and codes. */
export function digest(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** A new token for a sign-in of `tenantId`. */
export function newSignInToken(tenantId: TenantId): SignInToken {
  const token = `${tenantId}.${randomBytes(32).toString('base64url')}`;
  return { token, tenantId, hash: digest(token) };
}

/** Reads a token a client sent; undefined when it cannot be one of ours. */
export function parseSignInToken(token: string | undefined): SignInToken | undefined {
  if (token === undefined || token.length > 100) return undefined;
  const [tenantId, secret, extra] = token.split('.');
  if (extra !== undefined || !tenantId || !UUID.test(tenantId) || !secret || !SECRET.test(secret)) {
    return undefined;
  }
  return { token, tenantId: tenantId as TenantId, hash: digest(token) };
}

/** A random CSRF token (base64url, 32 bytes). */
export function newCsrfToken(): string {
  return randomBytes(32).toString('base64url');
}
