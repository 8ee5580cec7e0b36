import { expect } from 'chai';
import { nodeAsyncCryptoBackend } from '../../../sdk/crypto/node-crypto-backend.js';
import { ChatChannel } from '../../../sdk/session/chat-channel.js';
import type { GatewayCredentials } from '../../../sdk/session/gateway-credentials.js';
import { nodeWebSocketFactory } from '../../../sdk/session/node-web-socket.js';
import { SessionClient } from '../../../sdk/session/session-client.js';
import { startEngineProcess, type EngineProcess } from '../../support/engine-process.js';
import { makeGroup, makeTechnician, signInWithSecret } from '../../support/remote-people.js';

const EACH_WAY = 60;

interface Side {
  readonly client: SessionClient;
  readonly chat: ChatChannel;
  readonly received: string[];
}

function side(engine: EngineProcess, joined: Joined, credentials: GatewayCredentials): Side {
  const client = new SessionClient({
    url: joined.gatewayUrl,
    engineKey: joined.engineKey,
    sessionId: joined.sessionId,
    credentials,
    webSocket: nodeWebSocketFactory({ ca: engine.ca }),
    backend: nodeAsyncCryptoBackend,
  });
  const chat = new ChatChannel(client);
  const received: string[] = [];
  chat.on('message', (message) => received.push(message.text));
  return { client, chat, received };
}

interface Joined {
  readonly sessionId: string;
  readonly participantId: string;
  readonly secret: string;
  readonly engineKey: string;
  readonly gatewayUrl: string;
}

async function waitUntil(condition: () => boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('an engine killed in the middle of a chat (SIGKILL) and started again', function () {
  this.timeout(90_000);
  let engine: EngineProcess;
  const sides: Side[] = [];

  after(async () => {
    for (const { client } of sides) client.close();
    await engine?.stop();
  });

  it('loses no message and duplicates none, either way', async () => {
    engine = await startEngineProcess({ TETHER_SESSION_GRACE_SECONDS: '60' });
    const { tenant, email, secret } = engine.firstAdmin;
    const admin = await signInWithSecret(engine.request, tenant, email, secret);
    const group = await makeGroup(engine.request, admin, 'Desk', { allowed: [], denied: [] });
    const tech = await makeTechnician(engine.request, admin, tenant, 'tech@example.test', group);
    const created = await engine.request('/api/v1/sessions', {
      method: 'POST',
      headers: tech.headers,
      body: {},
    });
    expect(created.status, created.text).to.equal(201);
    const { joinCode } = created.json as { joinCode: string };
    const join = await engine.request('/api/v1/sessions/join', {
      method: 'POST',
      body: { code: joinCode, name: 'Sam' },
    });
    expect(join.status, join.text).to.equal(200);
    const joined = join.json as Joined;

    const endUser = side(engine, joined, {
      kind: 'end-user',
      participantId: joined.participantId,
      secret: joined.secret,
    });
    const technician = side(engine, joined, { kind: 'technician', token: tech.token });
    sides.push(endUser, technician);
    await Promise.all([endUser.client.connect(), technician.client.connect()]);
    await waitUntil(
      () => endUser.client.peers().length === 1 && technician.client.peers().length === 1,
      10_000,
      'the peers to see each other',
    );

    const delivered: Array<Promise<void>> = [];
    const sent = { technician: [] as string[], endUser: [] as string[] };
    for (let i = 1; i <= EACH_WAY; i++) {
      if (i === EACH_WAY / 3) await engine.kill();
      if (i === (EACH_WAY * 2) / 3) await engine.restart();
      const fromTech = `technician ${i}`;
      const fromUser = `end user ${i}`;
      sent.technician.push(fromTech);
      sent.endUser.push(fromUser);
      delivered.push(technician.chat.send(fromTech).delivered);
      delivered.push(endUser.chat.send(fromUser).delivered);
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    await Promise.all(delivered);
    await waitUntil(
      () => endUser.received.length >= EACH_WAY && technician.received.length >= EACH_WAY,
      20_000,
      'every message',
    );
    expect(endUser.received).to.deep.equal(sent.technician);
    expect(technician.received).to.deep.equal(sent.endUser);
    expect(endUser.client.closed).to.equal(undefined);

    const detail = await engine.request(`/api/v1/sessions/${(created.json as { id: string }).id}`, {
      headers: tech.headers,
    });
    expect((detail.json as { state: string }).state).to.equal('active');
  });
});
