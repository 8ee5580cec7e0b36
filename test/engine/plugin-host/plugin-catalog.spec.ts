import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { discoverPlugins } from '../../../engine/plugin-host/plugin-catalog.js';
import { DIST_ROOT } from '../../../engine/version.js';

function pluginFolder(root: string, name: string, source: string): void {
  mkdirSync(path.join(root, name), { recursive: true });
  writeFileSync(path.join(root, name, 'index.js'), source);
}

describe('discoverPlugins', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'tether-catalog-'));
  pluginFolder(
    root,
    'good',
    `exports.default = { manifest: { name: 'good', version: '1.2.3', engine: '*' },
      activate() {} };`,
  );
  pluginFolder(
    root,
    'plain-cjs',
    `module.exports = { manifest: { name: 'plain-cjs', version: '0.0.1', engine: '*' },
      activate() {} };`,
  );
  pluginFolder(
    root,
    'bad-version',
    `module.exports = { manifest: { name: 'bad-version', version: 'one', engine: '*' },
      activate() {} };`,
  );
  pluginFolder(
    path.join(root, 'node_modules', '@acme'),
    'tether-crm',
    `module.exports = { manifest: { name: '@acme/crm', version: '2.0.0', engine: '*' },
      activate() {} };`,
  );
  writeFileSync(
    path.join(root, 'node_modules', '@acme', 'tether-crm', 'package.json'),
    JSON.stringify({ name: '@acme/tether-crm', version: '2.0.0', main: 'index.js' }),
  );
  pluginFolder(root, 'inert', `module.exports = { manifest: { name: 'inert' } };`);
  pluginFolder(root, 'broken', `module.exports = {{;`);

  const found = discoverPlugins({
    distRoot: path.join(root, 'nothing-built-in'),
    cwd: root,
    extra: [
      './good',
      './plain-cjs',
      './bad-version',
      './inert',
      './broken',
      'no-such-package-x',
      '@acme/tether-crm',
    ],
    withSamples: false,
  });
  const byFolder = (name: string) => found.find((c) => path.basename(c.location) === name);

  it('loads plugins from folders, compiled from ESM or plain CommonJS', () => {
    expect(byFolder('good')).to.include({ ok: true, origin: 'configured' });
    expect(byFolder('plain-cjs')?.ok).to.equal(true);
  });

  it('loads a plugin by its npm package name, resolved from the working folder', () => {
    const crm = found.find((c) => c.ok && c.manifest.name === '@acme/crm');
    expect(crm?.location).to.equal(
      path.join(root, 'node_modules', '@acme', 'tether-crm', 'index.js'),
    );
  });

  it('names the plugin and the field of a bad manifest', () => {
    const bad = byFolder('bad-version');
    expect(bad?.ok).to.equal(false);
    if (bad?.ok !== false) return;
    expect(bad.error.code).to.equal('TETHER_E_PLUGIN_MANIFEST');
    expect(bad.error.message).to.equal(
      'plugin bad-version: manifest field version: expected a semver version such as 1.2.3',
    );
  });

  it('reports a module without activate, one that does not parse and a missing package', () => {
    for (const name of ['inert', 'broken', 'no-such-package-x']) {
      const entry = found.find((c) => c.location.endsWith(name));
      expect(entry?.ok, name).to.equal(false);
      if (entry?.ok === false) expect(entry.error.code).to.equal('TETHER_E_PLUGIN_LOAD');
    }
  });

  it('finds the samples of this repository when asked', () => {
    const listed = discoverPlugins({
      distRoot: DIST_ROOT,
      cwd: root,
      extra: [],
      withSamples: true,
    });
    const samples = listed.filter((c) => c.origin === 'sample' && c.ok);
    const names = samples.map((c) => (c.ok ? c.manifest.name : ''));
    expect(names).to.include.members(['hello', 'tsyringe-greeter']);
  });
});
