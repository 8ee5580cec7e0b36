import { randomUUID } from 'node:crypto';
import { Op, type Transaction } from 'sequelize';
import type {
  NewSignInSession,
  SignInClient,
  SignInSession,
  SignInSessionPatch,
  SignInSessionRepository,
  SignInState,
  TenantId,
} from '../../engine/contracts/storage-contract.js';
import { fromJsonColumn, toJsonColumn } from './json-column.js';
import { guarded } from './storage-errors.js';
import type { Row, StorageModels } from './storage-models.js';
import { isUuid } from './text-checks.js';
import { TransactionBound } from './transaction-bound.js';

function optionalDate(row: Row, field: string): Date | undefined {
  const value = row.get(field) as Date | null;
  return value ? new Date(value) : undefined;
}

function toSession(row: Row): SignInSession {
  const optional = {
    csrfHash: (row.get('csrfHash') as string | null) ?? undefined,
    revokedAt: optionalDate(row, 'revokedAt'),
    ip: (row.get('ip') as string | null) ?? undefined,
    pending: fromJsonColumn(row.get('pending')),
  };
  return {
    id: row.get('id') as string,
    memberId: row.get('memberId') as string,
    client: row.get('client') as SignInClient,
    state: row.get('state') as SignInState,
    createdAt: new Date(row.get('createdAt') as Date),
    lastSeenAt: new Date(row.get('lastSeenAt') as Date),
    authenticatedAt: new Date(row.get('authenticatedAt') as Date),
    expiresAt: new Date(row.get('expiresAt') as Date),
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
  };
}

/** The sign-ins of one tenant. */
export class SequelizeSignInSessionRepository
  extends TransactionBound
  implements SignInSessionRepository
{
  constructor(
    private readonly models: StorageModels,
    private readonly tenantId: TenantId,
    transaction?: Transaction,
  ) {
    super(transaction);
  }

  create(session: NewSignInSession): Promise<SignInSession> {
    return guarded('sign-in', async () => {
      const row = await this.models.signIns.create(
        {
          ...session,
          id: randomUUID(),
          tenantId: this.tenantId,
          pending: toJsonColumn(session.pending),
        },
        this.options(),
      );
      return toSession(row);
    });
  }

  findByTokenHash(tokenHash: string): Promise<SignInSession | undefined> {
    return this.findOne({ tokenHash });
  }

  async findById(id: string): Promise<SignInSession | undefined> {
    return isUuid(id) ? this.findOne({ id }) : undefined;
  }

  private findOne(where: Record<string, string>): Promise<SignInSession | undefined> {
    return guarded('sign-in', async () => {
      const row = await this.models.signIns.findOne({
        where: { tenantId: this.tenantId, ...where },
        ...this.options(),
      });
      return row ? toSession(row) : undefined;
    });
  }

  async update(id: string, patch: SignInSessionPatch): Promise<void> {
    if (!isUuid(id)) return;
    const values: Record<string, unknown> = { ...patch };
    if ('pending' in patch) {
      values.pending = patch.pending === null ? null : toJsonColumn(patch.pending);
    }
    await guarded('sign-in', () =>
      this.models.signIns.update(values, {
        where: { tenantId: this.tenantId, id },
        ...this.options(),
      }),
    );
  }

  async revoke(id: string, at: Date): Promise<void> {
    if (!isUuid(id)) return;
    await guarded('sign-in', () =>
      this.models.signIns.update(
        { revokedAt: at },
        { where: { tenantId: this.tenantId, id, revokedAt: null }, ...this.options() },
      ),
    );
  }

  async revokeAllOf(memberId: string, at: Date, keep?: string): Promise<number> {
    if (!isUuid(memberId)) return 0;
    const where = {
      tenantId: this.tenantId,
      memberId,
      revokedAt: null,
      ...(keep ? { id: { [Op.ne]: keep } } : {}),
    };
    return guarded('sign-ins', async () => {
      const [count] = await this.models.signIns.update(
        { revokedAt: at },
        { where, ...this.options() },
      );
      return count;
    });
  }

  sweep(before: Date): Promise<number> {
    const where = {
      tenantId: this.tenantId,
      [Op.or]: [{ expiresAt: { [Op.lt]: before } }, { revokedAt: { [Op.lt]: before } }],
    };
    return guarded('sign-ins', () => this.models.signIns.destroy({ where, ...this.options() }));
  }
}
