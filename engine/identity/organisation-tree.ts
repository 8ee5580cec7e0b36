import type { Group, PermissionSetting } from '../contracts/storage-contract.js';
import type { CatalogueEntry } from './permission-catalogue.js';

/** A permission as a group ends up with it, and whether (and where) it is locked. */
export interface EffectivePermission {
  readonly permission: string;
  readonly allowed: boolean;
  /** The group on the path from the top whose lock holds, if any. */
  readonly lockedBy?: string;
  /** What this very group says (null: it inherits). */
  readonly own: boolean | null;
}

/** A tenant's groups, read once, with the walks the rules need. */
export class OrganisationTree {
  private readonly byId: ReadonlyMap<string, Group>;
  private readonly children = new Map<string, string[]>();

  constructor(readonly groups: readonly Group[]) {
    this.byId = new Map(groups.map((group) => [group.id, group]));
    for (const group of groups) {
      if (!group.parentId) continue;
      const siblings = this.children.get(group.parentId) ?? [];
      siblings.push(group.id);
      this.children.set(group.parentId, siblings);
    }
  }

  has(groupId: string): boolean {
    return this.byId.has(groupId);
  }

  /** The groups from the top of the tree down to `groupId`, inclusive. */
  path(groupId: string): readonly string[] {
    const path: string[] = [];
    for (let id: string | undefined = groupId; id && path.length <= this.groups.length;) {
      path.unshift(id);
      id = this.byId.get(id)?.parentId;
    }
    return path;
  }

  /** The given groups and every group below them. */
  subtrees(roots: readonly string[]): Set<string> {
    const found = new Set<string>();
    const queue = roots.filter((id) => this.byId.has(id));
    while (queue.length > 0) {
      const id = queue.pop() as string;
      if (found.has(id)) continue;
      found.add(id);
      queue.push(...(this.children.get(id) ?? []));
    }
    return found;
  }

  /** Whether moving `groupId` under `parentId` would put it below itself. */
  wouldCycle(groupId: string, parentId: string): boolean {
    return this.path(parentId).includes(groupId);
  }

  /** Every catalogue permission of `groupId`, inherited down the path, with locks. */
  effective(
    groupId: string,
    catalogue: readonly CatalogueEntry[],
    settings: readonly PermissionSetting[],
  ): EffectivePermission[] {
    const path = this.path(groupId);
    return catalogue.map((entry) => {
      let allowed = entry.byDefault;
      let lockedBy: string | undefined;
      let own: boolean | null = null;
      for (const node of path) {
        const setting = settings.find((s) => s.groupId === node && s.permission === entry.id);
        if (!setting) continue;
        if (setting.allowed !== null) allowed = setting.allowed;
        if (setting.locked && lockedBy === undefined) lockedBy = node;
        if (node === groupId) own = setting.allowed;
      }
      return { permission: entry.id, allowed, own, ...(lockedBy ? { lockedBy } : {}) };
    });
  }
}
