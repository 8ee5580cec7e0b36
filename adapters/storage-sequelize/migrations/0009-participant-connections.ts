import { DataTypes, type QueryInterface } from 'sequelize';

/**
 * How many gateway connections each participant has opened, counted in the database: a new
 * connection's number orders it after every earlier one on any node, where wall clocks of
 * different nodes need not agree.
 */
export const name = '0009-participant-connections';

export async function up({ context: db }: { context: QueryInterface }): Promise<void> {
  await db.addColumn('session_participants', 'connections', {
    type: DataTypes.INTEGER,
    allowNull: false,
    defaultValue: 0,
  });
}

export async function down({ context: db }: { context: QueryInterface }): Promise<void> {
  await db.removeColumn('session_participants', 'connections');
}
