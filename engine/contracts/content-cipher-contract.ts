import type { TenantId } from './storage-contract.js';

/**
 * Encryption at rest of customer content (chat transcripts, custom fields, file names) under the
 * tenant's own AES-256-GCM key, wrapped by the master key. Promises: what `seal` returns opens
 * only with the same tenant and purpose; after the tenant's key is destroyed nothing it sealed
 * opens again, in any backup; a tampered text fails with TETHER_E_DECRYPT.
 */
export interface ContentCipher {
  /** `plain` sealed for `tenantId`, bound to `purpose` (such as `chat:<sessionRef>`). */
  seal(tenantId: TenantId, purpose: string, plain: string): Promise<string>;
  /** The plain text of `sealed`. */
  open(tenantId: TenantId, purpose: string, sealed: string): Promise<string>;
}

/** Token of the {@link ContentCipher} contract. */
export const ContentCipher = Symbol.for('tether.ContentCipher');
