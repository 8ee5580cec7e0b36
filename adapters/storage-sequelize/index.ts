import type { EngineModule } from '../../engine/contracts/engine-module-contract.js';
import { Storage } from '../../engine/contracts/storage-contract.js';
import { connectDatabase, dialectOf } from './connect-database.js';
import { SequelizeStorage } from './sequelize-storage.js';

/**
 * Storage on Sequelize. The `databaseUrl` setting picks the database: none for the SQLite file
 * in the data folder, `postgres://` for PostgreSQL, `mssql://` for SQL Server.
 */
const storageModule: EngineModule = {
  name: 'storage-sequelize',
  provides: [Storage],
  async load(context) {
    const { databaseUrl, dataDir } = context.settings;
    const dialect = dialectOf(databaseUrl);
    const sequelize = connectDatabase({ url: databaseUrl, dataDir }, context.logger);
    const storage = new SequelizeStorage(sequelize, dialect, context.logger);
    context.provide(Storage, storage);
    context.logger.info({ dialect }, 'storage configured');
    return { dispose: () => storage.close() };
  },
};

export default storageModule;
