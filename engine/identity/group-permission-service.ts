import type { Permission, PermissionId } from '../contracts/permission-contract.js';
import type { Storage, TenantId } from '../contracts/storage-contract.js';
import { OrganisationTree } from './organisation-tree.js';
import type { CatalogueEntry } from './permission-catalogue.js';

/**
 * The Permission contract on the engine's organisation tree: a member's permissions are those
 * of their group, inherited from the top of the tree (a member outside any group gets the
 * catalogue's defaults), with the permissions of the built-in catalogue and the active plugins.
 */
export class GroupPermissionService implements Permission {
  constructor(
    private readonly storage: Storage,
    private readonly catalogue: () => readonly CatalogueEntry[],
  ) {}

  async hasGroupPermission(
    tenantId: TenantId,
    memberId: string,
    permission: PermissionId,
  ): Promise<boolean> {
    return (await this.groupPermissions(tenantId, memberId)).has(permission);
  }

  async groupPermissions(tenantId: TenantId, memberId: string): Promise<ReadonlySet<PermissionId>> {
    const scope = this.storage.forTenant(tenantId);
    const member = await scope.members.findById(memberId);
    if (!member || member.disabled || member.lockedAt) return new Set();
    const catalogue = this.catalogue();
    if (!member.groupId) {
      return new Set(catalogue.filter((entry) => entry.byDefault).map((entry) => entry.id));
    }
    const tree = new OrganisationTree(await scope.groups.list());
    const settings = await scope.groups.settings(tree.path(member.groupId));
    const effective = tree.effective(member.groupId, catalogue, settings);
    return new Set(effective.filter((entry) => entry.allowed).map((entry) => entry.permission));
  }
}
