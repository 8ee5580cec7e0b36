import { DataTypes, type QueryInterface } from 'sequelize';
import { ownedBy } from './columns.js';

/**
 * An index for plugin records: a time on the record and labels in a table of their own, so a
 * plugin finds records by label and period (chat messages of a session, say) without a scan.
 */
export const name = '0007-plugin-record-index';

export async function up({ context: db }: { context: QueryInterface }): Promise<void> {
  await db.addColumn('plugin_records', 'at', { type: DataTypes.DATE, allowNull: true });
  await db.addIndex('plugin_records', ['tenant_id', 'plugin', 'kind', 'at', 'key'], {
    name: 'plugin_records_at',
  });
  await db.createTable('plugin_record_tags', {
    tenant_id: ownedBy('tenants', { primaryKey: true }),
    plugin: { type: DataTypes.STRING(100), primaryKey: true },
    kind: { type: DataTypes.STRING(64), primaryKey: true },
    tag: { type: DataTypes.STRING(200), primaryKey: true },
    key: { type: DataTypes.STRING(200), primaryKey: true },
    at: { type: DataTypes.DATE, allowNull: true },
  });
  await db.addIndex('plugin_record_tags', ['tenant_id', 'plugin', 'kind', 'tag', 'at', 'key'], {
    name: 'plugin_record_tags_at',
  });
  await db.addIndex('plugin_record_tags', ['tenant_id', 'plugin', 'kind', 'key'], {
    name: 'plugin_record_tags_key',
  });
}

export async function down({ context: db }: { context: QueryInterface }): Promise<void> {
  await db.dropTable('plugin_record_tags');
  await db.removeIndex('plugin_records', 'plugin_records_at');
  await db.removeColumn('plugin_records', 'at');
}
