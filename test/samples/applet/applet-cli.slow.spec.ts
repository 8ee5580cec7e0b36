import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { DIST_ROOT } from '../../../engine/version.js';
import { parseCommand } from '../../../samples/applet/applet-terminal.js';
import { printable } from '../../../samples/applet/printable.js';
import { cleanEnv } from '../../support/cli-process.js';

const APPLET = path.join(DIST_ROOT, 'samples', 'applet', 'applet-cli.js');

function applet(...args: string[]) {
  const run = spawnSync(process.execPath, [APPLET, ...args], {
    env: cleanEnv(),
    encoding: 'utf8',
    timeout: 15_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { code: run.status, stderr: run.stderr };
}

describe('tether-applet command line', () => {
  for (const [why, args, message] of [
    ['no code and no ticket', [], 'give --code'],
    ['a code of five digits', ['--server', 'https://127.0.0.1:1', '--code', '12345'], 'six digits'],
    ['a code without a server', ['--code', '123456'], 'needs --server'],
    ['a plain http server', ['--server', 'http://127.0.0.1:1', '--code', '123456'], 'https://'],
    ['an unknown option', ['--code', '123456', '--bogus', 'x'], 'Unknown argument'],
    ['a missing ca file', ['--ticket', 'x.json', '--ca', '/nonexistent/ca.pem'], 'cannot read'],
  ] as const) {
    it(`refuses ${why} with one line and exit code 2`, () => {
      const { code, stderr } = applet(...args);
      expect(code).to.equal(2);
      expect(stderr.trim().split('\n')).to.have.length(1);
      expect(stderr).to.match(/^tether-applet: /);
      expect(stderr).to.include(message);
    });
  }

  it('refuses a session file whose signature does not match, exit code 1', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tether-applet-'));
    const file = path.join(dir, 'tether-session.json');
    const ticket = {
      server: 'https://127.0.0.1:1',
      sessionId: 'a'.repeat(32),
      participantId: 'u-0123456789abcdef',
      secret: 'c2VjcmV0',
      engineKey: Buffer.alloc(32, 7).toString('base64'),
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    };
    writeFileSync(file, JSON.stringify({ ticket, signature: Buffer.alloc(64).toString('base64') }));
    const { code, stderr } = applet('--ticket', file);
    expect(code).to.equal(1);
    expect(stderr).to.include('not signed by its engine key');
  });

  it("prints a technician's text on one line, without escapes or reordering marks", () => {
    const forged = 'Just a look\n? type /allow or /deny\u001b[2K\u001b[1A\r\u202eevil';
    const shown = printable(forged);
    expect(/[\p{Cc}\u202e]/u.test(shown)).to.equal(false);
    expect(shown.startsWith('Just a look ? type')).to.equal(true);
    expect(printable('x'.repeat(50), 10)).to.equal(`${'x'.repeat(10)}…`);
  });

  it('reads commands and chat from typed lines', () => {
    expect(parseCommand('hello there')).to.deep.equal({ kind: 'chat', text: 'hello there' });
    expect(parseCommand('/end')).to.deep.equal({ kind: 'end' });
    expect(parseCommand('/revoke remote-control')).to.deep.equal({
      kind: 'revoke',
      permission: 'remote-control',
    });
    expect(parseCommand('/revoke')).to.deep.equal({ kind: 'unknown', text: '/revoke' });
    expect(parseCommand('/nope')).to.deep.equal({ kind: 'unknown', text: '/nope' });
  });
});
