import { randomBytes } from 'node:crypto';
import { access, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import keyStoreModule from '../../../adapters/key-store-file/index.js';
import { masterKey } from '../../../adapters/key-store-file/master-key.js';
import { loadSettings } from '../../../engine/config/load-settings.js';
import { KeyStore } from '../../../engine/contracts/key-store-contract.js';
import type { ModuleContext } from '../../../engine/contracts/engine-module-contract.js';
import { isTetherError } from '../../../engine/errors.js';
import { createLogger } from '../../../engine/logging/create-logger.js';

const logger = createLogger({ level: 'silent', format: 'json' });

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

async function configFailure(action: () => Promise<unknown>): Promise<void> {
  let caught: unknown;
  try {
    await action();
  } catch (error) {
    caught = error;
  }
  expect(isTetherError(caught, 'TETHER_E_CONFIG'), String(caught)).to.equal(true);
}

describe('masterKey', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'tether-master-key-'));
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('makes master.key in the data folder, mode 0600, and reuses it on the next call', async () => {
    const settings = loadSettings({ flags: { dataDir }, env: {} });
    const file = path.join(dataDir, 'master.key');
    expect(await exists(file)).to.equal(false);
    const made = await masterKey(settings, logger);
    expect(made).to.have.length(32);
    expect((await stat(file)).mode & 0o777).to.equal(0o600);
    expect(Buffer.from((await readFile(file, 'utf8')).trim(), 'base64')).to.deep.equal(made);
    expect(await masterKey(settings, logger)).to.deep.equal(made);
  });

  it('gives two nodes that start at once on one data folder the same master key', async () => {
    const settings = loadSettings({ flags: { dataDir }, env: {} });
    const keys = await Promise.all([0, 1, 2, 3].map(() => masterKey(settings, logger)));
    for (const key of keys) expect(key).to.deep.equal(keys[0]);
  });

  it('takes the masterKey setting over a masterKeyFile and the data folder', async () => {
    const fromSetting = randomBytes(32);
    const keyFile = path.join(dataDir, 'elsewhere.key');
    await writeFile(keyFile, randomBytes(32).toString('base64'));
    const settings = loadSettings({
      flags: { dataDir, masterKeyFile: keyFile },
      env: { TETHER_MASTER_KEY: fromSetting.toString('base64') },
    });
    expect(await masterKey(settings, logger)).to.deep.equal(fromSetting);
    expect(await exists(path.join(dataDir, 'master.key'))).to.equal(false);
  });

  it('reads a configured masterKeyFile instead of making one', async () => {
    const key = randomBytes(32);
    const keyFile = path.join(dataDir, 'elsewhere.key');
    await writeFile(keyFile, key.toString('base64') + '\n');
    const settings = loadSettings({ flags: { dataDir, masterKeyFile: keyFile }, env: {} });
    expect(await masterKey(settings, logger)).to.deep.equal(key);
    expect(await exists(path.join(dataDir, 'master.key'))).to.equal(false);
  });

  it('fails with TETHER_E_CONFIG on a masterKeyFile holding 31 bytes', async () => {
    const keyFile = path.join(dataDir, 'short.key');
    await writeFile(keyFile, randomBytes(31).toString('base64'));
    const settings = loadSettings({ flags: { dataDir, masterKeyFile: keyFile }, env: {} });
    await configFailure(() => masterKey(settings, logger));
  });

  it('fails with TETHER_E_CONFIG on a bad master.key in the data folder', async () => {
    await writeFile(path.join(dataDir, 'master.key'), 'not a key\n');
    const settings = loadSettings({ flags: { dataDir }, env: {} });
    await configFailure(() => masterKey(settings, logger));
  });

  it('fails with TETHER_E_CONFIG on a missing masterKeyFile and does not create it', async () => {
    const keyFile = path.join(dataDir, 'missing.key');
    const settings = loadSettings({ flags: { dataDir, masterKeyFile: keyFile }, env: {} });
    await configFailure(() => masterKey(settings, logger));
    expect(await exists(keyFile)).to.equal(false);
    expect(await exists(path.join(dataDir, 'master.key'))).to.equal(false);
  });
});

describe('key-store-file module', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = path.join(await mkdtemp(path.join(os.tmpdir(), 'tether-key-module-')), 'data');
  });

  afterEach(async () => {
    await rm(path.dirname(dataDir), { recursive: true, force: true });
  });

  async function load(): Promise<Map<symbol, unknown>> {
    const provided = new Map<symbol, unknown>();
    const context: ModuleContext = {
      settings: loadSettings({ flags: { dataDir }, env: {} }),
      logger,
      provide: (token, value) => void provided.set(token, value),
      get: (token) => {
        throw new Error(`nothing provides ${String(token)}`);
      },
    };
    await keyStoreModule.load(context);
    return provided;
  }

  it('declares and provides the KeyStore contract, working on <dataDir>/keys', async () => {
    expect(keyStoreModule.provides).to.deep.equal([KeyStore]);
    const provided = await load();
    expect([...provided.keys()]).to.deep.equal([KeyStore]);
    const store = provided.get(KeyStore) as KeyStore;
    const key = await store.dataKey('tenant:one');
    expect(key).to.have.length(32);
    expect(await store.has('tenant:one')).to.equal(true);
    expect(await exists(path.join(dataDir, 'master.key'))).to.equal(true);
    expect(await exists(path.join(dataDir, 'keys'))).to.equal(true);

    const again = (await load()).get(KeyStore) as KeyStore;
    expect(Buffer.from(await again.dataKey('tenant:one'))).to.deep.equal(Buffer.from(key));
  });
});
