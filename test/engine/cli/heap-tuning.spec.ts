import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import {
  applyHeapTuning,
  RELAY_HEAP_FLAGS,
  RELAY_START_FLAGS,
} from '../../../engine/cli/heap-tuning.js';
import { loadSettings } from '../../../engine/config/load-settings.js';
import { collectingLogger } from '../../support/collecting-logger.js';
import { CLI } from '../../support/fixture-paths.js';

const parsed = (lines: string[]) => lines.map((line) => JSON.parse(line) as object);

describe('heap tuning of tether start', () => {
  it('sets both relay flags by default and logs them once', () => {
    const set: string[] = [];
    const { lines, logger } = collectingLogger('info');
    const settings = loadSettings({ env: {} });
    expect(settings.heapTuning).to.equal('relay');

    applyHeapTuning(settings, logger, (flag) => set.push(flag), [...RELAY_START_FLAGS]);

    expect(set).to.deep.equal([...RELAY_HEAP_FLAGS]);
    expect(lines).to.have.length(1);
    expect(parsed(lines)[0]).to.include({ name: 'engine:heap', msg: 'V8 heap tuned for relaying' });
    expect(parsed(lines)[0]).to.deep.include({
      flags: [...RELAY_HEAP_FLAGS, ...RELAY_START_FLAGS],
    });
  });

  it('warns, naming the flags, when node was started without its start flags', () => {
    const set: string[] = [];
    const { lines, logger } = collectingLogger('info');

    applyHeapTuning(loadSettings({ env: {} }), logger, (flag) => set.push(flag), ['--inspect']);

    expect(set).to.deep.equal([...RELAY_HEAP_FLAGS]);
    expect(lines).to.have.length(1);
    const line = parsed(lines)[0] as { level: number; missing: string[]; msg: string };
    expect(line.level).to.equal(40);
    expect(line.missing).to.deep.equal([...RELAY_START_FLAGS]);
    expect(line.msg).to.match(/started without/);
  });

  it('is started with its start flags by npm start and by the tether command', () => {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
      scripts: Record<string, string>;
    };
    const flags = RELAY_START_FLAGS.join(' ');
    expect(manifest.scripts['start']).to.equal(`node ${flags} dist/engine/cli/tether-cli.js start`);
    const firstLine = readFileSync(CLI, 'utf8').split('\n', 1)[0];
    expect(firstLine).to.equal(`#!/usr/bin/env -S node ${flags}`);
  });

  it('sets nothing when heapTuning is off, and asks for no start flag', () => {
    const set: string[] = [];
    const { lines, logger } = collectingLogger('info');
    const settings = loadSettings({ env: { TETHER_HEAP_TUNING: 'off' } });

    applyHeapTuning(settings, logger, (flag) => set.push(flag), []);

    expect(set).to.deep.equal([]);
    expect(lines).to.have.length(1);
    expect(parsed(lines)[0]).to.include({ heapTuning: 'off', msg: 'V8 heap defaults kept' });
  });

  it('refuses any other value with a one-line reason', () => {
    expect(() => loadSettings({ env: { TETHER_HEAP_TUNING: 'fast' } })).to.throw(
      /heapTuning.*expected relay or off/,
    );
  });

  it('names only flags this V8 knows', () => {
    // An unknown flag is not an error for V8, only a line on stderr: check each one here.
    const known = new Set(v8FlagNames());
    for (const flag of RELAY_HEAP_FLAGS) {
      expect(known, flag).to.include(/^--([a-z0-9-]+)=/.exec(flag)![1]);
    }
    for (const flag of RELAY_START_FLAGS) {
      expect(known, flag).to.include(/^--no-([a-z0-9-]+)$/.exec(flag)![1]);
    }
  });
});

/** The names `node --v8-options` lists. */
function v8FlagNames(): string[] {
  const text = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8' });
  return [...text.matchAll(/^\s+--([a-z0-9-]+) \(/gm)].map((match) => match[1]!);
}
