import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { envName, flagName, SETTING_SPECS } from '../engine/config/setting-specs.js';
import { PACKAGE_ROOT } from '../engine/version.js';

describe('README', () => {
  const readme = readFileSync(path.join(PACKAGE_ROOT, 'README.md'), 'utf8');

  it('shows the test command CI runs', () => {
    const ci = readFileSync(path.join(PACKAGE_ROOT, '.ci', 'run'), 'utf8');
    expect(readme).to.contain('    npm test\n');
    expect(ci.trim().split('\n').at(-1)).to.equal('npm test');
  });

  it('lists every setting with its flag and variable', () => {
    for (const [name, spec] of Object.entries(SETTING_SPECS)) {
      const flag = 'noFlag' in spec ? '—' : `\`--${flagName(name)}\``;
      expect(readme, name).to.contain(`| \`${name}\` | ${flag} | \`${envName(name)}\` |`);
    }
  });
});
