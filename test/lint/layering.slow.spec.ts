import path from 'node:path';
import { expect } from 'chai';
import { ESLint } from 'eslint';
import { PACKAGE_ROOT } from '../../engine/version.js';

/** Lints `code` as if it were the file at `file` (relative to the repository root). */
async function problems(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: PACKAGE_ROOT });
  const [result] = await eslint.lintText(code, { filePath: path.join(PACKAGE_ROOT, file) });
  return (result?.messages ?? []).map((message) => `${message.ruleId}: ${message.message}`);
}

const restricted = 'import-x/no-restricted-paths';

describe('layering rule', function () {
  this.timeout(60_000);

  it('fails the lint when engine/ imports an adapter, a plugin or a sample', async () => {
    for (const target of [
      '../adapters/bus-memory/memory-bus.js',
      '../samples/plugins/hello/index.js',
    ]) {
      const found = await problems('engine/layering-probe.ts', `import x from '${target}';\nx;\n`);
      expect(found.join('\n'), target).to.contain(restricted);
    }
  });

  it('fails the lint when a plugin imports the engine beyond its contracts', async () => {
    const code = "import { Engine } from '../../../engine/engine.js';\nEngine;\n";
    const found = await problems('samples/plugins/hello/probe.ts', code);
    expect(found.join('\n')).to.contain(restricted).and.contain('engine/contracts');
  });

  it('fails the lint when a plugin imports another plugin', async () => {
    const code = "import x from '../tsyringe-greeter/index.js';\nx;\n";
    const found = await problems('samples/plugins/hello/probe.ts', code);
    expect(found.join('\n')).to.contain('a plugin never imports another plugin');
  });

  it('fails the lint when an adapter reaches past the contracts into the engine', async () => {
    const code = "import { Engine } from '../../engine/engine.js';\nEngine;\n";
    const found = await problems('adapters/bus-memory/probe.ts', code);
    expect(found.join('\n')).to.contain(restricted);
  });

  it('fails the lint when Sequelize is used outside the storage adapter', async () => {
    const code = "import { Sequelize } from 'sequelize';\nSequelize;\n";
    const found = await problems('engine/probe.ts', code);
    expect(found.join('\n')).to.contain('no-restricted-imports');
  });

  it('lets a plugin import the sdk and the engine contracts', async () => {
    const code = [
      "import { definePlugin } from '../../../sdk/index.js';",
      "import { Clock } from '../../../engine/contracts/clock-contract.js';",
      'export const used = [definePlugin, Clock];',
      '',
    ].join('\n');
    expect(await problems('samples/plugins/hello/probe.ts', code)).to.deep.equal([]);
  });
});
