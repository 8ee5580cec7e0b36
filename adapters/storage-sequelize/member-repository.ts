import { randomUUID } from 'node:crypto';
import { Op, type Transaction } from 'sequelize';
import type {
  CredentialsPatch,
  FailedAttempt,
  Member,
  MemberChange,
  MemberCredentials,
  MemberRepository,
  MemberRole,
  NewMember,
  Page,
  PageRequest,
  SecondFactorMethod,
  TenantId,
} from '../../engine/contracts/storage-contract.js';
import { afterCursor, pageLimit, toPage } from './paging.js';
import { checkText, isUuid } from './text-checks.js';
import { guarded } from './storage-errors.js';
import { TransactionBound } from './transaction-bound.js';
import type { Row, StorageModels } from './storage-models.js';

function toMember(row: Row): Member {
  const lockedAt = row.get('lockedAt') as Date | null;
  return {
    id: row.get('id') as string,
    tenantId: row.get('tenantId') as TenantId,
    email: row.get('email') as string,
    displayName: row.get('displayName') as string,
    role: row.get('role') as MemberRole,
    disabled: Boolean(row.get('disabled')),
    ...(lockedAt ? { lockedAt: new Date(lockedAt) } : {}),
    secondFactor: row.get('secondFactor') as SecondFactorMethod,
    ...(row.get('groupId') ? { groupId: row.get('groupId') as string } : {}),
    ...(row.get('ssoId') ? { ssoId: row.get('ssoId') as string } : {}),
    ssoDisabled: Boolean(row.get('ssoDisabled')),
    createdAt: new Date(row.get('createdAt') as Date),
  };
}

const CREDENTIAL_FIELDS = [
  'passwordHash',
  'passwordChangedAt',
  'mustChangePassword',
  'oneTimeSecretHash',
  'oneTimeSecretExpiresAt',
  'failedAttempts',
  'totpSecret',
  'totpLastStep',
  'phone',
] as const;

function toCredentials(row: Row): MemberCredentials {
  const values: Record<string, unknown> = {};
  for (const field of CREDENTIAL_FIELDS) {
    const value = row.get(field);
    if (value !== null && value !== undefined) values[field] = value;
  }
  for (const field of ['passwordChangedAt', 'oneTimeSecretExpiresAt'] as const) {
    if (values[field] !== undefined) values[field] = new Date(values[field] as Date);
  }
  if (values.totpLastStep !== undefined) values.totpLastStep = Number(values.totpLastStep);
  values.mustChangePassword = Boolean(values.mustChangePassword);
  values.failedAttempts = Number(values.failedAttempts ?? 0);
  return values as unknown as MemberCredentials;
}

/** Members of one tenant: every query carries the tenant id this repository was made with. */
export class SequelizeMemberRepository extends TransactionBound implements MemberRepository {
  constructor(
    private readonly models: StorageModels,
    private readonly tenantId: TenantId,
    transaction?: Transaction,
  ) {
    super(transaction);
  }

  async create(member: NewMember): Promise<Member> {
    checkText('email', member.email, 320);
    checkText('displayName', member.displayName, 200);
    return guarded(`member ${member.email}`, async () => {
      const row = await this.models.members.create(
        {
          id: randomUUID(),
          tenantId: this.tenantId,
          email: member.email,
          emailNormalized: member.email.toLowerCase(),
          displayName: member.displayName,
          role: member.role,
          groupId: member.groupId ?? null,
          oneTimeSecretHash: member.oneTimeSecretHash ?? null,
          oneTimeSecretExpiresAt: member.oneTimeSecretExpiresAt ?? null,
          createdAt: new Date(),
        },
        this.options(),
      );
      return toMember(row);
    });
  }

  findById(id: string): Promise<Member | undefined> {
    if (!isUuid(id)) return Promise.resolve(undefined);
    return this.findOne({ id });
  }

  findByEmail(email: string): Promise<Member | undefined> {
    return this.findOne({ emailNormalized: email.toLowerCase() });
  }

  async findBySsoId(ssoId: string): Promise<Member | undefined> {
    if (typeof ssoId !== 'string' || ssoId === '' || ssoId.length > 200) return undefined;
    return this.findOne({ ssoId });
  }

  async list(page?: PageRequest): Promise<Page<Member>> {
    const limit = pageLimit(page);
    return guarded('members', async () => {
      const rows = await this.models.members.findAll({
        where: { tenantId: this.tenantId, ...afterCursor('emailNormalized', page) },
        order: [['emailNormalized', 'ASC']],
        limit: limit + 1,
        ...this.options(),
      });
      return toPage(rows, limit, (row) => row.get('emailNormalized') as string, toMember);
    });
  }

  async listInGroups(groupIds: readonly string[], page?: PageRequest): Promise<Page<Member>> {
    const limit = pageLimit(page);
    const ids = groupIds.filter(isUuid);
    return guarded('members', async () => {
      const rows = await this.models.members.findAll({
        where: {
          tenantId: this.tenantId,
          groupId: { [Op.in]: ids },
          ...afterCursor('emailNormalized', page),
        },
        order: [['emailNormalized', 'ASC']],
        limit: limit + 1,
        ...this.options(),
      });
      return toPage(rows, limit, (row) => row.get('emailNormalized') as string, toMember);
    });
  }

  async update(id: string, change: MemberChange): Promise<boolean> {
    if (!isUuid(id)) return false;
    if (change.displayName !== undefined) checkText('displayName', change.displayName, 200);
    if (typeof change.ssoId === 'string') checkText('ssoId', change.ssoId, 200);
    return guarded('member', async () => {
      const [changed] = await this.models.members.update(change as Record<string, unknown>, {
        where: { tenantId: this.tenantId, id },
        ...this.options(),
      });
      return changed > 0;
    });
  }

  async credentials(id: string): Promise<MemberCredentials | undefined> {
    if (!isUuid(id)) return undefined;
    return guarded('member credentials', async () => {
      const row = await this.models.members.findOne({
        where: { tenantId: this.tenantId, id },
        ...this.options(),
      });
      return row ? toCredentials(row) : undefined;
    });
  }

  async updateCredentials(id: string, patch: CredentialsPatch): Promise<boolean> {
    if (!isUuid(id)) return false;
    return guarded('member credentials', async () => {
      const [changed] = await this.models.members.update(patch as Record<string, unknown>, {
        where: { tenantId: this.tenantId, id },
        ...this.options(),
      });
      return changed > 0;
    });
  }

  async recordFailedAttempt(id: string, lockAt: number, now: Date): Promise<FailedAttempt> {
    if (!isUuid(id)) return { failedAttempts: 0, locked: false };
    const where = { tenantId: this.tenantId, id };
    return guarded('failed attempt', async () => {
      await this.models.members.increment('failedAttempts', { where, ...this.options() });
      const [locked] = await this.models.members.update(
        { lockedAt: now },
        {
          where: { ...where, lockedAt: null, failedAttempts: { [Op.gte]: lockAt } },
          ...this.options(),
        },
      );
      const row = await this.models.members.findOne({ where, ...this.options() });
      return { failedAttempts: Number(row?.get('failedAttempts') ?? 0), locked: locked > 0 };
    });
  }

  count(): Promise<number> {
    return guarded('members', () =>
      this.models.members.count({ where: { tenantId: this.tenantId }, ...this.options() }),
    );
  }

  private findOne(where: Record<string, string>): Promise<Member | undefined> {
    return guarded('member', async () => {
      const row = await this.models.members.findOne({
        where: { tenantId: this.tenantId, ...where },
        ...this.options(),
      });
      return row ? toMember(row) : undefined;
    });
  }
}
