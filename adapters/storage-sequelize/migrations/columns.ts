import { DataTypes, type ModelAttributeColumnOptions } from 'sequelize';

/**
 * A UUID column that points at `table` and goes with its row (ON DELETE CASCADE). A fresh
 * object each call: Sequelize writes into column definitions, so they must not be shared.
 */
export function ownedBy(
  table: 'tenants' | 'members' | 'groups',
  extra: Partial<ModelAttributeColumnOptions> = {},
): ModelAttributeColumnOptions {
  return {
    type: DataTypes.UUID,
    allowNull: false,
    references: { model: table, key: 'id' },
    onDelete: 'CASCADE',
    ...extra,
  };
}
