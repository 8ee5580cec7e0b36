import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { MIGRATIONS } from '../../../adapters/storage-sequelize/migrations/index.js';
import { sendRequest } from '../../../sdk/testing/https-request.js';
import { runCli, startCli } from '../../support/cli-process.js';

const lines = (text: string) => text.split('\n').filter((line) => line !== '');

describe('tether CLI', () => {
  let cwd: string;
  beforeEach(() => (cwd = mkdtempSync(path.join(tmpdir(), 'tether-cli-'))));
  afterEach(() => rmSync(cwd, { recursive: true, force: true }));

  it('explains itself and each command with --help', async () => {
    const top = await runCli(['--help']);
    expect(top.code).to.equal(0);
    expect(top.stdout).to.contain('tether start').and.contain('tether migrate');
    for (const command of [['start'], ['migrate'], ['plugins', 'list']]) {
      const help = await runCli([...command, '--help']);
      expect(help.code, command.join(' ')).to.equal(0);
      expect(help.stdout).to.contain('--data-dir').and.contain('TETHER_DATA_DIR');
    }
  });

  it('stops on a bad setting with one line naming it, and exit code 2', async () => {
    for (const [args, env, expected] of [
      [['start', '--port', 'eighty'], {}, 'invalid setting port (flag --port)'],
      [['migrate'], { TETHER_LOG_FORMAT: 'xml' }, 'invalid setting logFormat (TETHER_LOG_FORMAT)'],
      [['start'], { TETHER_PROT: '1' }, 'unknown variable TETHER_PROT'],
      [['plugins', 'list', '--config', 'none.json'], {}, 'cannot be read (ENOENT)'],
    ] as const) {
      const result = await runCli(args, { cwd, env });
      expect(result.code, args.join(' ')).to.equal(2);
      expect(lines(result.stderr)).to.have.length(1);
      expect(result.stderr)
        .to.match(/^tether: /)
        .and.contain(expected);
    }
  });

  it('refuses an unknown command or flag with one line and exit code 2', async () => {
    for (const args of [['launch'], ['start', '--colour', 'red'], []]) {
      const result = await runCli(args, { cwd });
      expect(result.code, args.join(' ')).to.equal(2);
      expect(lines(result.stderr)).to.have.length(1);
    }
  });

  it('stops with one line and exit code 1 when a module cannot be loaded', async () => {
    const result = await runCli(['migrate'], { cwd, env: { TETHER_MODULES: 'no-such-adapter' } });
    expect(result.code).to.equal(1);
    expect(lines(result.stderr).at(-1)).to.match(
      /^tether: module no-such-adapter cannot be loaded/,
    );
  });

  it('lists the built-in and sample plugins with their versions', async () => {
    const result = await runCli(['plugins', 'list'], { cwd });
    expect(result.code).to.equal(0);
    const rows = lines(result.stdout);
    expect(rows[0]).to.match(/^name\s+version\s+origin\s+state/);
    expect(rows.find((row) => row.startsWith('hello '))).to.match(/1\.0\.0\s+sample\s+ok/);
    expect(rows.some((row) => row.startsWith('tsyringe-greeter '))).to.equal(true);
    expect(rows.find((row) => row.startsWith('audit-export '))).to.match(/1\.0\.0\s+built-in\s+ok/);
  });

  it('migrates a new database, then finds nothing to do', async () => {
    const first = await runCli(['migrate', '--data-dir', 'd'], { cwd });
    expect(first.code, first.stderr).to.equal(0);
    expect(lines(first.stdout)).to.deep.equal([
      ...MIGRATIONS.map((migration) => `applied ${migration.name}`),
      'database (sqlite) is up to date',
    ]);
    const second = await runCli(['migrate', '--data-dir', 'd'], { cwd });
    expect(lines(second.stdout)).to.deep.equal(['database (sqlite) is up to date']);
  });

  it('prints the one-time secret on the first start only, and never logs it', async () => {
    const first = await startCli(['--port', '0'], { cwd });
    const secret = /one-time sign-in secret: (\S+)/.exec(first.output().stdout)?.[1];
    expect(secret).to.match(/^[A-Za-z0-9_-]{32}$/);
    first.child.kill('SIGTERM');
    expect(await first.exited()).to.equal(0);
    expect(first.output().stderr).not.to.contain(secret);
    expect(first.output().stderr).to.contain('"msg":"engine stopped"');
    expect(first.output().stderr).to.contain('"msg":"V8 heap tuned for relaying"');
    expect(first.output().stderr).to.contain('"flags":["--heap-growing-percent=100"');
    expect(first.output().stderr).not.to.contain('started without');
    // V8 prints this, and goes on, for a flag it does not know.
    expect(first.output().stderr).not.to.contain('unrecognized flag');

    const second = await startCli(['--port', '0'], { cwd });
    second.child.kill('SIGINT');
    expect(await second.exited()).to.equal(0);
    expect(second.output().stdout).not.to.contain('one-time');
  });

  it('answers /health over TLS on the configured port, then stops on SIGTERM', async () => {
    const running = await startCli(['--port', '0', '--log-level', 'info'], { cwd });
    try {
      const url = /"url":"(https:\/\/127\.0\.0\.1:\d+)"/.exec(running.output().stderr)?.[1];
      const cert = await import('node:fs').then((fs) =>
        fs.readFileSync(path.join(cwd, 'data', 'tls', 'engine-cert.pem'), 'utf8'),
      );
      const health = await sendRequest(`${url}/health`, cert);
      expect(health.json).to.include({ status: 'alive' });
    } finally {
      running.child.kill('SIGTERM');
      expect(await running.exited()).to.equal(0);
    }
  });
});
