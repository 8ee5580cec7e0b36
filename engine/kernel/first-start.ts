import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../contracts/clock-contract.js';
import type { Storage, TenantId } from '../contracts/storage-contract.js';
import { isTetherError } from '../errors.js';

/** What the first start made; the secret is shown once to the operator and stored only hashed. */
export interface FirstStart {
  readonly tenantId: TenantId;
  readonly memberId: string;
  readonly tenant: string;
  readonly email: string;
  readonly secret: string;
  readonly expiresAt: Date;
}

const SECRET_LIFETIME_MS = 72 * 3600_000;

/** SHA-256 of a one-time secret, as the members table keeps it. */
export function hashOneTimeSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * On an empty database, makes the first tenant and its master administrator with a one-time
 * sign-in secret. Does nothing when any tenant exists, including one another node made a moment
 * earlier (its unique name turns our attempt into a conflict).
 */
export async function ensureFirstTenant(
  storage: Storage,
  clock: Clock,
  names: { readonly tenant: string; readonly email: string },
): Promise<FirstStart | undefined> {
  if ((await storage.tenants.count()) > 0) return undefined;
  const secret = randomBytes(24).toString('base64url');
  const expiresAt = new Date(clock.nowMs() + SECRET_LIFETIME_MS);
  try {
    const made = await storage.transaction(async (unit) => {
      const tenant = await unit.tenants.create(names.tenant);
      const member = await unit.forTenant(tenant.id).members.create({
        email: names.email,
        displayName: 'Master administrator',
        role: 'master-administrator',
        oneTimeSecretHash: hashOneTimeSecret(secret),
        oneTimeSecretExpiresAt: expiresAt,
      });
      return { tenantId: tenant.id, memberId: member.id };
    });
    return { ...made, tenant: names.tenant, email: names.email, secret, expiresAt };
  } catch (error) {
    if (isTetherError(error, 'TETHER_E_CONFLICT')) return undefined;
    throw error;
  }
}
