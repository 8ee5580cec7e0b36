import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { DIST_ROOT } from '../../../engine/version.js';
import { cleanEnv } from '../../support/cli-process.js';
import { startEngineProcess, type EngineProcess } from '../../support/engine-process.js';
import { LineWatcher } from '../../support/line-watcher.js';
import {
  makeGroup,
  makeTechnician,
  signInWithSecret,
  type RemoteMember,
} from '../../support/remote-people.js';
import { startXvfb, waitForWindow, type XvfbDisplay } from '../../support/xvfb-display.js';

const APPLET = path.join(DIST_ROOT, 'samples', 'applet', 'applet-cli.js');
const DRIVER = path.join(DIST_ROOT, 'test', 'support', 'technician-driver.js');

interface Process {
  readonly child: ChildProcess;
  readonly out: LineWatcher;
  write(line: string): void;
}

function start(file: string, args: readonly string[]): Process {
  const child = spawn(process.execPath, [file, ...args], {
    env: cleanEnv(),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return {
    child,
    out: new LineWatcher(child.stdout!),
    write: (line) => child.stdin!.write(`${line}\n`),
  };
}

/** The next JSON event of the driver with kind `ev` and technician `name`. */
async function event(driver: Process, ev: string, name: string, from = 0) {
  const line = await driver.out.waitFor((text) => {
    const parsed = JSON.parse(text) as { ev: string; name?: string };
    return parsed.ev === ev && parsed.name === name;
  }, from);
  return JSON.parse(line) as Record<string, unknown>;
}

describe('remote control from the applet (engine, technician client, applet on Xvfb)', function () {
  this.timeout(120_000);
  let engine: EngineProcess;
  let x: XvfbDisplay;
  let folder: string;
  let driver: Process | undefined;
  let applet: Process | undefined;
  let dana: RemoteMember;
  let eve: RemoteMember;

  before(async () => {
    x = await startXvfb();
    folder = await mkdtemp(path.join(tmpdir(), 'tether-applet-x11-'));
    x.run('xterm', ['-geometry', '80x24+0+0', '-e', '/bin/sh']);
    await waitForWindow(x, 'XTerm');
    engine = await startEngineProcess();
    const send = engine.request;
    const { tenant, email, secret } = engine.firstAdmin;
    const admin = await signInWithSecret(send, tenant, email, secret);
    const controllers = await makeGroup(send, admin, 'Control', {
      allowed: ['desktop-view', 'remote-control'],
      denied: [],
    });
    const watchers = await makeGroup(send, admin, 'Watch', {
      allowed: ['desktop-view'],
      denied: ['remote-control'],
    });
    dana = await makeTechnician(send, admin, tenant, 'dana@example.test', controllers);
    eve = await makeTechnician(send, admin, tenant, 'eve@example.test', watchers);
  });

  afterEach(() => {
    driver?.child.kill('SIGKILL');
    applet?.child.kill('SIGKILL');
    driver = applet = undefined;
  });

  after(async () => {
    await engine?.stop();
    await x?.stop();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  /** A session of `who` joined by an applet offering the display; the technician connected. */
  async function joined(who: RemoteMember, name: string, offer = true) {
    const created = await engine.request('/api/v1/sessions', {
      method: 'POST',
      headers: who.headers,
      body: {},
    });
    expect(created.status, created.text).to.equal(201);
    const session = created.json as Record<string, string>;
    applet = start(APPLET, [
      ...['--server', engine.url, '--code', session.joinCode!, '--ca', engine.caFile],
      ...(offer ? ['--desktop', x.display] : []),
    ]);
    await applet.out.waitFor((line) => line.startsWith('connected'));
    const offered = `offering display ${x.display} for remote control`;
    expect(applet.out.lines.includes(offered)).to.equal(offer);
    driver = start(DRIVER, []);
    driver.write(
      JSON.stringify({
        cmd: 'connect',
        name,
        url: session.gatewayUrl,
        engineKey: session.engineKey,
        sessionId: session.sessionId,
        token: who.token,
        ca: engine.ca,
        server: engine.url,
        ref: session.id,
      }),
    );
    await event(driver, 'peer', name);
    return { driver, applet };
  }

  it('asks the end user, then types a command into the xterm that makes a file', async () => {
    const { driver, applet } = await joined(dana, 'dana');
    driver.write(JSON.stringify({ cmd: 'view', name: 'dana' }));
    expect((await event(driver, 'view-refused', 'dana')).message).to.include('not-allowed');

    const prompt = { cmd: 'consent', name: 'dana', permission: 'remote-control', prompt: 'Fix' };
    driver.write(JSON.stringify(prompt));
    await applet.out.waitFor((line) => line.startsWith('? ') && line.includes('remote-control'));
    applet.write('/allow');
    expect((await event(driver, 'consent', 'dana')).decision).to.equal('granted');
    driver.write(JSON.stringify({ cmd: 'view', name: 'dana' }));
    const viewing = await event(driver, 'viewing', 'dana');
    expect([viewing.width, viewing.height]).to.deep.equal([1280, 720]);
    await event(driver, 'first-frame', 'dana');
    await applet.out.waitFor((line) => line.includes('is viewing your screen'));

    const file = path.join(folder, 'from-the-technician');
    const text = `touch ${file}\n`;
    driver.write(JSON.stringify({ cmd: 'type', name: 'dana', x: 200, y: 120, text }));
    await event(driver, 'typed', 'dana');
    const deadline = Date.now() + 10_000;
    while (!existsSync(file) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(file)).to.equal(true);
  });

  it('refuses the input of a technician whose group grants the view only', async () => {
    const { driver, applet } = await joined(eve, 'eve');
    const prompt = { cmd: 'consent', name: 'eve', permission: 'desktop-view', prompt: 'Look' };
    driver.write(JSON.stringify(prompt));
    await applet.out.waitFor((line) => line.startsWith('? ') && line.includes('desktop-view'));
    applet.write('/allow');
    expect((await event(driver, 'consent', 'eve')).decision).to.equal('granted');
    driver.write(JSON.stringify({ cmd: 'view', name: 'eve' }));
    await event(driver, 'first-frame', 'eve');

    const file = path.join(folder, 'never-from-eve');
    driver.write(
      JSON.stringify({ cmd: 'type', name: 'eve', x: 200, y: 120, text: `touch ${file}\n` }),
    );
    expect((await event(driver, 'refused', 'eve')).what).to.equal('input');
    await applet.out.waitFor((line) => line.startsWith('refused input to technician'));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(existsSync(file)).to.equal(false);
  });

  it('refuses the view at once when the applet offers no display', async () => {
    const { driver, applet } = await joined(dana, 'dana', false);
    const prompt = { cmd: 'consent', name: 'dana', permission: 'remote-control', prompt: 'Fix' };
    driver.write(JSON.stringify(prompt));
    await applet.out.waitFor((line) => line.startsWith('? ') && line.includes('remote-control'));
    applet.write('/allow');
    await event(driver, 'consent', 'dana');
    driver.write(JSON.stringify({ cmd: 'view', name: 'dana' }));
    expect((await event(driver, 'view-refused', 'dana')).message).to.include('failed');
    await applet.out.waitFor((line) => line.includes('no display is offered'));
  });
});
