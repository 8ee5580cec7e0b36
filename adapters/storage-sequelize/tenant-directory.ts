import { randomUUID } from 'node:crypto';
import type { Transaction } from 'sequelize';
import type {
  Page,
  PageRequest,
  Tenant,
  TenantDirectory,
  TenantId,
} from '../../engine/contracts/storage-contract.js';
import { afterCursor, pageLimit, toPage } from './paging.js';
import { checkText, isUuid } from './text-checks.js';
import { guarded } from './storage-errors.js';
import { TransactionBound } from './transaction-bound.js';
import type { Row, StorageModels } from './storage-models.js';

function toTenant(row: Row): Tenant {
  return {
    id: row.get('id') as TenantId,
    name: row.get('name') as string,
    createdAt: new Date(row.get('createdAt') as Date),
  };
}

/** The tenants table: the only repository not confined to one tenant. */
export class SequelizeTenantDirectory extends TransactionBound implements TenantDirectory {
  constructor(
    private readonly models: StorageModels,
    transaction?: Transaction,
  ) {
    super(transaction);
  }

  async create(name: string): Promise<Tenant> {
    checkText('name', name, 200);
    return guarded(`tenant ${name}`, async () => {
      const values = { id: randomUUID(), name, createdAt: new Date() };
      return toTenant(await this.models.tenants.create(values, this.options()));
    });
  }

  findById(id: string): Promise<Tenant | undefined> {
    if (!isUuid(id)) return Promise.resolve(undefined);
    return this.findOne({ id });
  }

  findByName(name: string): Promise<Tenant | undefined> {
    return this.findOne({ name });
  }

  async list(page?: PageRequest): Promise<Page<Tenant>> {
    const limit = pageLimit(page);
    return guarded('tenants', async () => {
      const rows = await this.models.tenants.findAll({
        where: afterCursor('name', page),
        order: [['name', 'ASC']],
        limit: limit + 1,
        ...this.options(),
      });
      return toPage(rows, limit, (row) => row.get('name') as string, toTenant);
    });
  }

  count(): Promise<number> {
    return guarded('tenants', () => this.models.tenants.count(this.options()));
  }

  private findOne(where: Record<string, string>): Promise<Tenant | undefined> {
    return guarded('tenant', async () => {
      const row = await this.models.tenants.findOne({ where, ...this.options() });
      return row ? toTenant(row) : undefined;
    });
  }
}
