import type { Transaction } from 'sequelize';
import type { JsonValue } from '../../engine/contracts/json-value.js';
import type {
  Page,
  PageRequest,
  PluginRecord,
  PluginRecordRepository,
  TenantId,
} from '../../engine/contracts/storage-contract.js';
import { TetherError } from '../../engine/errors.js';
import { afterCursor, pageLimit, toPage } from './paging.js';
import { checkText } from './text-checks.js';
import { guarded } from './storage-errors.js';
import { TransactionBound } from './transaction-bound.js';
import type { Row, StorageModels } from './storage-models.js';

const KIND = /^[a-z][a-z0-9-.]{0,63}$/;
const MAX_KEY = 200;

function toRecord(row: Row): PluginRecord {
  return {
    kind: row.get('kind') as string,
    key: row.get('key') as string,
    value: JSON.parse(row.get('value') as string) as JsonValue,
    updatedAt: new Date(row.get('updatedAt') as Date),
  };
}

function checkAddress(kind: string, key?: string): void {
  if (!KIND.test(kind)) throw new TetherError('TETHER_E_VALIDATION', `kind: invalid "${kind}"`);
  if (key !== undefined) checkText('key', key, MAX_KEY);
}

/** One plugin's records inside one tenant. */
export class SequelizePluginRecordRepository
  extends TransactionBound
  implements PluginRecordRepository
{
  constructor(
    private readonly models: StorageModels,
    private readonly tenantId: TenantId,
    private readonly plugin: string,
    transaction?: Transaction,
  ) {
    super(transaction);
  }

  async put(kind: string, key: string, value: JsonValue): Promise<void> {
    checkAddress(kind, key);
    const row = { ...this.scope(), kind, key, value: JSON.stringify(value), updatedAt: new Date() };
    return guarded(`record ${kind}/${key}`, async () => {
      await this.models.pluginRecords.upsert(row, this.options());
    });
  }

  async get(kind: string, key: string): Promise<PluginRecord | undefined> {
    checkAddress(kind, key);
    return guarded(`record ${kind}/${key}`, async () => {
      const row = await this.models.pluginRecords.findOne({
        where: { ...this.scope(), kind, key },
        ...this.options(),
      });
      return row ? toRecord(row) : undefined;
    });
  }

  async list(kind: string, page?: PageRequest): Promise<Page<PluginRecord>> {
    checkAddress(kind);
    const limit = pageLimit(page);
    return guarded(`records ${kind}`, async () => {
      const rows = await this.models.pluginRecords.findAll({
        where: { ...this.scope(), kind, ...afterCursor('key', page) },
        order: [['key', 'ASC']],
        limit: limit + 1,
        ...this.options(),
      });
      return toPage(rows, limit, (row) => row.get('key') as string, toRecord);
    });
  }

  async delete(kind: string, key: string): Promise<boolean> {
    checkAddress(kind, key);
    return guarded(`record ${kind}/${key}`, async () => {
      const where = { ...this.scope(), kind, key };
      return (await this.models.pluginRecords.destroy({ where, ...this.options() })) > 0;
    });
  }

  private scope(): { tenantId: TenantId; plugin: string } {
    return { tenantId: this.tenantId, plugin: this.plugin };
  }
}
