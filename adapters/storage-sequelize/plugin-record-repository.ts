import { Op, type Transaction, type WhereOptions } from 'sequelize';
import type { JsonValue } from '../../engine/contracts/json-value.js';
import type {
  Page,
  PageRequest,
  PluginRecord,
  PluginRecordIndex,
  PluginRecordQuery,
  PluginRecordRepository,
  TenantId,
} from '../../engine/contracts/storage-contract.js';
import { isTetherError, TetherError } from '../../engine/errors.js';
import { afterCursor, pageLimit, toPage } from './paging.js';
import { afterTimeCursor, timeCursorOf } from './time-cursor.js';
import { checkText } from './text-checks.js';
import { guarded } from './storage-errors.js';
import { TransactionBound } from './transaction-bound.js';
import type { Row, StorageModels } from './storage-models.js';

const KIND = /^[a-z][a-z0-9-.]{0,63}$/;
const MAX_KEY = 200;
const MAX_TAG = 200;
const MAX_TAGS = 32;

function toRecord(row: Row): PluginRecord {
  const at = row.get('at') as Date | null | undefined;
  return {
    kind: row.get('kind') as string,
    key: row.get('key') as string,
    value: JSON.parse(row.get('value') as string) as JsonValue,
    updatedAt: new Date(row.get('updatedAt') as Date),
    ...(at ? { at: new Date(at) } : {}),
  };
}

function checkAddress(kind: string, key?: string): void {
  if (!KIND.test(kind)) throw new TetherError('TETHER_E_VALIDATION', `kind: invalid "${kind}"`);
  if (key !== undefined) checkText('key', key, MAX_KEY);
}

function checkTime(field: string, value: Date | undefined): void {
  if (value !== undefined && (!(value instanceof Date) || Number.isNaN(value.getTime()))) {
    throw new TetherError('TETHER_E_VALIDATION', `${field}: expected a valid date`);
  }
}

/** The distinct tags of an index, checked. */
function checkIndex(index: PluginRecordIndex | undefined): string[] {
  checkTime('at', index?.at);
  const tags = [...new Set(index?.tags ?? [])];
  if (tags.length > MAX_TAGS) {
    throw new TetherError('TETHER_E_VALIDATION', `tags: at most ${MAX_TAGS}`);
  }
  for (const tag of tags) checkText('tag', tag, MAX_TAG);
  return tags;
}

function periodOf(query: PluginRecordQuery): WhereOptions {
  checkTime('from', query.from);
  checkTime('to', query.to);
  return {
    at: {
      [Op.ne]: null,
      ...(query.from ? { [Op.gte]: query.from } : {}),
      ...(query.to ? { [Op.lt]: query.to } : {}),
    },
  };
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
    private readonly unit?: Transaction,
  ) {
    super(unit);
  }

  async put(kind: string, key: string, value: JsonValue, index?: PluginRecordIndex) {
    const row = this.rowOf(kind, key, value, index);
    return guarded(`record ${kind}/${key}`, () =>
      this.atomically(async (transaction) => {
        await this.models.pluginRecords.upsert(row.record, { transaction });
        await this.writeTags(row, transaction);
      }),
    );
  }

  async add(kind: string, key: string, value: JsonValue, index?: PluginRecordIndex) {
    const row = this.rowOf(kind, key, value, index);
    try {
      await guarded(`record ${kind}/${key}`, () =>
        this.atomically(async (transaction) => {
          await this.models.pluginRecords.create(row.record, { transaction });
          await this.writeTags(row, transaction);
        }),
      );
      return true;
    } catch (error) {
      if (isTetherError(error) && error.code === 'TETHER_E_CONFLICT') return false;
      throw error;
    }
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

  async find(
    kind: string,
    query: PluginRecordQuery,
    page?: PageRequest,
  ): Promise<Page<PluginRecord>> {
    checkAddress(kind);
    if (query.tag !== undefined) checkText('tag', query.tag, MAX_TAG);
    const limit = pageLimit(page);
    const where = { ...this.scope(), kind, ...periodOf(query), ...afterTimeCursor(page) };
    return guarded(`records ${kind}`, async () => {
      const rows =
        query.tag === undefined
          ? await this.ordered(this.models.pluginRecords, where, limit)
          : await this.tagged(kind, { ...where, tag: query.tag }, limit);
      return toPage(rows, limit, timeCursorOf, toRecord);
    });
  }

  async delete(kind: string, key: string): Promise<boolean> {
    checkAddress(kind, key);
    return guarded(`record ${kind}/${key}`, () =>
      this.atomically(async (transaction) => {
        const where = { ...this.scope(), kind, key };
        await this.models.pluginRecordTags.destroy({ where, transaction });
        return (await this.models.pluginRecords.destroy({ where, transaction })) > 0;
      }),
    );
  }

  /** The checked row of a record and its tags. */
  private rowOf(kind: string, key: string, value: JsonValue, index?: PluginRecordIndex) {
    checkAddress(kind, key);
    const tags = checkIndex(index);
    const at = index?.at ?? null;
    const updatedAt = new Date();
    const record = { ...this.scope(), kind, key, value: JSON.stringify(value), updatedAt, at };
    return { record, tags: tags.map((tag) => ({ ...this.scope(), kind, key, tag, at })) };
  }

  /** Replaces the tag rows of a record. */
  private async writeTags(row: ReturnType<typeof this.rowOf>, transaction: Transaction) {
    const { kind, key } = row.record;
    const where = { ...this.scope(), kind, key };
    await this.models.pluginRecordTags.destroy({ where, transaction });
    if (row.tags.length > 0)
      await this.models.pluginRecordTags.bulkCreate(row.tags, { transaction });
  }

  /** Rows of `model` ordered by time then key, one more than a page. */
  private ordered(model: StorageModels['pluginRecords'], where: WhereOptions, limit: number) {
    return model.findAll({
      where,
      order: [
        ['at', 'ASC'],
        ['key', 'ASC'],
      ],
      limit: limit + 1,
      ...this.options(),
    });
  }

  /** The records behind the tag rows that match, in the tag rows' order. */
  private async tagged(kind: string, where: WhereOptions, limit: number): Promise<Row[]> {
    const tagRows = await this.ordered(this.models.pluginRecordTags, where, limit);
    const keys = tagRows.map((row) => row.get('key') as string);
    if (keys.length === 0) return [];
    const records = await this.models.pluginRecords.findAll({
      where: { ...this.scope(), kind, key: { [Op.in]: keys } },
      ...this.options(),
    });
    const byKey = new Map(records.map((row) => [row.get('key') as string, row]));
    return keys.flatMap((key) => byKey.get(key) ?? []);
  }

  /**
   * Runs `work` in a transaction of its own, or in a savepoint of the repository's transaction,
   * so that a failed step (a clash in `add`) undoes only this call's writes.
   */
  private async atomically<T>(work: (transaction: Transaction) => Promise<T>): Promise<T> {
    const sequelize = this.models.pluginRecords.sequelize;
    if (!sequelize) throw new Error('plugin records: the model is not attached to a database');
    const options = this.unit ? { transaction: this.unit } : {};
    return sequelize.transaction(options, (transaction) => work(transaction));
  }

  private scope(): { tenantId: TenantId; plugin: string } {
    return { tenantId: this.tenantId, plugin: this.plugin };
  }
}
