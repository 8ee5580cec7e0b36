import { Op, QueryTypes, type Sequelize } from 'sequelize';
import type {
  SessionLocation,
  SessionLocator,
  TenantId,
} from '../../engine/contracts/storage-contract.js';
import { guarded } from './storage-errors.js';
import type { Row, StorageModels } from './storage-models.js';
import { isUuid } from './text-checks.js';

const CODE_HASH = /^[0-9a-f]{64}$/;
const GUID = /^[0-9a-f]{32}$/;
// Sequelize honours `hooks: false` on finds but does not type it.
const UNGUARDED = { hooks: false } as unknown as Record<string, never>;

function toLocation(row: Row): SessionLocation {
  return { tenantId: row.get('tenantId') as TenantId, ref: row.get('ref') as string };
}

/**
 * The cross-tenant session lookups. They are the one deliberate way past the tenant guard
 * (`hooks: false`), so each selects only the tenant id and the ref (or a group's tenant) and
 * nothing else a caller could read another tenant's content from.
 */
export class SequelizeSessionLocator implements SessionLocator {
  constructor(private readonly models: StorageModels) {}

  /** A bound query: a code's hash is as good as the code, and must not reach the debug log. */
  async byJoinCodeHash(codeHash: string): Promise<SessionLocation | undefined> {
    if (!CODE_HASH.test(codeHash)) return undefined;
    const where = "join_code_hash = $value AND state <> 'closed'";
    return this.boundOne(where, codeHash);
  }

  /** A bound query, so that the GUID never appears in the SQL the debug log writes. */
  async byGuid(guid: string): Promise<SessionLocation | undefined> {
    if (!GUID.test(guid)) return undefined;
    return this.boundOne('guid = $value', guid);
  }

  private boundOne(where: string, value: string): Promise<SessionLocation | undefined> {
    const sequelize = this.models.supportSessions.sequelize as Sequelize;
    return guarded('session location', async () => {
      const rows = await sequelize.query<{ tenant_id: string; ref: string }>(
        `SELECT tenant_id, ref FROM support_sessions WHERE ${where}`,
        { bind: { value }, type: QueryTypes.SELECT },
      );
      const row = rows[0];
      return row ? { tenantId: row.tenant_id as TenantId, ref: row.ref } : undefined;
    });
  }

  async tenantOfGroup(groupId: string): Promise<TenantId | undefined> {
    if (!isUuid(groupId)) return undefined;
    return guarded('group location', async () => {
      const row = await this.models.groups.findOne({
        attributes: ['tenantId'],
        where: { id: groupId },
        ...UNGUARDED,
      });
      return row ? (row.get('tenantId') as TenantId) : undefined;
    });
  }

  endUserGoneBefore(cutoff: Date, limit: number): Promise<readonly SessionLocation[]> {
    return this.many(
      { state: { [Op.ne]: 'closed' }, endUserLastSeenAt: { [Op.lt]: cutoff } },
      limit,
    );
  }

  codeExpiredBefore(now: Date, limit: number): Promise<readonly SessionLocation[]> {
    return this.many(
      {
        state: 'waiting',
        joinCodeHash: { [Op.ne]: null },
        joinCodeExpiresAt: { [Op.lt]: now },
        endUserLastSeenAt: null,
      },
      limit,
    );
  }

  private many(where: Record<string, unknown>, limit: number) {
    return guarded('session locations', async () => {
      const rows = await this.models.supportSessions.findAll({
        attributes: ['tenantId', 'ref'],
        where,
        order: [['ref', 'ASC']],
        limit,
        ...UNGUARDED,
      });
      return rows.map(toLocation);
    });
  }
}
