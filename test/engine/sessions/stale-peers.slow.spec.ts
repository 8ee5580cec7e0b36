import { expect } from 'chai';
import type WebSocket from 'ws';
import { nodeAsyncCryptoBackend } from '../../../sdk/crypto/node-crypto-backend.js';
import { ChatChannel } from '../../../sdk/session/chat-channel.js';
import { EndUserConsent } from '../../../sdk/session/end-user-consent.js';
import type { GatewayCredentials } from '../../../sdk/session/gateway-credentials.js';
import { nodeWebSocketFactory } from '../../../sdk/session/node-web-socket.js';
import { SessionClient } from '../../../sdk/session/session-client.js';
import { TechnicianConsent } from '../../../sdk/session/technician-consent.js';
import type { WebSocketFactory, WebSocketLike } from '../../../sdk/session/web-socket-like.js';
import { startTestEngine, type TestEngine } from '../../../sdk/testing/test-engine.js';
import type { JoinedSession } from '../../../samples/applet/join-session.js';
import {
  addGroup,
  signedInMember,
  tenantScope,
  waitFor,
  type SignedInMember,
} from '../../support/identity-helpers.js';
import { inviteCollaborator } from '../../support/session-helpers.js';

/** A factory whose sockets can be cut, and which fails every connection while `blocked`. */
class CuttableSockets {
  blocked = false;
  private readonly sockets: WebSocketLike[] = [];
  private readonly inner: WebSocketFactory;

  constructor(ca: string) {
    this.inner = nodeWebSocketFactory({ ca });
  }

  readonly factory: WebSocketFactory = (url) => {
    // A port nothing listens on: the client sees a failed connection and tries again later.
    const socket = this.inner(this.blocked ? 'wss://127.0.0.1:1/gateway' : url);
    this.sockets.push(socket);
    return socket;
  };

  /** Drops every socket made so far without a closing handshake, as a lost line does. */
  cutAll(): void {
    for (const socket of this.sockets.splice(0)) (socket as unknown as WebSocket).terminate();
  }
}

describe('a peer that left for good while the end user was away', function () {
  this.timeout(60_000);
  let engine: TestEngine;
  let alice: SignedInMember;
  let bob: SignedInMember;
  const closers: Array<() => void> = [];

  before(async () => {
    engine = await startTestEngine();
    const groupId = await addGroup(engine, 'Pair desk');
    const groups = tenantScope(engine).groups;
    for (const permission of ['collaboration', 'system-information']) {
      await groups.setPermission(groupId, permission, { allowed: true, locked: false });
    }
    alice = await signedInMember(engine, 'alice@stale.test', 'technician', { groupId });
    bob = await signedInMember(engine, 'bob@stale.test', 'technician', { groupId });
  });
  afterEach(() => {
    for (const close of closers.splice(0)) close();
  });
  after(async () => engine?.stop());

  function client(
    joined: JoinedSession,
    credentials: GatewayCredentials,
    sockets?: CuttableSockets,
  ) {
    const session = new SessionClient({
      url: joined.gatewayUrl,
      engineKey: joined.engineKey,
      sessionId: joined.sessionId,
      credentials,
      webSocket: sockets?.factory ?? nodeWebSocketFactory({ ca: engine.cert }),
      backend: nodeAsyncCryptoBackend,
      reconnect: { initialDelayMs: 50, maxDelayMs: 200, maxAttempts: 200 },
    });
    closers.push(() => session.close());
    return session;
  }

  async function joinedSession(): Promise<JoinedSession> {
    const made = await engine.request('/api/v1/sessions', {
      method: 'POST',
      headers: alice.headers,
      body: {},
    });
    expect(made.status, made.text).to.equal(201);
    const { id, joinCode } = made.json as { id: string; joinCode: string };
    await inviteCollaborator(engine, alice.headers, id, bob.id);
    const join = await engine.request('/api/v1/sessions/join', {
      method: 'POST',
      body: { code: joinCode },
    });
    expect(join.status, join.text).to.equal(200);
    return join.json as JoinedSession;
  }

  it('is dropped on reconnect: its grants go and chat no longer waits for it', async () => {
    const joined = await joinedSession();
    const sockets = new CuttableSockets(engine.cert);
    const { participantId, secret } = joined;
    const endUser = client(joined, { kind: 'end-user', participantId, secret }, sockets);
    const consent = new EndUserConsent(endUser, { ask: async () => true });
    const chat = new ChatChannel(endUser);
    const owner = client(joined, { kind: 'technician', token: tokenOf(alice) });
    const collaborator = client(joined, { kind: 'technician', token: tokenOf(bob) });
    const readies: string[] = [];
    endUser.on('ready', ({ participantId: me }) => readies.push(me));
    await Promise.all([endUser.connect(), owner.connect(), collaborator.connect()]);
    expect(await waitFor(() => endUser.peers().length === 2, 10_000), 'both seen').to.equal(true);
    const bobId = `t-${bob.id}`;
    const asked = new TechnicianConsent(collaborator);
    expect(await asked.request(participantId, 'system-information', 'a look')).to.equal('granted');
    const allowed = () => consent.isAllowed(bobId, 'system-information');
    expect(await waitFor(allowed, 10_000), 'granted and active').to.equal(true);

    // The end user's line drops and stays down while Bob leaves the session for good.
    sockets.blocked = true;
    sockets.cutAll();
    collaborator.end();
    expect(await waitFor(() => owner.peer(bobId) === undefined, 10_000), 'bob left').to.equal(true);
    expect(endUser.peer(bobId), 'not heard while away').not.to.equal(undefined);
    sockets.blocked = false;
    expect(await waitFor(() => readies.length === 2, 10_000), 'back').to.equal(true);

    expect(await waitFor(() => endUser.peer(bobId) === undefined, 5_000), 'dropped').to.equal(true);
    expect(endUser.peers().map((peer) => peer.participantId)).to.deep.equal([`t-${alice.id}`]);
    expect(await waitFor(() => endUser.state === 'active', 5_000), 'active again').to.equal(true);
    expect(allowed(), 'his grant went with him').to.equal(false);
    const delivered = await Promise.race([
      chat.send('still there?').delivered.then(() => 'delivered'),
      new Promise((resolve) => setTimeout(() => resolve('waiting'), 5_000)),
    ]);
    expect(delivered).to.equal('delivered');
  });
});

function tokenOf(member: SignedInMember): string {
  return member.headers.authorization!.replace('Bearer ', '');
}
