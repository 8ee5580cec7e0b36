/** A technician group: a node of the tenant's organisation tree (the tenant is the root). */
export interface Group {
  readonly id: string;
  /** Absent for a group at the top of the tree. */
  readonly parentId?: string;
  readonly name: string;
  readonly createdAt: Date;
  /** Addresses its members may work from, on top of the tenant's list; absent: no limit. */
  readonly ipAllowList?: readonly string[];
}

/** A rename, a move (`parentId: null`: to the top) or a new address list (null: none). */
export interface GroupChange {
  readonly name?: string;
  readonly parentId?: string | null;
  readonly ipAllowList?: readonly string[] | null;
}

/** What one group says about one permission; what it does not say it inherits. */
export interface PermissionSetting {
  readonly groupId: string;
  readonly permission: string;
  /** null: the group inherits the value, but may still lock it. */
  readonly allowed: boolean | null;
  /** Set by a master administrator: lower administrators cannot change it here or below. */
  readonly locked: boolean;
}

/**
 * The organisation tree of one tenant: groups, their permission settings, and which groups
 * each administrator manages. Promises: everything is confined to the tenant; `list` returns
 * every group of the tenant (trees stay small enough to hold at once).
 */
export interface GroupRepository {
  create(group: { readonly name: string; readonly parentId?: string }): Promise<Group>;
  findById(id: string): Promise<Group | undefined>;
  list(): Promise<readonly Group[]>;
  /** Renames or moves a group; `parentId: null` moves it to the top. False when missing. */
  update(
    id: string,
    change: { readonly name?: string; readonly parentId?: string | null },
  ): Promise<boolean>;
  /** Deletes a group that has no subgroups and no members; false when missing. */
  delete(id: string): Promise<boolean>;
  /** The settings of the given groups, or of all groups. */
  settings(groupIds?: readonly string[]): Promise<readonly PermissionSetting[]>;
  /** Sets a permission on a group; `allowed: null` with no lock removes the setting. */
  setPermission(
    groupId: string,
    permission: string,
    value: { readonly allowed: boolean | null; readonly locked: boolean },
  ): Promise<void>;
  /** The groups an administrator manages (their subtrees included implicitly). */
  adminScopes(memberId: string): Promise<readonly string[]>;
  setAdminScopes(memberId: string, groupIds: readonly string[]): Promise<void>;
}
