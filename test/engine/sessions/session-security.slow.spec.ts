import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import nacl from 'tweetnacl';
import type WebSocket from 'ws';
import { Bus } from '../../../engine/contracts/bus-contract.js';
import { nodeAsyncCryptoBackend } from '../../../sdk/crypto/node-crypto-backend.js';
import { ChatChannel } from '../../../sdk/session/chat-channel.js';
import type { GatewayCredentials } from '../../../sdk/session/gateway-credentials.js';
import { nodeWebSocketFactory } from '../../../sdk/session/node-web-socket.js';
import { SessionClient } from '../../../sdk/session/session-client.js';
import type { WebSocketFactory } from '../../../sdk/session/web-socket-like.js';
import { TechnicianConsent } from '../../../sdk/session/technician-consent.js';
import { startTestEngine, type TestEngine } from '../../../sdk/testing/test-engine.js';
import { AppletSession } from '../../../samples/applet/applet-session.js';
import { AppletTerminal } from '../../../samples/applet/applet-terminal.js';
import type { JoinedSession } from '../../../samples/applet/join-session.js';
import { LineWatcher } from '../../support/line-watcher.js';
import { addGroup, signedInMember, tenantScope, waitFor } from '../../support/identity-helpers.js';

const SECRET_TEXT = 'my banking password is hunter2-and-more';

/**
 * A WebSocket factory that keeps every binary message the gateway delivers to the client: the
 * bytes the gateway relayed, as they leave TLS at the receiving end.
 */
function recordingFactory(ca: string, frames: Buffer[]): WebSocketFactory {
  const inner = nodeWebSocketFactory({ ca });
  return (url) => {
    const socket = inner(url);
    (socket as unknown as WebSocket).on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) frames.push(Buffer.from(data));
    });
    return socket;
  };
}

describe('session security against the real engine and gateway', function () {
  this.timeout(60_000);
  let engine: TestEngine;
  let technicianToken: string;
  let technicianHeaders: Record<string, string>;
  const closers: Array<() => void> = [];

  before(async () => {
    engine = await startTestEngine();
    const groupId = await addGroup(engine, 'Limited desk');
    const groups = tenantScope(engine).groups;
    await groups.setPermission(groupId, 'system-information', { allowed: false, locked: false });
    const tech = await signedInMember(engine, 'limited@example.test', 'technician', { groupId });
    technicianHeaders = tech.headers;
    technicianToken = tech.headers.authorization!.replace('Bearer ', '');
  });

  afterEach(() => {
    for (const close of closers.splice(0)) close();
  });

  after(async () => engine?.stop());

  async function newSession(): Promise<{ created: { engineKey: string }; joined: JoinedSession }> {
    const created = await engine.request('/api/v1/sessions', {
      method: 'POST',
      headers: technicianHeaders,
      body: {},
    });
    expect(created.status, created.text).to.equal(201);
    const { joinCode } = created.json as { joinCode: string };
    const join = await engine.request('/api/v1/sessions/join', {
      method: 'POST',
      body: { code: joinCode },
    });
    expect(join.status, join.text).to.equal(200);
    return { created: created.json as { engineKey: string }, joined: join.json as JoinedSession };
  }

  function client(joined: JoinedSession, credentials: GatewayCredentials, frames: Buffer[] = []) {
    const session = new SessionClient({
      url: joined.gatewayUrl,
      engineKey: joined.engineKey,
      sessionId: joined.sessionId,
      credentials,
      webSocket: recordingFactory(engine.cert, frames),
      backend: nodeAsyncCryptoBackend,
      reconnect: { maxAttempts: 3 },
    });
    closers.push(() => session.close());
    return session;
  }

  function endUserOf(joined: JoinedSession, frames: Buffer[] = []) {
    const { participantId, secret } = joined;
    return client(joined, { kind: 'end-user', participantId, secret }, frames);
  }

  it('relays only ciphertext, and drops forged, replayed and truncated frames', async () => {
    const { joined } = await newSession();
    const toUser: Buffer[] = [];
    const toTechnician: Buffer[] = [];
    const endUser = endUserOf(joined, toUser);
    const technician = client(joined, { kind: 'technician', token: technicianToken }, toTechnician);
    const userChat = new ChatChannel(endUser);
    const techChat = new ChatChannel(technician);
    const received: string[] = [];
    userChat.on('message', (message) => received.push(message.text));
    const toTech: string[] = [];
    techChat.on('message', (message) => toTech.push(message.text));
    await Promise.all([endUser.connect(), technician.connect()]);
    expect(
      await waitFor(() => endUser.peers().length === 1 && technician.peers().length === 1),
    ).to.equal(true);

    await techChat.send(SECRET_TEXT).delivered;
    await userChat.send(`${SECRET_TEXT} (reply)`).delivered;
    expect(await waitFor(() => received.length === 1 && toTech.length === 1)).to.equal(true);

    const relayed = Buffer.concat([...toUser, ...toTechnician]);
    expect(relayed.length).to.be.greaterThan(SECRET_TEXT.length);
    for (const needle of ['hunter2', 'banking', SECRET_TEXT.slice(5, 15)]) {
      expect(relayed.includes(Buffer.from(needle)), needle).to.equal(false);
    }

    // A compromised relay replays, truncates and flips bits of a frame it saw.
    const bus = engine.engine.root.get<Bus>(Bus);
    const topic = `session:${joined.sessionId}:to:${joined.participantId}`;
    // The envelope is `0x01 ‖ len ‖ from ‖ frame`, as the gateway delivers it.
    const original = toUser.find((frame) => frame.length > 60)!;
    // A frame from the future: its counter raised, so only the tag can tell (frame offset 2 +
    // id length; the counter's last byte is at frame offset 9).
    const forged = Buffer.from(original);
    forged[2 + forged[1]! + 9]! ^= 0x40;
    const forgeries = [Buffer.from(original), original.subarray(0, original.length - 17), forged];
    const before = endUser.stats().dropped;
    for (const frame of forgeries) await bus.publish(topic, new Uint8Array(frame));
    const grew = (reason: 'replayed' | 'truncated' | 'forged') =>
      endUser.stats().dropped[reason] > before[reason];
    expect(
      await waitFor(() => grew('replayed') && grew('truncated') && grew('forged')),
      JSON.stringify(endUser.stats().dropped),
    ).to.equal(true);
    expect(received).to.deep.equal([SECRET_TEXT]);
  });

  it('lets no technician make the applet act without a permission, whatever it sends', async () => {
    const { joined } = await newSession();
    const input = new PassThrough();
    const output = new PassThrough();
    const out = new LineWatcher(output);
    const applet = new AppletSession(joined, new AppletTerminal(input, output), engine.cert);
    const running = applet.run();
    const technician = client(joined, { kind: 'technician', token: technicianToken });
    const consent = new TechnicianConsent(technician);
    await technician.connect();
    expect(await waitFor(() => technician.peers().length === 1)).to.equal(true);
    const endUserId = joined.participantId;

    // The certificate lacks the permission: denied without asking the end user.
    const decision = await consent.request(endUserId, 'system-information', 'Just a look');
    expect(decision).to.equal('denied');
    // A modified client skips consent and asks for the action outright: refused.
    const answers: string[] = [];
    technician.onChannel('system-information', (body) =>
      answers.push(new TextDecoder().decode(body)),
    );
    await technician.sendJson(endUserId, 'system-information', { type: 'request', id: 'x1' });
    expect(await waitFor(() => answers.length === 1)).to.equal(true);
    expect(JSON.parse(answers[0]!)).to.deep.include({ type: 'refused', id: 'x1' });
    // And a forged "yes" from the technician's side changes nothing at the end user's.
    await technician.sendJson(endUserId, 'consent', {
      type: 'decision',
      id: 'forged',
      permission: 'system-information',
      decision: 'granted',
    });
    await technician.sendJson(endUserId, 'system-information', { type: 'request', id: 'x2' });
    expect(await waitFor(() => answers.length === 2)).to.equal(true);
    expect(JSON.parse(answers[1]!)).to.deep.include({ type: 'refused', id: 'x2' });
    expect(
      out.lines.some((line) => line.startsWith('? ')),
      out.lines.join('\n'),
    ).to.equal(false);

    // A request under a name no permission has is ignored: the end user stays connected.
    await technician.sendJson(endUserId, 'consent', {
      type: 'request',
      id: 'odd',
      permission: 'Not A Permission!',
      prompt: 'x',
    });
    const again = await consent.request(endUserId, 'system-information', 'Still there?');
    expect(again).to.equal('denied');
    expect(out.lines.filter((line) => line.startsWith('reconnecting'))).to.deep.equal([]);

    input.write('/end\n');
    expect((await running).code).to.equal(4100);
  });

  it('refuses certificates its pinned engine key did not sign', async () => {
    const { joined } = await newSession();
    const otherEngine = Buffer.from(nacl.sign.keyPair().publicKey).toString('base64');
    // As an applet whose session file pins another engine's key would connect.
    const endUser = endUserOf({ ...joined, engineKey: otherEngine });
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      endUser.on('closed', resolve),
    );
    await endUser.connect().then(
      () => expect.fail('connected with a certificate of another engine'),
      () => undefined,
    );
    const { reason } = await closed;
    expect(reason).to.match(/signature|engine|certificate/i);
  });
});
