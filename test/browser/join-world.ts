// What the join page's browser tests share: an engine with a probe plugin that declares
// permissions with consent prompts and an end-user panel, a technician group, and a
// technician driven from Node over the real gateway with the sdk's session client.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { nodeAsyncCryptoBackend } from '../../sdk/crypto/node-crypto-backend.js';
import { ChatChannel, type ChatMessage } from '../../sdk/session/chat-channel.js';
import { nodeWebSocketFactory } from '../../sdk/session/node-web-socket.js';
import { SessionClient, type SessionClosed } from '../../sdk/session/session-client.js';
import { TechnicianConsent } from '../../sdk/session/technician-consent.js';
import { startTestEngine, type TestEngine } from '../../sdk/testing/test-engine.js';
import { waitFor } from '../support/identity-helpers.js';
import { makeGroup, signInWithSecret, type RemoteMember } from '../support/remote-people.js';

/** The probe plugin's permissions, with the consent prompts its manifest declares. */
export const PROBE = {
  see: {
    id: 'screen-probe.see',
    title: 'See your screen',
    consentPrompt: 'Let the technician see your screen? They cannot click or type.',
  },
  control: {
    id: 'screen-probe.control',
    title: 'Control your computer',
    consentPrompt: 'Let the technician move your mouse and type on your keyboard?',
  },
} as const;

/** The text the probe's end-user panel shows once mounted. */
export const PROBE_PANEL_TEXT = 'Screen sharing starts from the support applet.';

/**
 * Writes a plugin folder as an integrator's build would leave it: a CommonJS `index.js` whose
 * manifest declares the two permissions and an end-user panel, and that panel as an ES module.
 */
async function writeProbePlugin(): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), 'tether-screen-probe-'));
  const manifest = {
    name: 'screen-probe',
    version: '1.0.0',
    engine: '*',
    permissions: [PROBE.see, PROBE.control],
    ui: { title: 'Screen', endUser: 'ui/screen-panel.js' },
  };
  await writeFile(
    path.join(folder, 'index.js'),
    `module.exports = { manifest: ${JSON.stringify(manifest)}, activate() { return []; } };\n`,
  );
  await mkdir(path.join(folder, 'ui'));
  await writeFile(
    path.join(folder, 'ui', 'screen-panel.js'),
    'export default { side: "end-user", mount(host) {\n' +
      '  const p = document.createElement("p");\n' +
      `  p.textContent = ${JSON.stringify(PROBE_PANEL_TEXT)};\n` +
      '  host.element.append(p);\n} };\n',
  );
  return folder;
}

/** A running engine with the probe plugin, its first administrator and a technician group. */
export interface JoinWorld {
  readonly engine: TestEngine;
  readonly tenant: string;
  readonly admin: RemoteMember;
  readonly groupId: string;
  /** Makes a technician with `displayName` (in `groupId`, else the world's group), signed in. */
  technician(email: string, displayName: string, groupId?: string): Promise<RemoteMember>;
  stop(): Promise<void>;
}

/** Starts the world; `allowed` are the group's extra permissions (the probe's by default). */
export async function startJoinWorld(
  allowed: readonly string[] = [PROBE.see.id, PROBE.control.id],
): Promise<JoinWorld> {
  const plugin = await writeProbePlugin();
  const engine = await startTestEngine({ plugins: [plugin] });
  const { tenant, email, secret } = engine.firstStart!;
  const admin = await signInWithSecret(engine.request, tenant, email, secret);
  const groupId = await makeGroup(engine.request, admin, 'Front line', { allowed, denied: [] });
  return {
    engine,
    tenant,
    admin,
    groupId,
    async technician(address, displayName, inGroup = groupId) {
      const made = await engine.request('/api/v1/members', {
        method: 'POST',
        headers: admin.headers,
        body: { email: address, displayName, role: 'technician', groupId: inGroup },
      });
      expect(made.status, made.text).to.equal(201);
      const { oneTimeSecret } = made.json as { oneTimeSecret: string };
      return signInWithSecret(engine.request, tenant, address, oneTimeSecret);
    },
    async stop() {
      await engine.stop();
      await rm(plugin, { recursive: true, force: true });
    },
  };
}

/** What `POST /api/v1/sessions` answers the technician. */
export interface CreatedSession {
  readonly id: string;
  readonly sessionId: string;
  readonly joinCode: string;
  readonly gatewayUrl: string;
  readonly engineKey: string;
  readonly joinUrl: string;
}

/** Makes a session as `technician`, as the console does. */
export async function createSession(
  world: JoinWorld,
  technician: RemoteMember,
): Promise<CreatedSession> {
  const made = await world.engine.request('/api/v1/sessions', {
    method: 'POST',
    headers: technician.headers,
    body: {},
  });
  expect(made.status, made.text).to.equal(201);
  return made.json as CreatedSession;
}

/**
 * The technician's side in this process: the sdk session client on the real gateway, with
 * chat and consent, recording what arrives.
 */
export class NodeTechnician {
  readonly client: SessionClient;
  readonly chat: ChatChannel;
  readonly consent: TechnicianConsent;
  readonly received: ChatMessage[] = [];
  readonly revoked: string[] = [];
  closedWith: SessionClosed | undefined;

  constructor(world: JoinWorld, session: CreatedSession, token: string) {
    this.client = new SessionClient({
      url: session.gatewayUrl,
      engineKey: session.engineKey,
      sessionId: session.sessionId,
      credentials: { kind: 'technician', token },
      expectedPeerRole: 'end-user',
      webSocket: nodeWebSocketFactory({ ca: world.engine.cert }),
      backend: nodeAsyncCryptoBackend,
    });
    this.chat = new ChatChannel(this.client);
    this.consent = new TechnicianConsent(this.client);
    this.chat.on('message', (message) => this.received.push(message));
    this.consent.on('revoked', ({ permission }) => this.revoked.push(permission));
    this.client.on('closed', (closed) => (this.closedWith = closed));
  }

  /** Connects and waits (bounded) until the end user's certificate is here. */
  async connectToEndUser(): Promise<string> {
    await this.client.connect();
    const here = await waitFor(() => this.endUser() !== undefined, 15_000);
    expect(here, 'the end user is in the session').to.equal(true);
    return this.endUser()!;
  }

  endUser(): string | undefined {
    return this.client.peers().find((peer) => peer.role === 'end-user')?.participantId;
  }

  /** The SAS the technician would read out. */
  sas(): string {
    return this.client.peer(this.endUser()!)!.sas;
  }

  dispose(): void {
    this.chat.dispose();
    this.consent.dispose();
    if (this.client.closed === undefined) this.client.close();
  }
}
