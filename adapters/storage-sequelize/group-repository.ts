import { randomUUID } from 'node:crypto';
import { Op, type Transaction } from 'sequelize';
import type {
  Group,
  GroupChange,
  GroupRepository,
  PermissionSetting,
  TenantId,
} from '../../engine/contracts/storage-contract.js';
import { TetherError } from '../../engine/errors.js';
import { fromJsonColumn, toJsonColumn } from './json-column.js';
import { guarded } from './storage-errors.js';
import type { Row, StorageModels } from './storage-models.js';
import { checkText, isUuid } from './text-checks.js';
import { TransactionBound } from './transaction-bound.js';

function toGroup(row: Row): Group {
  const parentId = row.get('parentId') as string | null;
  const ipAllowList = fromJsonColumn(row.get('ipAllowList')) as string[] | undefined;
  return {
    id: row.get('id') as string,
    ...(parentId ? { parentId } : {}),
    ...(ipAllowList ? { ipAllowList } : {}),
    name: row.get('name') as string,
    createdAt: new Date(row.get('createdAt') as Date),
  };
}

function toSetting(row: Row): PermissionSetting {
  return {
    groupId: row.get('groupId') as string,
    permission: row.get('permission') as string,
    allowed: row.get('allowed') === null ? null : Boolean(row.get('allowed')),
    locked: Boolean(row.get('locked')),
  };
}

/** The organisation tree of one tenant. */
export class SequelizeGroupRepository extends TransactionBound implements GroupRepository {
  constructor(
    private readonly models: StorageModels,
    private readonly tenantId: TenantId,
    transaction?: Transaction,
  ) {
    super(transaction);
  }

  async create(group: { name: string; parentId?: string }): Promise<Group> {
    checkText('name', group.name, 200);
    if (group.parentId !== undefined && !(await this.findById(group.parentId))) {
      throw new TetherError('TETHER_E_NOT_FOUND', 'parentId: no such group');
    }
    return guarded('group', async () => {
      const row = await this.models.groups.create(
        {
          id: randomUUID(),
          tenantId: this.tenantId,
          parentId: group.parentId ?? null,
          name: group.name,
          createdAt: new Date(),
        },
        this.options(),
      );
      return toGroup(row);
    });
  }

  async findById(id: string): Promise<Group | undefined> {
    if (!isUuid(id)) return undefined;
    return guarded('group', async () => {
      const row = await this.models.groups.findOne({
        where: this.scoped({ id }),
        ...this.options(),
      });
      return row ? toGroup(row) : undefined;
    });
  }

  list(): Promise<readonly Group[]> {
    return guarded('groups', async () => {
      const rows = await this.models.groups.findAll({
        where: this.scoped({}),
        order: [['name', 'ASC']],
        ...this.options(),
      });
      return rows.map(toGroup);
    });
  }

  async update(id: string, change: GroupChange): Promise<boolean> {
    if (!isUuid(id)) return false;
    if (change.name !== undefined) checkText('name', change.name, 200);
    if (typeof change.parentId === 'string' && !(await this.findById(change.parentId))) {
      throw new TetherError('TETHER_E_NOT_FOUND', 'parentId: no such group');
    }
    return guarded('group', async () => {
      const { ipAllowList, ...rest } = change;
      const values = {
        ...rest,
        ...(ipAllowList !== undefined
          ? { ipAllowList: ipAllowList === null ? null : toJsonColumn([...ipAllowList]) }
          : {}),
      };
      const [changed] = await this.models.groups.update(values, {
        where: this.scoped({ id }),
        ...this.options(),
      });
      return changed > 0;
    });
  }

  async delete(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    return guarded('group', async () => {
      const children = await this.models.groups.count({ where: this.scoped({ parentId: id }) });
      const members = await this.models.members.count({ where: this.scoped({ groupId: id }) });
      if (children + members > 0) {
        throw new TetherError('TETHER_E_CONFLICT', 'The group still has subgroups or members');
      }
      const removed = await this.models.groups.destroy({
        where: this.scoped({ id }),
        ...this.options(),
      });
      return removed > 0;
    });
  }

  settings(groupIds?: readonly string[]): Promise<readonly PermissionSetting[]> {
    const ids = groupIds?.filter(isUuid);
    return guarded('permissions', async () => {
      const rows = await this.models.groupPermissions.findAll({
        where: this.scoped(ids ? { groupId: { [Op.in]: ids } } : {}),
        ...this.options(),
      });
      return rows.map(toSetting);
    });
  }

  async setPermission(
    groupId: string,
    permission: string,
    value: { allowed: boolean | null; locked: boolean },
  ): Promise<void> {
    if (!(await this.findById(groupId))) throw new TetherError('TETHER_E_NOT_FOUND');
    const where = this.scoped({ groupId, permission });
    await guarded('permission', async () => {
      if (value.allowed === null && !value.locked) {
        await this.models.groupPermissions.destroy({ where, ...this.options() });
        return;
      }
      await this.models.groupPermissions.upsert({ ...where, ...value }, this.options());
    });
  }

  async adminScopes(memberId: string): Promise<readonly string[]> {
    if (!isUuid(memberId)) return [];
    return guarded('admin scopes', async () => {
      const rows = await this.models.adminScopes.findAll({
        where: this.scoped({ memberId }),
        ...this.options(),
      });
      return rows.map((row) => row.get('groupId') as string);
    });
  }

  async setAdminScopes(memberId: string, groupIds: readonly string[]): Promise<void> {
    await guarded('admin scopes', async () => {
      await this.models.adminScopes.destroy({
        where: this.scoped({ memberId }),
        ...this.options(),
      });
      for (const groupId of groupIds) {
        await this.models.adminScopes.create(this.scoped({ memberId, groupId }), this.options());
      }
    });
  }

  private scoped<T extends object>(where: T): T & { tenantId: TenantId } {
    return { ...where, tenantId: this.tenantId };
  }
}
