import type { Sequelize, Transaction } from 'sequelize';
import type { SessionParticipant, TenantId } from '../../engine/contracts/storage-contract.js';
import { guarded } from './storage-errors.js';
import type { Row, StorageModels } from './storage-models.js';
import { checkText, isUuid } from './text-checks.js';
import { TransactionBound } from './transaction-bound.js';
import { updateReturning } from './update-returning.js';

/** Adds a connection and reads the new count in one statement, so two nodes never share one. */
const COUNT_CONNECTION = {
  table: 'session_participants',
  set: 'connections = connections + 1',
  where: 'tenant_id = $tenant AND session_ref = $ref AND participant_id = $participant',
  column: 'connections',
};

function toParticipant(row: Row): SessionParticipant {
  const optional = (field: string) => {
    const value = row.get(field) as string | Date | null;
    if (value === null || value === undefined) return {};
    return { [field]: field.endsWith('At') ? new Date(value) : value };
  };
  return {
    id: row.get('participantId') as string,
    sessionRef: row.get('sessionRef') as string,
    role: row.get('role') as SessionParticipant['role'],
    kind: row.get('kind') as SessionParticipant['kind'],
    ...optional('memberId'),
    ...optional('secretHash'),
    ...optional('joinedAt'),
    ...optional('leftAt'),
  };
}

/** The participants half of the support session repository, of one tenant. */
export abstract class SessionParticipantStore extends TransactionBound {
  protected constructor(
    protected readonly models: StorageModels,
    protected readonly tenantId: TenantId,
    transaction?: Transaction,
  ) {
    super(transaction);
  }

  async putParticipant(participant: Omit<SessionParticipant, 'joinedAt' | 'leftAt'>) {
    checkText('participant id', participant.id, 64);
    await guarded('session participant', async () => {
      const where = this.key(participant.sessionRef, participant.id);
      const [changed] = await this.models.sessionParticipants.update(
        { kind: participant.kind, leftAt: null },
        { where, ...this.options() },
      );
      if (changed > 0) return;
      await this.models.sessionParticipants.create(
        {
          sessionRef: participant.sessionRef,
          participantId: participant.id,
          tenantId: this.tenantId,
          role: participant.role,
          kind: participant.kind,
          memberId: participant.memberId ?? null,
          secretHash: participant.secretHash ?? null,
        },
        this.options(),
      );
    });
  }

  findParticipant(ref: string, participantId: string) {
    return guarded('session participant', async () => {
      const row = await this.models.sessionParticipants.findOne({
        where: this.key(ref, participantId),
        ...this.options(),
      });
      return row ? toParticipant(row) : undefined;
    });
  }

  participants(ref: string): Promise<readonly SessionParticipant[]> {
    return guarded('session participants', async () => {
      const rows = await this.models.sessionParticipants.findAll({
        where: { tenantId: this.tenantId, sessionRef: ref },
        order: [['participantId', 'ASC']],
        ...this.options(),
      });
      return rows.map(toParticipant);
    });
  }

  countConnection(ref: string, participantId: string): Promise<number | undefined> {
    return guarded('session participant', async () => {
      const sequelize = this.models.sessionParticipants.sequelize as Sequelize;
      const bind = { tenant: this.tenantId, ref, participant: participantId };
      const [count] = await updateReturning(sequelize, COUNT_CONNECTION, bind, this.options());
      return count;
    });
  }

  markJoined(ref: string, participantId: string, at: Date): Promise<boolean> {
    return this.updateParticipant(
      { ...this.key(ref, participantId), joinedAt: null },
      {
        joinedAt: at,
      },
    );
  }

  markLeft(ref: string, participantId: string, at: Date): Promise<boolean> {
    return this.updateParticipant(
      { ...this.key(ref, participantId), leftAt: null },
      {
        leftAt: at,
      },
    );
  }

  async refsOf(memberId: string): Promise<readonly string[]> {
    if (!isUuid(memberId)) return [];
    return guarded('session participants', async () => {
      const rows = await this.models.sessionParticipants.findAll({
        attributes: ['sessionRef'],
        where: { tenantId: this.tenantId, memberId, role: 'technician' },
        ...this.options(),
      });
      return rows.map((row) => row.get('sessionRef') as string);
    });
  }

  private key(ref: string, participantId: string) {
    return { tenantId: this.tenantId, sessionRef: ref, participantId };
  }

  private updateParticipant(where: Record<string, unknown>, values: Record<string, unknown>) {
    return guarded('session participant', async () => {
      const [changed] = await this.models.sessionParticipants.update(values, {
        where: { ...where, tenantId: this.tenantId },
        ...this.options(),
      });
      return changed > 0;
    });
  }
}
