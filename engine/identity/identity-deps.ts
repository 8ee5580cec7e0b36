import type { AuditEvent, AuditLog } from '../contracts/audit-log-contract.js';
import type { Clock } from '../contracts/clock-contract.js';
import type { Logger } from '../contracts/logger-contract.js';
import type { Mailer } from '../contracts/mailer-contract.js';
import type { SmsSender } from '../contracts/sms-sender-contract.js';
import type { Storage, TenantId } from '../contracts/storage-contract.js';
import type { TenantCipher } from '../crypto/tenant-cipher.js';
import type { PasswordHasher } from './password-hasher.js';
import { TenantPolicySchema, type TenantPolicy } from './tenant-policy.js';
import type { Totp } from './totp.js';

/** What the identity services share. */
export interface IdentityDeps {
  readonly storage: Storage;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly hasher: PasswordHasher;
  readonly cipher: TenantCipher;
  readonly totp: Totp;
  /** Absent when no mail module is loaded: e-mail codes are then not offered. */
  readonly mailer?: Mailer;
  /** Absent when no SMS module is loaded: text-message codes are then refused. */
  readonly sms?: SmsSender;
  readonly logger: Logger;
  /** Shown in authenticator apps next to the account. */
  readonly issuer: string;
}

/** The tenant's policy with defaults filled in. */
export async function policyOf(storage: Storage, tenantId: TenantId): Promise<TenantPolicy> {
  const stored = await storage.forTenant(tenantId).policy.get();
  return TenantPolicySchema.parse(stored ?? {});
}

/** Writes an audit record; a failure to audit is logged loudly and fails the caller. */
export async function audit(deps: IdentityDeps, event: AuditEvent): Promise<void> {
  try {
    await deps.audit.append(event);
  } catch (error) {
    deps.logger.error({ err: error, action: event.action }, 'audit append failed');
    throw error;
  }
}
