import { DataTypes, type QueryInterface } from 'sequelize';

/** An address allow-list per technician group, on top of the tenant's. */
export const name = '0005-group-addresses';

export async function up({ context: db }: { context: QueryInterface }): Promise<void> {
  await db.addColumn('groups', 'ip_allow_list', { type: DataTypes.TEXT, allowNull: true });
}

export async function down({ context: db }: { context: QueryInterface }): Promise<void> {
  await db.removeColumn('groups', 'ip_allow_list');
}
