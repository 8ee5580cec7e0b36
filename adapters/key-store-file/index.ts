import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { EngineModule } from '../../engine/contracts/engine-module-contract.js';
import { KeyStore } from '../../engine/contracts/key-store-contract.js';
import { FileKeyStore } from './file-key-store.js';
import { masterKey } from './master-key.js';

/** Keys as files in `<dataDir>/keys`, each encrypted under the master key. */
const keyStoreModule: EngineModule = {
  name: 'key-store-file',
  provides: [KeyStore],
  async load(context) {
    await mkdir(context.settings.dataDir, { recursive: true, mode: 0o700 });
    const master = await masterKey(context.settings, context.logger);
    const folder = path.join(context.settings.dataDir, 'keys');
    context.provide(KeyStore, await FileKeyStore.open(folder, master));
    master.fill(0);
  },
};

export default keyStoreModule;
