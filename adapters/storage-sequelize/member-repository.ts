import { randomUUID } from 'node:crypto';
import type { Transaction } from 'sequelize';
import type {
  Member,
  MemberRepository,
  MemberRole,
  NewMember,
  Page,
  PageRequest,
  TenantId,
} from '../../engine/contracts/storage-contract.js';
import { afterCursor, pageLimit, toPage } from './paging.js';
import { checkText, isUuid } from './text-checks.js';
import { guarded } from './storage-errors.js';
import { TransactionBound } from './transaction-bound.js';
import type { Row, StorageModels } from './storage-models.js';

function toMember(row: Row): Member {
  return {
    id: row.get('id') as string,
    tenantId: row.get('tenantId') as TenantId,
    email: row.get('email') as string,
    displayName: row.get('displayName') as string,
    role: row.get('role') as MemberRole,
    createdAt: new Date(row.get('createdAt') as Date),
  };
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
