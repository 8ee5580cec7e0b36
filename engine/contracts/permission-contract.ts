import type { TenantId } from './storage-contract.js';

/** A permission's id, such as `remote-control` or a plugin's `lens.camera`. */
export type PermissionId = string;

/**
 * What a permission id looks like, everywhere one is checked (manifests, the group matrix, the
 * gateway, the end user's side): lower-case words of letters, digits and hyphens, joined by
 * dots, at most 100 characters. One pattern, so no side refuses a name another accepted.
 */
export const PERMISSION_ID_PATTERN = /^(?=.{1,100}$)[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$/;

/**
 * The first of the two yeses every action beyond chat needs: the technician group's
 * permission matrix, as administrators set it (the second, the end user's consent, is the
 * Consent contract). Promises: answers follow the matrix with inheritance down the tree and
 * locks; a member who is unknown, disabled or locked has no permission; a permission no one
 * declared is never granted. The end user's side checks again before it acts, from the signed
 * certificate; this contract is never the only gate.
 */
export interface Permission {
  /** Whether the member's group grants `permission`. */
  hasGroupPermission(
    tenantId: TenantId,
    memberId: string,
    permission: PermissionId,
  ): Promise<boolean>;
  /** Every permission the member's group grants. */
  groupPermissions(tenantId: TenantId, memberId: string): Promise<ReadonlySet<PermissionId>>;
}

/** Token of the {@link Permission} contract. */
export const Permission = Symbol.for('tether.Permission');
