import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { DIST_ROOT } from '../../../engine/version.js';
import { cleanEnv } from '../../support/cli-process.js';
import { startEngineProcess, type EngineProcess } from '../../support/engine-process.js';
import { waitFor } from '../../support/identity-helpers.js';
import { LineWatcher } from '../../support/line-watcher.js';
import {
  makeGroup,
  makeTechnician,
  signInWithSecret,
  type RemoteMember,
} from '../../support/remote-people.js';

const APPLET = path.join(DIST_ROOT, 'samples', 'applet', 'applet-cli.js');
const DRIVER = path.join(DIST_ROOT, 'test', 'support', 'technician-driver.js');

interface Driver {
  readonly child: ChildProcess;
  readonly out: LineWatcher;
  send(command: Record<string, unknown>): void;
  /** The next event of `name` with kind `ev` (and `extra` fields) from line `from` on. */
  event(
    ev: string,
    extra?: Record<string, unknown>,
    from?: number,
  ): Promise<Record<string, unknown>>;
}

function startDriver(): Driver {
  const child = spawn(process.execPath, [DRIVER], { stdio: ['pipe', 'pipe', 'inherit'] });
  const out = new LineWatcher(child.stdout!);
  return {
    child,
    out,
    send: (command) => child.stdin!.write(`${JSON.stringify(command)}\n`),
    async event(ev, extra = {}, from = 0) {
      const line = await out.waitFor((text) => {
        const event = JSON.parse(text) as Record<string, unknown>;
        return event.ev === ev && Object.entries(extra).every(([k, v]) => event[k] === v);
      }, from);
      return JSON.parse(line) as Record<string, unknown>;
    },
  };
}

/** Runs `tether-applet` with `how` (a code or a session file), trusting the engine's CA. */
function startApplet(
  engine: EngineProcess,
  how: readonly string[],
): {
  child: ChildProcess;
  out: LineWatcher;
  type(line: string): void;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, [APPLET, ...how, '--ca', engine.caFile], {
    env: cleanEnv(),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    child,
    out: new LineWatcher(child.stdout!),
    type: (line) => child.stdin!.write(`${line}\n`),
    exited,
  };
}

describe('a session across three processes (engine, technician client, applet)', function () {
  this.timeout(120_000);
  let engine: EngineProcess;
  let driver: Driver | undefined;
  let applet: ReturnType<typeof startApplet> | undefined;
  let admin: RemoteMember;
  let alice: RemoteMember;
  let bob: RemoteMember;

  before(async () => {
    engine = await startEngineProcess();
    const send = engine.request;
    const { tenant, email, secret } = engine.firstAdmin;
    admin = await signInWithSecret(send, tenant, email, secret);
    const group = await makeGroup(send, admin, 'Front line', {
      allowed: ['system-information', 'file-manager', 'transfer-sessions'],
      denied: ['remote-control'],
    });
    alice = await makeTechnician(send, admin, tenant, 'alice@example.test', group);
    bob = await makeTechnician(send, admin, tenant, 'bob@example.test', group);
  });

  after(async () => {
    driver?.child.kill('SIGKILL');
    applet?.child.kill('SIGKILL');
    await engine?.stop();
  });

  it('creates, joins, chats both ways, asks consent twice, transfers and ends', async () => {
    const created = await engine.request('/api/v1/sessions', {
      method: 'POST',
      headers: alice.headers,
      body: { endUserName: 'Pat' },
    });
    expect(created.status, created.text).to.equal(201);
    const session = created.json as {
      id: string;
      sessionId: string;
      joinCode: string;
      gatewayUrl: string;
      engineKey: string;
    };

    applet = startApplet(engine, [
      '--server',
      engine.url,
      '--code',
      session.joinCode,
      '--name',
      'Pat',
    ]);
    await applet.out.waitFor((line) => line.startsWith('connected'));

    driver = startDriver();
    const connect = (name: string, who: RemoteMember, sessionId: string) =>
      driver!.send({
        cmd: 'connect',
        name,
        url: session.gatewayUrl,
        engineKey: session.engineKey,
        sessionId,
        token: who.token,
        ca: engine.ca,
        server: engine.url,
        ref: session.id,
      });
    connect('alice', alice, session.sessionId);
    await driver.event('peer', { name: 'alice', role: 'end-user' });
    await applet.out.waitFor((line) => line.includes(`joined; check code`));

    // Chat both ways, with delivery acknowledgements on each side.
    driver.send({ cmd: 'chat', name: 'alice', text: 'Hello, I am Alice from support.' });
    await applet.out.waitFor((line) => line === '[technician] Hello, I am Alice from support.');
    await driver.event('delivered', { name: 'alice' });
    applet.type('My printer will not print.');
    expect((await driver.event('chat', { name: 'alice' })).text).to.equal(
      'My printer will not print.',
    );
    await applet.out.waitFor((line) => line.startsWith('delivered '));

    // The technician's side sent the transcript as it happened; an administrator reads it.
    driver.send({ cmd: 'flush', name: 'alice' });
    await driver.event('flushed', { name: 'alice' });
    const transcript = await engine.request(
      `/api/v1/plugins/chat/sessions/${session.id}/transcript`,
      { headers: admin.headers },
    );
    expect(transcript.status, transcript.text).to.equal(200);
    const texts = (transcript.json as { items: Array<{ from: string; text: string }> }).items;
    expect(texts.map((item) => [item.from, item.text])).to.deep.equal([
      ['technician', 'Hello, I am Alice from support.'],
      ['end-user', 'My printer will not print.'],
    ]);

    // One consent granted: the applet asks, the end user says yes, the action then runs.
    driver.send({
      cmd: 'consent',
      name: 'alice',
      permission: 'system-information',
      prompt: 'See your system',
    });
    await applet.out.waitFor(
      (line) => line.startsWith('? ') && line.includes('system-information'),
    );
    applet.type('/allow');
    const granted = await driver.event('consent', {
      name: 'alice',
      permission: 'system-information',
    });
    expect(granted.decision).to.equal('granted');
    driver.send({ cmd: 'action', name: 'alice' });
    const result = await driver.event('action', { name: 'alice' });
    expect(result.type).to.equal('result');
    expect((result.info as { platform: string }).platform).to.equal(process.platform);

    // One consent denied by the end user.
    const asked = applet.out.lines.length;
    driver.send({
      cmd: 'consent',
      name: 'alice',
      permission: 'file-manager',
      prompt: 'Browse your files',
    });
    await applet.out.waitFor(
      (line) => line.startsWith('? ') && line.includes('file-manager'),
      asked,
    );
    applet.type('/deny');
    const denied = await driver.event('consent', { name: 'alice', permission: 'file-manager' });
    expect(denied.decision).to.equal('denied');

    // A permission the group does not grant is refused without asking the end user.
    const before = applet.out.lines.length;
    driver.send({ cmd: 'consent', name: 'alice', permission: 'remote-control', prompt: 'Control' });
    const refused = await driver.event('consent', { name: 'alice', permission: 'remote-control' });
    expect(refused.decision).to.equal('denied');
    expect(applet.out.lines.slice(before).some((line) => line.startsWith('? '))).to.equal(false);

    // Transfer to Bob: Alice loses her place, Bob connects and chats; Alice's grant is not his.
    const transfer = await engine.request(`/api/v1/sessions/${session.id}/transfer`, {
      method: 'POST',
      headers: alice.headers,
      body: { memberId: bob.id },
    });
    expect(transfer.status, transfer.text).to.equal(200);
    expect((await driver.event('closed', { name: 'alice' })).code).to.equal(4011);
    const detail = await engine.request(`/api/v1/sessions/${session.id}`, { headers: bob.headers });
    expect(detail.status, detail.text).to.equal(200);
    const { sessionId } = detail.json as { sessionId: string };
    connect('bob', bob, sessionId);
    await driver.event('peer', { name: 'bob', role: 'end-user' });
    driver.send({ cmd: 'chat', name: 'bob', text: 'Bob here, I will take it from now.' });
    await applet.out.waitFor((line) => line === '[technician] Bob here, I will take it from now.');
    driver.send({ cmd: 'action', name: 'bob' });
    expect((await driver.event('action', { name: 'bob' })).type).to.equal('refused');

    // The end user ends the session: everyone is closed with 4100 and the applet exits 0.
    applet.type('/end');
    expect((await driver.event('closed', { name: 'bob' })).code).to.equal(4100);
    expect(await applet.exited).to.equal(0);

    const audit = await engine.request('/api/v1/audit?limit=200', { headers: admin.headers });
    expect(audit.status, audit.text).to.equal(200);
    const actions = (audit.json as { items: Array<{ action: string }> }).items.map((r) => r.action);
    for (const action of [
      'session.created',
      'session.joined',
      'consent.asked',
      'consent.granted',
      'consent.denied',
      'session.transferred',
      'session.ended',
    ]) {
      expect(actions, action).to.include(action);
    }
  });
  it('runs from the signed per-session download, trusting only the key inside it', async () => {
    const created = await engine.request('/api/v1/sessions', {
      method: 'POST',
      headers: alice.headers,
      body: {},
    });
    const session = created.json as {
      id: string;
      sessionId: string;
      joinCode: string;
      gatewayUrl: string;
      engineKey: string;
    };
    const download = await engine.request('/api/v1/sessions/join/applet', {
      method: 'POST',
      body: { code: session.joinCode, name: 'Robin' },
    });
    expect(download.status, download.text).to.equal(200);
    expect(download.headers['content-disposition']).to.include('tether-session.json');
    const file = path.join(engine.dataDir, 'tether-session.json');
    await writeFile(file, download.text);
    expect((download.json as { ticket: { engineKey: string } }).ticket.engineKey).to.equal(
      session.engineKey,
    );

    applet = startApplet(engine, ['--ticket', file]);
    await applet.out.waitFor((line) => line.startsWith('connected'));
    driver ??= startDriver();
    const carol = {
      cmd: 'connect',
      name: 'carol',
      url: session.gatewayUrl,
      engineKey: session.engineKey,
      sessionId: session.sessionId,
      token: alice.token,
      ca: engine.ca,
      server: engine.url,
      ref: session.id,
    };
    driver.send(carol);
    await driver.event('peer', { name: 'carol', role: 'end-user' });
    driver.send({ cmd: 'chat', name: 'carol', text: 'Started from the download.' });
    await applet.out.waitFor((line) => line === '[technician] Started from the download.');

    // The end user's machine reboots: the applet dies without a word and starts again from the
    // same file. What the technician said meanwhile arrives once, under the applet's new key.
    applet.child.kill('SIGKILL');
    await applet.exited;
    const asked = driver.out.lines.length;
    driver.send({ cmd: 'chat', name: 'carol', text: 'Said while you rebooted.' });
    applet = startApplet(engine, ['--ticket', file]);
    await applet.out.waitFor((line) => line === '[technician] Said while you rebooted.');
    await driver.event('delivered', { name: 'carol', text: 'Said while you rebooted.' }, asked);
    await driver.event('peer', { name: 'carol', change: 'restarted' }, asked);
    applet.type('Back again.');
    expect(
      (await driver.event('chat', { name: 'carol', text: 'Back again.' }, asked)).text,
    ).to.equal('Back again.');
    expect(
      applet.out.lines.filter((line) => line === '[technician] Said while you rebooted.'),
    ).to.have.length(1);

    // What the end user types while the technician is away waits in the outbox beside the
    // session file, so a reboot before it arrived does not lose it either.
    driver.send({ cmd: 'close', name: 'carol' });
    await applet.out.waitFor((line) => line.endsWith('lost connection'));
    const away = 'Typed while you were away.';
    applet.type(away);
    const outbox = `${file}.outbox.json`;
    const kept = () => existsSync(outbox) && readFileSync(outbox, 'utf8').includes(away);
    expect(await waitFor(kept, 10_000), 'kept in the outbox').to.equal(true);
    applet.child.kill('SIGKILL');
    await applet.exited;
    applet = startApplet(engine, ['--ticket', file]);
    await applet.out.waitFor((line) => line.startsWith('connected'));
    const rejoined = driver.out.lines.length;
    driver.send({ ...carol, cmd: 'connect' });
    await driver.event('chat', { name: 'carol', text: away }, rejoined);
    await applet.out.waitFor((line) => line === `sending again: ${away}`);
    await applet.out.waitFor((line) => line.startsWith('delivered '));
    expect(await waitFor(() => readFileSync(outbox, 'utf8') === '[]', 10_000)).to.equal(true);

    driver.send({ cmd: 'end', name: 'carol' });
    expect(await applet.exited).to.equal(0);
    expect(existsSync(outbox), 'outbox removed at the end').to.equal(false);
    const chats = driver.out.lines.slice(rejoined).filter((line) => line.includes(away));
    expect(chats, 'delivered once').to.have.length(1);
  });
});
