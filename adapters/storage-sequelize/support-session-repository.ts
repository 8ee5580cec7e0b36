import { Op, type Sequelize, type Transaction, type WhereOptions } from 'sequelize';
import { TetherError } from '../../engine/errors.js';
import type { ConsentDecision } from '../../engine/contracts/consent-contract.js';
import type { SupportSessionState } from '../../engine/contracts/sessions-contract.js';
import type {
  NewSupportSession,
  Page,
  PageRequest,
  SessionListFilter,
  SessionStateChange,
  SupportSessionRecord,
  SupportSessionRepository,
  TenantId,
} from '../../engine/contracts/storage-contract.js';
import { afterCursor, pageLimit, toPage } from './paging.js';
import { SessionParticipantStore } from './session-participant-store.js';
import { guarded } from './storage-errors.js';
import type { Row, StorageModels } from './storage-models.js';
import { checkText, isUuid } from './text-checks.js';

/**
 * Sessions marked seen by one UPDATE, and sessions whose byte counts one UPDATE adds (two bound
 * values each). Kept small: building and running one statement is work the engine's thread does
 * in one go, and frames relayed meanwhile wait for it (about 1 ms for 50 counts here, against up
 * to 4 ms for 200).
 */
const SEEN_BATCH = 100;
const BYTES_BATCH = 50;
/** Tries of a consent write that lost to another before giving up. */
const CONSENT_ATTEMPTS = 10;

const QUEUED: readonly SupportSessionState[] = ['waiting', 'transferred'];
const MAX_QUEUE = 500;

function optionalDate(row: Row, field: string): Date | undefined {
  const value = row.get(field) as Date | string | null;
  return value === null || value === undefined ? undefined : new Date(value);
}

function optionalText(row: Row, field: string): string | undefined {
  const value = row.get(field) as string | null;
  return value === null || value === undefined ? undefined : value;
}

function toRecord(row: Row): SupportSessionRecord {
  const fields = {
    closeReason: optionalText(row, 'closeReason'),
    ownerMemberId: optionalText(row, 'ownerMemberId'),
    createdByMemberId: optionalText(row, 'createdByMemberId'),
    groupId: optionalText(row, 'groupId'),
    endUserName: optionalText(row, 'endUserName'),
    joinCodeExpiresAt: optionalDate(row, 'joinCodeExpiresAt'),
    joinCodeUsedAt: optionalDate(row, 'joinCodeUsedAt'),
    endUserLastSeenAt: optionalDate(row, 'endUserLastSeenAt'),
    endUserDisconnectedAt: optionalDate(row, 'endUserDisconnectedAt'),
    endedAt: optionalDate(row, 'endedAt'),
  };
  const present = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  return {
    ref: row.get('ref') as string,
    guid: row.get('guid') as string,
    state: row.get('state') as SupportSessionState,
    hasLiveCode: typeof row.get('joinCodeHash') === 'string',
    relayedBytes: Number(row.get('relayedBytes')),
    consent: JSON.parse(row.get('consent') as string) as Record<string, ConsentDecision>,
    createdAt: new Date(row.get('createdAt') as Date),
    updatedAt: new Date(row.get('updatedAt') as Date),
    ...present,
  };
}

/** The support sessions of one tenant; participants are kept by {@link SessionParticipantStore}. */
export class SequelizeSupportSessionRepository
  extends SessionParticipantStore
  implements SupportSessionRepository
{
  constructor(models: StorageModels, tenantId: TenantId, transaction?: Transaction) {
    super(models, tenantId, transaction);
  }

  async create(session: NewSupportSession): Promise<SupportSessionRecord> {
    if (session.endUserName !== undefined) checkText('endUserName', session.endUserName, 200);
    return guarded('support session', async () => {
      const row = await this.models.supportSessions.create(
        {
          ...session,
          tenantId: this.tenantId,
          state: 'waiting',
          relayedBytes: 0,
          consent: '{}',
          updatedAt: session.createdAt,
        },
        this.options(),
      );
      return toRecord(row);
    });
  }

  findByRef(ref: string): Promise<SupportSessionRecord | undefined> {
    return this.findOne({ ref });
  }

  async list(filter: SessionListFilter, page?: PageRequest): Promise<Page<SupportSessionRecord>> {
    const limit = pageLimit(page);
    const visible = filter.all ? {} : await this.visibleTo(filter);
    return guarded('support sessions', async () => {
      const rows = await this.models.supportSessions.findAll({
        where: {
          [Op.and]: [
            { tenantId: this.tenantId },
            visible,
            filter.state ? { state: filter.state } : {},
            afterCursor('ref', page),
          ],
          tenantId: this.tenantId,
        },
        order: [['ref', 'ASC']],
        limit: limit + 1,
        ...this.options(),
      });
      return toPage(rows, limit, (row) => row.get('ref') as string, toRecord);
    });
  }

  async queue(groupIds: readonly string[]): Promise<readonly SupportSessionRecord[]> {
    const ids = groupIds.filter(isUuid);
    if (ids.length === 0) return [];
    return guarded('session queue', async () => {
      const rows = await this.models.supportSessions.findAll({
        where: {
          tenantId: this.tenantId,
          groupId: { [Op.in]: ids },
          ownerMemberId: null,
          state: { [Op.in]: [...QUEUED] },
        },
        order: [['createdAt', 'ASC']],
        limit: MAX_QUEUE,
        ...this.options(),
      });
      return rows.map(toRecord);
    });
  }

  async changeState(ref: string, change: SessionStateChange): Promise<boolean> {
    const { expected, patch } = change;
    const where: Record<string, unknown> = {
      tenantId: this.tenantId,
      ref,
      state: { [Op.in]: [...expected.states] },
    };
    if (expected.ownerMemberId !== undefined) where.ownerMemberId = expected.ownerMemberId;
    const values: Record<string, unknown> = { ...patch };
    if (patch.consent) values.consent = JSON.stringify(patch.consent);
    // A closed session has no live code: the hash leaves so the digits can serve again.
    if (patch.state === 'closed') values.joinCodeHash = null;
    return this.updateWhere(where, values);
  }

  async useJoinCode(ref: string, codeHash: string, now: Date): Promise<boolean> {
    return this.updateWhere(
      {
        tenantId: this.tenantId,
        ref,
        joinCodeHash: codeHash,
        joinCodeExpiresAt: { [Op.gt]: now },
        state: { [Op.ne]: 'closed' },
      },
      { joinCodeHash: null, joinCodeUsedAt: now, endUserLastSeenAt: now, updatedAt: now },
    );
  }

  async touchEndUser(
    ref: string,
    seen: { readonly lastSeenAt: Date; readonly disconnectedAt?: Date | null },
  ): Promise<void> {
    const values: Record<string, unknown> = { endUserLastSeenAt: seen.lastSeenAt };
    if (seen.disconnectedAt !== undefined) values.endUserDisconnectedAt = seen.disconnectedAt;
    await this.updateWhere({ tenantId: this.tenantId, ref }, values);
  }

  async markEndUsersSeen(refs: readonly string[], at: Date): Promise<void> {
    for (let start = 0; start < refs.length; start += SEEN_BATCH) {
      const batch = refs.slice(start, start + SEEN_BATCH);
      await this.updateWhere(
        { tenantId: this.tenantId, ref: { [Op.in]: batch } },
        { endUserLastSeenAt: at },
      );
    }
  }

  async setEndUserName(ref: string, name: string): Promise<void> {
    checkText('endUserName', name, 200);
    await this.updateWhere({ tenantId: this.tenantId, ref }, { endUserName: name });
  }

  async addRelayedBytes(ref: string, bytes: number): Promise<void> {
    if (!Number.isSafeInteger(bytes) || bytes <= 0) return;
    await guarded('support session', () =>
      this.models.supportSessions.increment('relayedBytes', {
        by: bytes,
        where: { tenantId: this.tenantId, ref },
        ...this.options(),
      }),
    );
  }

  async addRelayedBytesMany(counts: ReadonlyMap<string, number>): Promise<void> {
    const entries = [...counts].filter(([, bytes]) => Number.isSafeInteger(bytes) && bytes > 0);
    for (let start = 0; start < entries.length; start += BYTES_BATCH) {
      await this.addBatch(entries.slice(start, start + BYTES_BATCH));
    }
  }

  /** One UPDATE for many sessions, every value bound (CASE is plain SQL in every dialect). */
  private addBatch(batch: ReadonlyArray<readonly [string, number]>): Promise<unknown> {
    const bind: Record<string, string | number> = { tenant: this.tenantId };
    const cases = batch.map(([ref, bytes], i) => {
      bind[`r${i}`] = ref;
      bind[`n${i}`] = bytes;
      return `WHEN $r${i} THEN CAST($n${i} AS BIGINT)`;
    });
    const refs = batch.map((_, i) => `$r${i}`).join(', ');
    const sql =
      `UPDATE support_sessions SET relayed_bytes = relayed_bytes + CASE ref ${cases.join(' ')} ` +
      `ELSE 0 END WHERE tenant_id = $tenant AND ref IN (${refs})`;
    const sequelize = this.models.supportSessions.sequelize as Sequelize;
    return guarded('support session', () => sequelize.query(sql, { bind, ...this.options() }));
  }

  async recordConsent(ref: string, permission: string, decision: ConsentDecision) {
    checkText('permission', permission, 100);
    // Read, change, and write only if nobody wrote in between; several reports of one single
    // prompt arrive together, and none may overwrite another.
    for (let attempt = 0; attempt < CONSENT_ATTEMPTS; attempt++) {
      const row = await guarded('support session', () =>
        this.models.supportSessions.findOne({
          where: { tenantId: this.tenantId, ref, state: { [Op.ne]: 'closed' } },
          attributes: ['consent'],
          ...this.options(),
        }),
      );
      if (!row) return false;
      const before = row.get('consent') as string;
      const after = JSON.stringify({ ...JSON.parse(before), [permission]: decision });
      const where = { tenantId: this.tenantId, ref, consent: before, state: { [Op.ne]: 'closed' } };
      if (await this.updateWhere(where, { consent: after })) return true;
    }
    throw new TetherError('TETHER_E_CONFLICT', 'The consent record kept changing; try again');
  }

  private async visibleTo(filter: SessionListFilter): Promise<WhereOptions> {
    const refs = await this.refsOf(filter.memberId);
    const groups = filter.groupIds.filter(isUuid);
    const or: WhereOptions[] = [];
    if (isUuid(filter.memberId)) {
      or.push({ ownerMemberId: filter.memberId }, { createdByMemberId: filter.memberId });
    }
    if (groups.length > 0) or.push({ groupId: { [Op.in]: groups } });
    if (refs.length > 0) or.push({ ref: { [Op.in]: [...refs] } });
    return or.length > 0 ? { [Op.or]: or } : { ref: null };
  }

  private findOne(where: Record<string, string>): Promise<SupportSessionRecord | undefined> {
    return guarded('support session', async () => {
      const row = await this.models.supportSessions.findOne({
        where: { tenantId: this.tenantId, ...where },
        ...this.options(),
      });
      return row ? toRecord(row) : undefined;
    });
  }

  private updateWhere(where: Record<string, unknown>, values: Record<string, unknown>) {
    return guarded('support session', async () => {
      const [changed] = await this.models.supportSessions.update(values, {
        where,
        ...this.options(),
      });
      return changed > 0;
    });
  }
}
