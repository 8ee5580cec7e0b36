import { DataTypes, type QueryInterface } from 'sequelize';

/**
 * Rate-limit windows in the database, shared by every node: one row per subject (a digest)
 * with the attempts counted so far and when the window ends, in milliseconds since the epoch,
 * so that a raw UPDATE compares numbers alike on every dialect; ended rows are swept.
 */
export const name = '0008-attempt-windows';

export async function up({ context: db }: { context: QueryInterface }): Promise<void> {
  await db.createTable('attempt_windows', {
    subject: { type: DataTypes.STRING(64), primaryKey: true },
    attempts: { type: DataTypes.INTEGER, allowNull: false },
    ends_at_ms: { type: DataTypes.BIGINT, allowNull: false },
  });
  await db.addIndex('attempt_windows', ['ends_at_ms'], { name: 'attempt_windows_ends_at_ms' });
}

export async function down({ context: db }: { context: QueryInterface }): Promise<void> {
  await db.dropTable('attempt_windows');
}
