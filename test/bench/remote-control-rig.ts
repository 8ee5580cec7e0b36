// The remote-control bench's set-up: an engine process, a technician allowed to control, the
// real applet offering an Xvfb display, consent granted through the applet's terminal, and the
// technician's viewer drawing into a framebuffer in this process.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { DIST_ROOT } from '../../engine/version.js';
import { RemoteDesktopViewer } from '../../plugins/remote-control/remote-desktop-viewer.js';
import { RgbaFramebuffer } from '../../plugins/remote-control/rgba-framebuffer.js';
import { nodeAsyncCryptoBackend } from '../../sdk/crypto/node-crypto-backend.js';
import { nodeWebSocketFactory } from '../../sdk/session/node-web-socket.js';
import { SessionClient } from '../../sdk/session/session-client.js';
import { TechnicianConsent } from '../../sdk/session/technician-consent.js';
import { cleanEnv } from '../support/cli-process.js';
import { startEngineProcess, type EngineProcess } from '../support/engine-process.js';
import { LineWatcher } from '../support/line-watcher.js';
import { makeGroup, makeTechnician, signInWithSecret } from '../support/remote-people.js';
import type { XvfbDisplay } from '../support/xvfb-display.js';

const APPLET = path.join(DIST_ROOT, 'samples', 'applet', 'applet-cli.js');

/** Everything running for the bench; {@link RemoteControlRig.stop} ends it all. */
export interface RemoteControlRig {
  readonly applet: ChildProcess;
  readonly viewer: RemoteDesktopViewer;
  readonly screen: RgbaFramebuffer;
  stop(): Promise<void>;
}

async function technicianOf(engine: EngineProcess) {
  const send = engine.request;
  const { tenant, email, secret } = engine.firstAdmin;
  const admin = await signInWithSecret(send, tenant, email, secret);
  const group = await makeGroup(send, admin, 'Remote control bench', {
    allowed: ['desktop-view', 'remote-control'],
    denied: [],
  });
  return makeTechnician(send, admin, tenant, 'bench@example.test', group);
}

function startApplet(engine: EngineProcess, code: string, display: string) {
  const args = ['--server', engine.url, '--code', code, '--ca', engine.caFile];
  const child = spawn(process.execPath, [APPLET, ...args, '--desktop', display], {
    env: cleanEnv(),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return { child, out: new LineWatcher(child.stdout!) };
}

/** Starts the engine, the applet on `x` and a technician viewing with `limits`. */
export async function startRemoteControlRig(
  x: XvfbDisplay,
  limits: { quality: number; fps: number },
): Promise<RemoteControlRig> {
  const engine = await startEngineProcess();
  let applet: ReturnType<typeof startApplet> | undefined;
  let client: SessionClient | undefined;
  const stop = async () => {
    client?.close();
    applet?.child.kill('SIGKILL');
    await engine.stop();
  };
  try {
    const technician = await technicianOf(engine);
    const made = await engine.request('/api/v1/sessions', {
      method: 'POST',
      headers: technician.headers,
      body: {},
    });
    if (made.status !== 201) throw new Error(`session: ${made.status} ${made.text}`);
    const session = made.json as Record<string, string>;
    applet = startApplet(engine, session.joinCode!, x.display);
    await applet.out.waitFor((line) => line.startsWith('connected'), 0, 30_000);

    client = new SessionClient({
      url: session.gatewayUrl!,
      engineKey: session.engineKey!,
      sessionId: session.sessionId!,
      credentials: { kind: 'technician', token: technician.token },
      expectedPeerRole: 'end-user',
      webSocket: nodeWebSocketFactory({ ca: engine.ca }),
      backend: nodeAsyncCryptoBackend,
    });
    await client.connect();
    const endUser = await endUserOf(client);
    await grantControl(client, endUser, applet);
    const screen = new RgbaFramebuffer();
    const viewer = new RemoteDesktopViewer(client, endUser, screen);
    await viewer.start(limits);
    return { applet: applet.child, viewer, screen, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function endUserOf(client: SessionClient): Promise<string> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const peer = client.peers().find((candidate) => candidate.role === 'end-user');
    if (peer) return peer.participantId;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the end user never appeared');
}

async function grantControl(
  client: SessionClient,
  endUser: string,
  applet: ReturnType<typeof startApplet>,
) {
  const consent = new TechnicianConsent(client);
  const decided = consent.request(endUser, 'remote-control', 'Remote control bench');
  await applet.out.waitFor((line) => line.startsWith('? ') && line.includes('remote-control'));
  applet.child.stdin!.write('/allow\n');
  if ((await decided) !== 'granted') throw new Error('remote control was not granted');
}
