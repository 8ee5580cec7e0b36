import type { Transaction } from 'sequelize';

/** A repository that runs inside a transaction when it was made for one. */
export abstract class TransactionBound {
  protected constructor(private readonly transaction?: Transaction) {}

  /** The options every query of the repository passes on. */
  protected options(): { transaction?: Transaction } {
    return this.transaction ? { transaction: this.transaction } : {};
  }
}
