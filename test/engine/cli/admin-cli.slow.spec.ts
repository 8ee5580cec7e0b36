import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import sqlite3 from 'sqlite3';
import { startTestEngine } from '../../../sdk/testing/test-engine.js';
import { runCli } from '../../support/cli-process.js';

const PASSWORD = 'operator chose this passphrase 9';
const lines = (text: string) => text.split('\n').filter((line) => line !== '');

/** Runs SQL on the engine's SQLite file directly, as someone with access to the disk could. */
function tamper(file: string, sql: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const database = new sqlite3.Database(file);
    database.exec(sql, (error) => database.close(() => (error ? reject(error) : resolve())));
  });
}

describe('tether admin and tether audit', () => {
  let cwd: string;
  let dataDir: string;
  const cli = (args: string[], input?: string) =>
    runCli([...args, '--data-dir', dataDir], { cwd, input });

  beforeEach(() => {
    cwd = mkdtempSync(path.join(tmpdir(), 'tether-admin-'));
    dataDir = path.join(cwd, 'data');
  });
  afterEach(() => rmSync(cwd, { recursive: true, force: true }));

  const create = (email: string, password = PASSWORD) =>
    cli(['admin', 'create', '--tenant', 'Acme', '--email', email, '--password-stdin'], password);

  it('makes a tenant and its administrator, who can then sign in', async () => {
    const made = await create('ops@acme.test');
    expect(made.code, made.stderr).to.equal(0);
    expect(lines(made.stdout)).to.deep.equal([
      'made the tenant "Acme"',
      'made the master-administrator ops@acme.test in "Acme"',
    ]);
    const engine = await startTestEngine({ dataDir });
    try {
      const login = await engine.request('/api/v1/auth/login', {
        method: 'POST',
        body: { tenant: 'Acme', email: 'ops@acme.test', password: PASSWORD },
      });
      expect((login.json as { state: string }).state).to.equal('active');
    } finally {
      await engine.stop();
    }
  });

  it('refuses a weak password and a taken address with one line and exit code 2', async () => {
    const weak = await create('weak@acme.test', 'short');
    expect(weak.code).to.equal(2);
    expect(lines(weak.stderr).at(-1)).to.equal('tether: password: at least 12 characters');
    expect((await create('twice@acme.test')).code).to.equal(0);
    const again = await create('twice@acme.test');
    expect(again.code).to.equal(2);
    expect(lines(again.stderr).at(-1)).to.contain('already exists');
  });

  it('unlocks a member locked by failed sign-ins', async () => {
    await create('locked@acme.test');
    const engine = await startTestEngine({ dataDir });
    const attempt = (password: string) =>
      engine.request('/api/v1/auth/login', {
        method: 'POST',
        body: { tenant: 'Acme', email: 'locked@acme.test', password },
      });
    try {
      for (let n = 0; n < 5; n += 1) await attempt(`wrong ${n}`);
      expect((await attempt(PASSWORD)).status).to.equal(401);
      const unlocked = await cli([
        'admin',
        'unlock',
        '--tenant',
        'Acme',
        '--email',
        'locked@acme.test',
      ]);
      expect(unlocked.code, unlocked.stderr).to.equal(0);
      expect(lines(unlocked.stdout)).to.deep.equal(['unlocked locked@acme.test']);
      expect((await attempt(PASSWORD)).status).to.equal(200);
    } finally {
      await engine.stop();
    }
    const unknown = await cli(['admin', 'unlock', '--tenant', 'Acme', '--email', 'x@acme.test']);
    expect(unknown.code).to.equal(2);
  });

  it('verifies the audit chain, and names the first edited row', async () => {
    await create('one@acme.test');
    await create('two@acme.test');
    await create('three@acme.test');
    const whole = await cli(['audit', 'verify']);
    expect(whole.code, whole.stderr).to.equal(0);
    expect(lines(whole.stdout)).to.deep.equal(['tenant "Acme": 3 records, the chain holds']);

    const file = path.join(dataDir, 'tether.sqlite');
    const edit = "UPDATE audit_events SET actor_label = 'someone else' WHERE seq = 2";
    const refused = await tamper(file, edit).then(
      () => 'changed',
      (error: Error) => error.message,
    );
    expect(refused).to.contain('append-only');
    await tamper(file, `DROP TRIGGER audit_events_no_update; ${edit};`);
    const broken = await cli(['audit', 'verify', '--tenant', 'Acme']);
    expect(broken.code).to.equal(1);
    expect(lines(broken.stdout)).to.deep.equal([
      'tenant "Acme": record 2: hash does not match its content',
    ]);
  });

  it('sees a deleted last row through the chain head', async () => {
    await create('one@acme.test');
    await create('two@acme.test');
    const file = path.join(dataDir, 'tether.sqlite');
    await tamper(
      file,
      'DROP TRIGGER audit_events_no_delete; DELETE FROM audit_events WHERE seq = 2;',
    );
    const broken = await cli(['audit', 'verify']);
    expect(broken.code).to.equal(1);
    expect(broken.stdout).to.contain('record 2: the chain ends at 1, the head says 2');
  });
});
