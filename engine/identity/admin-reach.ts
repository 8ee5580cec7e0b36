import type { Principal } from '../contracts/principal.js';
import type { Member, MemberRole, Storage } from '../contracts/storage-contract.js';
import { TetherError } from '../errors.js';
import { OrganisationTree } from './organisation-tree.js';

const RANK: Readonly<Record<MemberRole, number>> = {
  'master-account-holder': 3,
  'master-administrator': 2,
  administrator: 1,
  technician: 0,
};

/** The roles that may use the administration routes. */
export const ADMIN_ROLES: readonly MemberRole[] = [
  'master-account-holder',
  'master-administrator',
  'administrator',
];

/** The roles that manage the whole tenant (and alone may lock settings). */
export const MASTER_ROLES: readonly MemberRole[] = [
  'master-account-holder',
  'master-administrator',
];

/** What part of the tenant's tree an administrator manages. */
export interface Reach {
  readonly caller: Principal;
  /** True for master roles: the whole tenant. */
  readonly whole: boolean;
  /** The groups in reach (for `whole`, every group). */
  readonly groups: ReadonlySet<string>;
  readonly tree: OrganisationTree;
}

/** The caller's reach: a master role reaches everything; an administrator, their subtrees. */
export async function reachOf(storage: Storage, caller: Principal): Promise<Reach> {
  const groups = storage.forTenant(caller.tenantId).groups;
  const tree = new OrganisationTree(await groups.list());
  const whole = MASTER_ROLES.includes(caller.role);
  if (whole) return { caller, whole, groups: new Set(tree.groups.map((g) => g.id)), tree };
  const scopes = caller.role === 'administrator' ? await groups.adminScopes(caller.memberId) : [];
  return { caller, whole, groups: tree.subtrees(scopes), tree };
}

/** A group the caller reaches; anything else is "not found", never "forbidden". */
export function requireGroup(reach: Reach, groupId: string): void {
  if (!reach.groups.has(groupId)) throw new TetherError('TETHER_E_NOT_FOUND', 'No such group');
}

/**
 * Whether the caller may manage `target`: a master role manages every member but the account
 * holder (whom only the account holder manages); an administrator manages technicians of the
 * groups in reach. Nobody disables or demotes themselves through it.
 */
export function mayManage(reach: Reach, target: Member): boolean {
  if (target.id === reach.caller.memberId) return false;
  if (reach.whole) {
    return target.role !== 'master-account-holder' || reach.caller.role === target.role;
  }
  return target.role === 'technician' && !!target.groupId && reach.groups.has(target.groupId);
}

/** Whether the caller may give a member `role` (never above their own rank). */
export function mayGrantRole(reach: Reach, role: MemberRole): boolean {
  if (role === 'master-account-holder') return false;
  return reach.whole ? RANK[role] <= RANK[reach.caller.role] : role === 'technician';
}
