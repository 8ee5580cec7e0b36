import { Op, UniqueConstraintError, type Transaction } from 'sequelize';
import type { SsoAssertionRepository, TenantId } from '../../engine/contracts/storage-contract.js';
import { guarded, storageError } from './storage-errors.js';
import type { StorageModels } from './storage-models.js';
import { checkText } from './text-checks.js';
import { TransactionBound } from './transaction-bound.js';

/** Used SAML assertion ids of one tenant; the primary key makes `remember` once-only. */
export class SequelizeSsoAssertionRepository
  extends TransactionBound
  implements SsoAssertionRepository
{
  constructor(
    private readonly models: StorageModels,
    private readonly tenantId: TenantId,
    transaction?: Transaction,
  ) {
    super(transaction);
  }

  async remember(assertionId: string, expiresAt: Date): Promise<boolean> {
    checkText('assertionId', assertionId, 200);
    try {
      await this.models.ssoAssertions.create(
        { tenantId: this.tenantId, assertionId, expiresAt },
        this.options(),
      );
      return true;
    } catch (error) {
      if (error instanceof UniqueConstraintError) return false;
      throw storageError('sso assertion', error);
    }
  }

  sweep(now: Date): Promise<number> {
    return guarded('sso assertions', () =>
      this.models.ssoAssertions.destroy({
        where: { tenantId: this.tenantId, expiresAt: { [Op.lt]: now } },
        ...this.options(),
      }),
    );
  }
}
