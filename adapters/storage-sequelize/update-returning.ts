import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';

/** One UPDATE whose changed rows give back one integer column. */
export interface UpdateReturning {
  readonly table: string;
  /** The SET list, such as `attempts = attempts + 1`. */
  readonly set: string;
  /** The condition, with `$name` bind parameters only: no value is ever written into the SQL. */
  readonly where: string;
  /** The integer column read back from each changed row. */
  readonly column: string;
}

/**
 * Runs `UPDATE table SET set WHERE where` and reads `column` of the changed rows in the same
 * statement (RETURNING on SQLite and PostgreSQL, OUTPUT on SQL Server), so that no other writer
 * comes between the change and the read. Resolves with the values, one per changed row.
 */
export async function updateReturning(
  sequelize: Sequelize,
  update: UpdateReturning,
  bind: Record<string, string | number>,
  options: { transaction?: Transaction } = {},
): Promise<number[]> {
  const { table, set, where, column } = update;
  const sql =
    sequelize.getDialect() === 'mssql'
      ? `UPDATE ${table} SET ${set} OUTPUT INSERTED.${column} WHERE ${where}`
      : `UPDATE ${table} SET ${set} WHERE ${where} RETURNING ${column}`;
  const rows = await sequelize.query<Record<string, unknown>>(sql, {
    bind,
    type: QueryTypes.SELECT,
    ...options,
  });
  return rows.map((row) => Number(row[column]));
}
