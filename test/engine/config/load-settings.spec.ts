import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { loadSettings } from '../../../engine/config/load-settings.js';
import { isTetherError } from '../../../engine/errors.js';

function configError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(isTetherError(error, 'TETHER_E_CONFIG'), String(error)).to.equal(true);
    return (error as Error).message;
  }
  throw new Error('expected a configuration error');
}

describe('loadSettings', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'tether-config-'));
  const file = (name: string, content: string) => {
    const where = path.join(folder, name);
    writeFileSync(where, content);
    return where;
  };

  it('defaults to 127.0.0.1:8443, ./data, SQLite and the three adapter modules', () => {
    const settings = loadSettings({ env: {}, cwd: folder });
    expect(settings.host).to.equal('127.0.0.1');
    expect(settings.port).to.equal(8443);
    expect(settings.dataDir).to.equal(path.join(folder, 'data'));
    expect(settings.databaseUrl).to.equal(undefined);
    expect(settings.modules).to.deep.equal(['storage-sequelize', 'bus-memory', 'key-store-file']);
  });

  it('takes flags over variables over the config file', () => {
    const configFile = file(
      'order.json',
      JSON.stringify({ port: 1001, host: 'file', logLevel: 'warn' }),
    );
    const settings = loadSettings({
      flags: { port: '1003' },
      env: { TETHER_PORT: '1002', TETHER_HOST: 'env' },
      configFile,
    });
    expect(settings.port).to.equal(1003);
    expect(settings.host).to.equal('env');
    expect(settings.logLevel).to.equal('warn');
  });

  it('reads the config file named by TETHER_CONFIG and its pluginSettings', () => {
    const configFile = file(
      'plugins.json',
      JSON.stringify({ pluginSettings: { hello: { a: 1 } } }),
    );
    const settings = loadSettings({ env: { TETHER_CONFIG: configFile } });
    expect(settings.pluginSettings).to.deep.equal({ hello: { a: 1 } });
  });

  it('splits comma-separated lists from variables', () => {
    const settings = loadSettings({ env: { TETHER_PLUGINS: ' ./a , b ,,' } });
    expect(settings.plugins).to.deep.equal(['./a', 'b']);
  });

  it('names the setting, where it came from and the reason for a bad value', () => {
    expect(configError(() => loadSettings({ env: { TETHER_PORT: '70000' } }))).to.equal(
      'invalid setting port (TETHER_PORT): expected an integer from 0 to 65535, got "70000"',
    );
    expect(configError(() => loadSettings({ flags: { port: '8.5' }, env: {} }))).to.match(
      /^invalid setting port \(flag --port\)/,
    );
    expect(configError(() => loadSettings({ env: { TETHER_LOG_LEVEL: 'loud' } }))).to.contain(
      'expected one of error, warn, info, debug',
    );
    expect(
      configError(() => loadSettings({ env: { TETHER_DATABASE_URL: 'mysql://x' } })),
    ).to.contain('invalid setting databaseUrl');
    expect(
      configError(() => loadSettings({ env: { TETHER_FIRST_ADMIN_EMAIL: 'nobody' } })),
    ).to.contain('expected an e-mail address');
  });

  it('never echoes a secret it refuses', () => {
    const message = configError(() =>
      loadSettings({ env: { TETHER_METRICS_TOKEN: 'short-secret-value' } }),
    );
    expect(message).to.contain('metricsToken').and.not.contain('short-secret-value');
  });

  it('takes secrets from variables or the file only, never from flags', () => {
    const settings = loadSettings({ flags: { metricsToken: 'x'.repeat(30) }, env: {} });
    expect(settings.metricsToken).to.equal(undefined);
  });

  it('refuses an unknown TETHER_ variable, which is most likely a typo', () => {
    expect(configError(() => loadSettings({ env: { TETHER_PROT: '1' } }))).to.equal(
      'unknown variable TETHER_PROT: no such setting',
    );
  });

  it('refuses a certificate without its key', () => {
    expect(configError(() => loadSettings({ env: { TETHER_TLS_CERT_FILE: 'c.pem' } }))).to.contain(
      'tlsKeyFile',
    );
  });

  it('explains a config file that is missing, not JSON, not an object or has unknown keys', () => {
    expect(
      configError(() => loadSettings({ configFile: path.join(folder, 'none.json') })),
    ).to.contain('cannot be read (ENOENT)');
    expect(
      configError(() => loadSettings({ configFile: file('bad.json', '{ port: ') })),
    ).to.contain('not valid JSON');
    expect(configError(() => loadSettings({ configFile: file('list.json', '[1]') }))).to.contain(
      'expected a JSON object',
    );
    expect(
      configError(() => loadSettings({ configFile: file('typo.json', '{"prot": 1}') })),
    ).to.contain('unknown setting prot');
    const badPlugins = file('plugins-bad.json', '{"pluginSettings": {"hello": 3}}');
    expect(configError(() => loadSettings({ configFile: badPlugins }))).to.contain(
      'pluginSettings',
    );
  });
});
