import { expect } from 'chai';
import { isTetherError } from '../../../engine/errors.js';
import { validateManifest } from '../../../engine/plugin-host/plugin-manifest.js';

const valid = {
  name: 'remote-control',
  version: '1.0.0',
  engine: '^0.1.0',
  requires: { chat: '^1.0.0' },
  contracts: ['Transport', 'Permission'],
  permissions: [
    { id: 'remote-control', title: 'Remote control', consentPrompt: 'Let the technician…' },
  ],
  channels: ['desktop'],
  ui: { title: 'Remote control', technician: 'ui/technician-panel.js' },
};
const ui = (panel: Record<string, unknown>) => ({ ...valid, ui: { title: 'Panel', ...panel } });

function failure(raw: unknown): string {
  try {
    validateManifest(raw, '/plugins/somewhere');
  } catch (error) {
    expect(isTetherError(error, 'TETHER_E_PLUGIN_MANIFEST')).to.equal(true);
    return (error as Error).message;
  }
  throw new Error('expected the manifest to be refused');
}

describe('validateManifest', () => {
  it('accepts a complete manifest and a scoped package name', () => {
    expect(validateManifest(valid, 'x').name).to.equal('remote-control');
    expect(validateManifest({ ...valid, name: '@acme/crm-post' }, 'x').name).to.equal(
      '@acme/crm-post',
    );
  });

  const cases: Array<[string, unknown, string]> = [
    ['a name in capitals', { ...valid, name: 'Chat' }, 'field name'],
    ["the engine's own records name", { ...valid, name: '@tether/engine' }, 'field name'],
    ['a version that is not semver', { ...valid, version: '1' }, 'field version'],
    ['an engine range that is not a range', { ...valid, engine: 'newest' }, 'field engine'],
    [
      'a dependency range that is not a range',
      { ...valid, requires: { chat: '>>1' } },
      'requires.chat',
    ],
    ['an unknown contract', { ...valid, contracts: ['Database'] }, 'field contracts.0'],
    ['a permission without title', { ...valid, permissions: [{ id: 'x' }] }, 'permissions.0.title'],
    [
      'a permission listed twice',
      { ...valid, permissions: [valid.permissions[0], valid.permissions[0]] },
      'twice',
    ],
    ['a channel name with spaces', { ...valid, channels: ['my channel'] }, 'field channels.0'],
    ['a ui module outside the plugin', ui({ technician: '../engine/index.js' }), 'ui.technician'],
    ['a ui module by absolute path', ui({ endUser: '/etc/passwd.js' }), 'ui.endUser'],
    ['a ui module that is not a script', ui({ technician: 'ui/panel.html' }), 'ui.technician'],
    ['a ui with no module', { ...valid, ui: { title: 'Empty' } }, 'field ui'],
    ['a ui without a title', { ...valid, ui: { endUser: 'ui/a.js' } }, 'ui.title'],
    ['an unknown field', { ...valid, colour: 'red' }, 'field (manifest)'],
    ['no manifest at all', undefined, 'field (manifest)'],
  ];
  for (const [what, raw, field] of cases) {
    it(`refuses ${what}, naming the field`, () => {
      expect(failure(raw)).to.contain(field);
    });
  }

  it('names the plugin when the name is usable, else where it came from', () => {
    expect(failure({ ...valid, version: 'x' })).to.match(/^plugin remote-control: /);
    expect(failure({ ...valid, name: 'Bad Name' })).to.match(/^plugin \/plugins\/somewhere: /);
  });
});
