import type { Transaction } from 'sequelize';
import type { JsonValue } from '../../engine/contracts/json-value.js';
import type { TenantId, TenantPolicyRepository } from '../../engine/contracts/storage-contract.js';
import { fromJsonColumn } from './json-column.js';
import { guarded } from './storage-errors.js';
import type { StorageModels } from './storage-models.js';
import { TransactionBound } from './transaction-bound.js';

/** A tenant's policy document, one row per tenant. */
export class SequelizeTenantPolicyRepository
  extends TransactionBound
  implements TenantPolicyRepository
{
  constructor(
    private readonly models: StorageModels,
    private readonly tenantId: TenantId,
    transaction?: Transaction,
  ) {
    super(transaction);
  }

  get(): Promise<JsonValue | undefined> {
    return guarded('policy', async () => {
      const row = await this.models.policies.findOne({
        where: { tenantId: this.tenantId },
        ...this.options(),
      });
      return row ? fromJsonColumn(row.get('policy')) : undefined;
    });
  }

  async put(policy: JsonValue, at: Date): Promise<void> {
    const row = { tenantId: this.tenantId, policy: JSON.stringify(policy), updatedAt: at };
    await guarded('policy', () => this.models.policies.upsert(row, this.options()));
  }
}
