import { randomBytes } from 'node:crypto';
import type { Principal } from '../contracts/principal.js';
import type { ApiKey, TenantId } from '../contracts/storage-contract.js';
import { TetherError } from '../errors.js';
import type { Credentials, RequestAuthenticator } from '../http/request-authenticator.js';
import { policyOf, type IdentityDeps } from './identity-deps.js';
import { addressAllowed } from './address-rules.js';
import { digest } from './sign-in-token.js';

const PREFIX = 'tak';
const KEY =
  /^tak\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.[A-Za-z0-9_-]{43}$/i;
const TOUCH_EVERY_MS = 60_000;

/** The scopes an API key may carry: the administration API, read or write. */
export const API_KEY_SCOPES = ['members', 'groups', 'policy', 'audit'].flatMap((area) => [
  `${area}:read`,
  `${area}:write`,
]);

/** A new key for `tenantId`: `tak.<tenant id>.<32 random bytes>`, and its hash. */
export function newApiKey(tenantId: TenantId): { key: string; hash: string } {
  const key = `${PREFIX}.${tenantId}.${randomBytes(32).toString('base64url')}`;
  return { key, hash: digest(key) };
}

/** Whether a request presents an API key rather than a sign-in token. */
export function presentsApiKey(credentials: Credentials): boolean {
  return /^Bearer\s+tak\./i.test(credentials.authorization ?? '');
}

/**
 * Authenticates integrators' API keys. A key acts for the member who made it, never beyond
 * them, and only within its scopes; it expires, can be revoked, and stops working when its
 * member is disabled or locked. It never passes the sign-in routes.
 */
export class ApiKeyAuthenticator implements RequestAuthenticator {
  constructor(private readonly deps: IdentityDeps) {}

  async authenticate(
    credentials: Credentials,
    access: 'signed-in' | 'sign-in-step',
  ): Promise<Principal> {
    const presented = /^Bearer\s+(\S+)$/i.exec(credentials.authorization ?? '')?.[1] ?? '';
    const tenantId = KEY.exec(presented)?.[1]?.toLowerCase() as TenantId | undefined;
    if (!tenantId || access !== 'signed-in') throw new TetherError('TETHER_E_UNAUTHORIZED');
    const scope = this.deps.storage.forTenant(tenantId);
    const key = await scope.apiKeys.findByHash(digest(presented));
    const now = this.deps.clock.now();
    if (!key || key.revokedAt || key.expiresAt <= now) {
      throw new TetherError('TETHER_E_UNAUTHORIZED', 'The API key is unknown, revoked or expired');
    }
    const member = await scope.members.findById(key.memberId);
    if (!member || member.disabled || member.lockedAt) {
      throw new TetherError('TETHER_E_UNAUTHORIZED', "The API key's member cannot act now");
    }
    this.checkScope(key, credentials.scope);
    const policy = await policyOf(this.deps.storage, tenantId);
    if (!(await addressAllowed(this.deps.storage, tenantId, policy, member, credentials.ip))) {
      throw new TetherError('TETHER_E_IP_NOT_ALLOWED');
    }
    if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
      await scope.apiKeys.touch(key.id, now);
    }
    return {
      tenantId,
      memberId: member.id,
      role: member.role,
      sessionId: key.id,
      via: 'api-key',
      client: 'api',
      state: 'active',
    };
  }

  private checkScope(key: ApiKey, needed: string | undefined): void {
    if (needed !== undefined && key.scopes.includes(needed)) return;
    throw new TetherError(
      'TETHER_E_FORBIDDEN',
      `The API key lacks the scope ${needed ?? 'for this'}`,
    );
  }
}
