import { randomUUID } from 'node:crypto';
import type { Transaction } from 'sequelize';
import type {
  ApiKey,
  ApiKeyRepository,
  TenantId,
} from '../../engine/contracts/storage-contract.js';
import { guarded } from './storage-errors.js';
import type { Row, StorageModels } from './storage-models.js';
import { checkText, isUuid } from './text-checks.js';
import { TransactionBound } from './transaction-bound.js';

function toKey(row: Row): ApiKey {
  const optional = (field: string) => {
    const value = row.get(field) as Date | null;
    return value ? { [field]: new Date(value) } : {};
  };
  return {
    id: row.get('id') as string,
    memberId: row.get('memberId') as string,
    name: row.get('name') as string,
    scopes: JSON.parse(row.get('scopes') as string) as string[],
    createdAt: new Date(row.get('createdAt') as Date),
    expiresAt: new Date(row.get('expiresAt') as Date),
    ...optional('revokedAt'),
    ...optional('lastUsedAt'),
  };
}

/** The API keys of one tenant. */
export class SequelizeApiKeyRepository extends TransactionBound implements ApiKeyRepository {
  constructor(
    private readonly models: StorageModels,
    private readonly tenantId: TenantId,
    transaction?: Transaction,
  ) {
    super(transaction);
  }

  async create(key: Omit<ApiKey, 'id' | 'revokedAt' | 'lastUsedAt'> & { keyHash: string }) {
    checkText('name', key.name, 200);
    return guarded('api key', async () => {
      const row = await this.models.apiKeys.create(
        { ...key, id: randomUUID(), tenantId: this.tenantId, scopes: JSON.stringify(key.scopes) },
        this.options(),
      );
      return toKey(row);
    });
  }

  findByHash(keyHash: string): Promise<ApiKey | undefined> {
    return this.findOne({ keyHash });
  }

  async findById(id: string): Promise<ApiKey | undefined> {
    return isUuid(id) ? this.findOne({ id }) : undefined;
  }

  list(): Promise<readonly ApiKey[]> {
    return guarded('api keys', async () => {
      const rows = await this.models.apiKeys.findAll({
        where: { tenantId: this.tenantId },
        order: [['createdAt', 'ASC']],
        ...this.options(),
      });
      return rows.map(toKey);
    });
  }

  async revoke(id: string, at: Date): Promise<boolean> {
    if (!isUuid(id)) return false;
    return guarded('api key', async () => {
      const [changed] = await this.models.apiKeys.update(
        { revokedAt: at },
        { where: { tenantId: this.tenantId, id, revokedAt: null }, ...this.options() },
      );
      return changed > 0;
    });
  }

  async touch(id: string, at: Date): Promise<void> {
    if (!isUuid(id)) return;
    await guarded('api key', () =>
      this.models.apiKeys.update(
        { lastUsedAt: at },
        { where: { tenantId: this.tenantId, id }, ...this.options() },
      ),
    );
  }

  private findOne(where: Record<string, string>): Promise<ApiKey | undefined> {
    return guarded('api key', async () => {
      const row = await this.models.apiKeys.findOne({
        where: { tenantId: this.tenantId, ...where },
        ...this.options(),
      });
      return row ? toKey(row) : undefined;
    });
  }
}
