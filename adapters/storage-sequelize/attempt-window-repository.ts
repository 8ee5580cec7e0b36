import { Op, UniqueConstraintError, type Sequelize } from 'sequelize';
import type { AttemptWindowRepository } from '../../engine/contracts/storage-contract.js';
import { TetherError } from '../../engine/errors.js';
import { guarded, storageError } from './storage-errors.js';
import type { StorageModels } from './storage-models.js';
import { checkText } from './text-checks.js';
import { updateReturning } from './update-returning.js';

/** A take that lost the race to open a window tries once more, and then counts in that one. */
const TRIES = 2;

/** One statement adds an attempt and reads the count back, so no other take comes between. */
const COUNT_IN_LIVE = {
  table: 'attempt_windows',
  set: 'attempts = attempts + 1',
  where: 'subject = $subject AND ends_at_ms > $now',
  column: 'attempts',
};

/**
 * Rate-limit windows in one table. A take adds one to a live window and reads the count in the
 * same statement or, when none is live, inserts a new window; the primary key makes the second
 * of two nodes opening a window at once count in the first one's instead.
 */
export class SequelizeAttemptWindowRepository implements AttemptWindowRepository {
  constructor(private readonly models: StorageModels) {}

  async take(subject: string, now: Date, windowMs: number): Promise<number> {
    checkText('subject', subject, 64);
    if (!Number.isSafeInteger(windowMs) || windowMs <= 0) {
      throw new TetherError('TETHER_E_VALIDATION', 'windowMs: expected a positive integer');
    }
    for (let tries = 0; tries < TRIES; tries += 1) {
      const counted = await this.countInLive(subject, now.getTime());
      if (counted !== undefined) return counted;
      if (await this.open(subject, now.getTime(), windowMs)) return 1;
    }
    throw new TetherError('TETHER_E_STORAGE', 'attempt window: kept changing under a take');
  }

  async giveBack(subject: string, now: Date): Promise<void> {
    checkText('subject', subject, 64);
    await guarded('attempt window', () =>
      this.models.attemptWindows.update(
        { attempts: this.sequelize().literal('attempts - 1') },
        { where: { subject, endsAtMs: { [Op.gt]: now.getTime() }, attempts: { [Op.gt]: 0 } } },
      ),
    );
  }

  sweep(now: Date): Promise<number> {
    return guarded('attempt windows', () =>
      this.models.attemptWindows.destroy({ where: { endsAtMs: { [Op.lte]: now.getTime() } } }),
    );
  }

  /** The count of the subject's live window after adding one, or undefined with none live. */
  private countInLive(subject: string, nowMs: number): Promise<number | undefined> {
    return guarded('attempt window', async () => {
      const bind = { subject, now: nowMs };
      const [counted] = await updateReturning(this.sequelize(), COUNT_IN_LIVE, bind);
      return counted;
    });
  }

  /** Replaces an ended window by a new one holding this attempt; false when a node beat us. */
  private async open(subject: string, nowMs: number, windowMs: number): Promise<boolean> {
    const model = this.models.attemptWindows;
    try {
      await model.destroy({ where: { subject, endsAtMs: { [Op.lte]: nowMs } } });
      await model.create({ subject, attempts: 1, endsAtMs: nowMs + windowMs });
      return true;
    } catch (error) {
      if (error instanceof UniqueConstraintError) return false;
      throw storageError('attempt window', error);
    }
  }

  private sequelize(): Sequelize {
    return this.models.attemptWindows.sequelize as Sequelize;
  }
}
