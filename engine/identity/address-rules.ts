import type { Member, Storage, TenantId } from '../contracts/storage-contract.js';
import { IpAllowList } from './ip-allow-list.js';
import { OrganisationTree } from './organisation-tree.js';
import type { TenantPolicy } from './tenant-policy.js';

/**
 * Whether `ip` may be used: the tenant's list must allow it and, for a member in a group,
 * every list on the way from the top of the tree down to that group (an empty list allows
 * all). A group can narrow what the tenant allows, never widen it.
 */
export async function addressAllowed(
  storage: Storage,
  tenantId: TenantId,
  policy: TenantPolicy,
  member: Member | undefined,
  ip: string,
): Promise<boolean> {
  if (!IpAllowList.parse(policy.ipAllowList, 'ipAllowList').allows(ip)) return false;
  if (!member?.groupId) return true;
  const tree = new OrganisationTree(await storage.forTenant(tenantId).groups.list());
  const byId = new Map(tree.groups.map((group) => [group.id, group]));
  return tree.path(member.groupId).every((groupId) => {
    const list = byId.get(groupId)?.ipAllowList ?? [];
    return IpAllowList.parse(list, 'ipAllowList').allows(ip);
  });
}
