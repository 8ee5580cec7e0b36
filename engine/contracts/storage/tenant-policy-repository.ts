import type { JsonValue } from '../json-value.js';

/**
 * A tenant's policy document (passwords, second factor, sign-in sessions, lockout, address
 * lists), stored as JSON; the identity service gives it its shape and defaults.
 */
export interface TenantPolicyRepository {
  /** The stored document; undefined when the tenant never changed its policy. */
  get(): Promise<JsonValue | undefined>;
  put(policy: JsonValue, at: Date): Promise<void>;
}
