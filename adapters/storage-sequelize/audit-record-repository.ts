import { Op, UniqueConstraintError, type Transaction, type WhereOptions } from 'sequelize';
import type {
  AuditActor,
  AuditQuery,
  AuditRecord,
} from '../../engine/contracts/audit-log-contract.js';
import type {
  AuditHead,
  AuditRecordRepository,
  TenantId,
} from '../../engine/contracts/storage-contract.js';
import { TetherError } from '../../engine/errors.js';
import { fromJsonColumn, toJsonColumn } from './json-column.js';
import { guarded } from './storage-errors.js';
import type { Row, StorageModels } from './storage-models.js';
import { TransactionBound } from './transaction-bound.js';

const ATTEMPTS = 8;
const BATCH = 500;

function toRecord(row: Row): AuditRecord {
  const get = (field: string) => row.get(field) ?? undefined;
  const actor = { kind: get('actorKind'), id: get('actorId'), label: get('actorLabel') };
  const target = get('targetKind') ? { kind: get('targetKind'), id: get('targetId') } : undefined;
  const record: Record<string, unknown> = {
    tenantId: get('tenantId'),
    seq: Number(get('seq')),
    at: new Date(get('at') as Date),
    action: get('action'),
    actor: withoutUndefined(actor) as unknown as AuditActor,
    target: target && withoutUndefined(target),
    nodeId: get('nodeId'),
    ip: get('ip'),
    before: fromJsonColumn(get('before')),
    after: fromJsonColumn(get('after')),
    details: fromJsonColumn(get('details')),
    prevHash: get('prevHash'),
    hash: get('hash'),
  };
  return withoutUndefined(record) as unknown as AuditRecord;
}

function withoutUndefined(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}

function toRow(record: AuditRecord): Record<string, unknown> {
  return {
    tenantId: record.tenantId,
    seq: record.seq,
    at: record.at,
    action: record.action,
    actorKind: record.actor.kind,
    actorId: record.actor.id ?? null,
    actorLabel: record.actor.label ?? null,
    targetKind: record.target?.kind ?? null,
    targetId: record.target?.id ?? null,
    nodeId: record.nodeId ?? null,
    ip: record.ip ?? null,
    before: toJsonColumn(record.before),
    after: toJsonColumn(record.after),
    details: toJsonColumn(record.details),
    prevHash: record.prevHash,
    hash: record.hash,
  };
}

/** One tenant's audit records and the head of its chain. */
export class SequelizeAuditRecordRepository
  extends TransactionBound
  implements AuditRecordRepository
{
  constructor(
    private readonly models: StorageModels,
    private readonly tenantId: TenantId,
    private readonly outer?: Transaction,
  ) {
    super(outer);
  }

  /**
   * Locks the head row (PostgreSQL, SQL Server), seals, inserts. The (tenant, seq) key refuses
   * a second record with the same number, so a race lost (SQLite has no row locks) is retried.
   */
  async append(seal: (head: AuditHead | undefined) => AuditRecord): Promise<AuditRecord> {
    if (this.outer) return this.appendIn(this.outer, seal);
    const sequelize = this.models.auditEvents.sequelize!;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await sequelize.transaction((transaction) => this.appendIn(transaction, seal));
      } catch (error) {
        if (!(error instanceof UniqueConstraintError) || attempt >= ATTEMPTS) {
          throw error instanceof TetherError ? error : wrap(error);
        }
      }
    }
  }

  async head(): Promise<AuditHead | undefined> {
    return guarded('audit head', () => this.readHead(this.outer));
  }

  list(query: AuditQuery = {}): Promise<readonly AuditRecord[]> {
    const limit = query.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      return Promise.reject(new TetherError('TETHER_E_VALIDATION', 'limit: expected 1 to 1000'));
    }
    return guarded('audit records', async () => {
      const rows = await this.models.auditEvents.findAll({
        where: this.where(query),
        order: [['seq', 'ASC']],
        limit,
        ...this.options(),
      });
      return rows.map(toRecord);
    });
  }

  async *walk(): AsyncIterable<AuditRecord> {
    for (let after = 0; ;) {
      const batch = await this.list({ afterSeq: after, limit: BATCH });
      yield* batch;
      if (batch.length < BATCH) return;
      after = batch[batch.length - 1]!.seq;
    }
  }

  private async appendIn(
    transaction: Transaction,
    seal: (head: AuditHead | undefined) => AuditRecord,
  ): Promise<AuditRecord> {
    const head = await this.readHead(transaction, true);
    const record = seal(head);
    await this.models.auditEvents.create(toRow(record), { transaction });
    const values = { tenantId: this.tenantId, seq: record.seq, hash: record.hash };
    if (head) {
      await this.models.auditHeads.update(values, {
        where: { tenantId: this.tenantId },
        transaction,
      });
    } else {
      await this.models.auditHeads.create(values, { transaction });
    }
    return record;
  }

  private async readHead(transaction?: Transaction, lock = false) {
    const row = await this.models.auditHeads.findOne({
      where: { tenantId: this.tenantId },
      ...(transaction ? { transaction, ...(lock ? { lock: transaction.LOCK.UPDATE } : {}) } : {}),
    });
    return row ? { seq: Number(row.get('seq')), hash: row.get('hash') as string } : undefined;
  }

  private where(query: AuditQuery): WhereOptions {
    const range: Record<symbol, unknown> = {};
    if (query.from) range[Op.gte] = query.from;
    if (query.to) range[Op.lte] = query.to;
    return {
      tenantId: this.tenantId,
      ...(query.from || query.to ? { at: range } : {}),
      ...(query.actions ? { action: { [Op.in]: [...query.actions] } } : {}),
      ...(query.nodeIds ? { nodeId: { [Op.in]: [...query.nodeIds] } } : {}),
      ...(query.actorId ? { actorId: query.actorId } : {}),
      ...(query.afterSeq !== undefined ? { seq: { [Op.gt]: query.afterSeq } } : {}),
    };
  }
}

function wrap(error: unknown): TetherError {
  return new TetherError('TETHER_E_AUDIT', 'audit append failed', { cause: error });
}
