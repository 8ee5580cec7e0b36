import { createHash, randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { ENGINE_RECORDS } from '../../../engine/contracts/plugin-contract.js';
import { Storage, type TenantId } from '../../../engine/contracts/storage-contract.js';
import { isTetherError } from '../../../engine/errors.js';
import type {
  AdmissionRequest,
  SessionGatewayPort,
} from '../../../engine/sessions/session-port.js';
import { GatewayClient } from '../gateway/gateway-client.js';
import { nodeAsyncCryptoBackend } from '../../../sdk/crypto/index.js';
import { SessionClient } from '../../../sdk/session/index.js';
import { nodeWebSocketFactory } from '../../../sdk/session/node-web-socket.js';
import type { WebSocketLike } from '../../../sdk/session/web-socket-like.js';
import { waitFor } from '../../support/identity-helpers.js';
import { ADMIN_PASSWORD, addMember, expectError } from '../../support/identity-helpers.js';
import { PasswordHasher } from '../../../engine/identity/password-hasher.js';
import { createSession, startSessionWorld, type SessionWorld } from './session-fixtures.js';

/** A browser's sign-in as the page holds it: the HttpOnly cookie and the CSRF token. */
interface BrowserSignIn {
  readonly cookie: string;
  readonly csrf: string;
}

interface TicketBody {
  readonly ticket: string;
  readonly expiresAt: string;
  readonly gatewayUrl: string;
  readonly engineKey: string;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('gateway tickets for browser sign-ins', function () {
  this.timeout(60_000);
  let world: SessionWorld;
  let port: SessionGatewayPort;
  let outsider: BrowserSignIn;

  async function browserSignIn(tenant: string, email: string): Promise<BrowserSignIn> {
    const answer = await world.engine.request('/api/v1/auth/login', {
      method: 'POST',
      body: { tenant, email, password: ADMIN_PASSWORD, client: 'browser' },
    });
    expect(answer.status, answer.text).to.equal(200);
    const cookies = answer.headers['set-cookie'] as string[];
    const cookie = cookies.find((line) => line.startsWith('tether_session='))!.split(';')[0]!;
    return { cookie, csrf: (answer.json as { csrfToken: string }).csrfToken };
  }

  const aliceInBrowser = () => browserSignIn(world.engine.firstStart!.tenant, 'alice@a.test');

  const askTicket = (signIn: BrowserSignIn, csrf: string | undefined = signIn.csrf) =>
    world.engine.request('/api/v1/gateway/tickets', {
      method: 'POST',
      headers: { cookie: signIn.cookie, ...(csrf ? { 'x-csrf-token': csrf } : {}) },
    });

  async function ticketOf(signIn: BrowserSignIn): Promise<string> {
    const answer = await askTicket(signIn);
    expect(answer.status, answer.text).to.equal(201);
    return (answer.json as TicketBody).ticket;
  }

  const admitWith = (sessionId: string, token: string): AdmissionRequest => ({
    sessionId,
    boxKey: randomBytes(32).toString('base64'),
    credentials: { kind: 'technician', token },
    clientIp: '127.0.0.1',
  });

  async function expectRefused(attempt: Promise<unknown>): Promise<void> {
    const outcome = await attempt.then(
      () => 'admitted',
      (error: unknown) => (isTetherError(error) ? error.code : String(error)),
    );
    expect(outcome).to.equal('TETHER_E_NOT_ADMITTED');
  }

  async function signOut(signIn: BrowserSignIn): Promise<void> {
    const answer = await world.engine.request('/api/v1/auth/logout', {
      method: 'POST',
      headers: { cookie: signIn.cookie, 'x-csrf-token': signIn.csrf },
    });
    expect(answer.status, answer.text).to.equal(204);
  }

  before(async () => {
    world = await startSessionWorld();
    port = world.engine.engine.sessionGatewayPort();
    const storage = world.engine.engine.root.get<Storage>(Storage);
    const tenant = await storage.tenants.create('Ticket outsiders');
    const members = storage.forTenant(tenant.id).members;
    const made = await members.create({
      email: 'eve@b.test',
      displayName: 'Eve',
      role: 'technician',
    });
    const passwordHash = await new PasswordHasher().hash(ADMIN_PASSWORD);
    await members.updateCredentials(made.id, { passwordHash, passwordChangedAt: new Date() });
    outsider = await browserSignIn('Ticket outsiders', 'eve@b.test');
  });
  after(() => world?.engine.stop());

  it('issues a short-lived ticket to a cookie sign-in with CSRF, storing a hash', async () => {
    const signIn = await aliceInBrowser();
    expectError(await askTicket(signIn, ''), 403, 'TETHER_E_CSRF');
    expectError(await askTicket(signIn, 'wrong'), 403, 'TETHER_E_CSRF');
    const noCookie = await world.engine.request('/api/v1/gateway/tickets', { method: 'POST' });
    expectError(noCookie, 401, 'TETHER_E_UNAUTHORIZED');

    const answer = await askTicket(signIn);
    expect(answer.status, answer.text).to.equal(201);
    const body = answer.json as TicketBody;
    expect(body.ticket).to.match(/^tgt\.[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
    const lifetime = Date.parse(body.expiresAt) - world.clock.nowMs();
    expect(lifetime).to.be.within(1_000, 60_000);
    expect(body.gatewayUrl).to.match(/^wss:\/\/127\.0\.0\.1:\d+\/gateway$/);

    const tenantId = world.engine.firstStart!.tenantId as TenantId;
    const records = world.engine.engine.root
      .get<Storage>(Storage)
      .forTenant(tenantId)
      .pluginRecords(ENGINE_RECORDS);
    const stored = await records.get('gateway-ticket', sha256(body.ticket));
    expect(stored, 'found by its hash').to.not.equal(undefined);
    const everything = JSON.stringify((await records.list('gateway-ticket')).items);
    expect(everything).not.to.contain(body.ticket.split('.')[2]);
  });

  it('admits the sign-in behind a ticket once; a reuse is refused', async () => {
    const signIn = await aliceInBrowser();
    const made = await createSession(world, world.alice);
    const ticket = await ticketOf(signIn);
    const admission = await port.admit(admitWith(made.sessionId, ticket));
    expect(admission).to.include({ role: 'technician', memberId: world.alice.id });
    expect(admission.signInId).to.be.a('string');
    await expectRefused(port.admit(admitWith(made.sessionId, ticket)));

    const again = await port.recheckAdmission(admission, '127.0.0.1');
    expect(again.participantId).to.equal(admission.participantId);
  });

  it('lets exactly one of two admissions at once use a ticket', async () => {
    const signIn = await aliceInBrowser();
    const made = await createSession(world, world.alice);
    for (let round = 0; round < 5; round++) {
      const ticket = await ticketOf(signIn);
      const outcomes = await Promise.allSettled([
        port.admit(admitWith(made.sessionId, ticket)),
        port.admit(admitWith(made.sessionId, ticket)),
      ]);
      expect(
        outcomes.filter((o) => o.status === 'fulfilled'),
        `round ${round}`,
      ).to.have.length(1);
    }
  });

  it('refuses a ticket past its 30 seconds', async () => {
    const signIn = await aliceInBrowser();
    const made = await createSession(world, world.alice);
    const ticket = await ticketOf(signIn);
    world.clock.advance(31_000);
    await expectRefused(port.admit(admitWith(made.sessionId, ticket)));
  });

  it('refuses a ticket whose sign-in ended; the next check drops the connection', async () => {
    const made = await createSession(world, world.alice);
    const before = await aliceInBrowser();
    const unused = await ticketOf(before);
    const admission = await port.admit(admitWith(made.sessionId, await ticketOf(before)));
    const watch = await port.watchQueues(await ticketOf(before), '127.0.0.1');
    await signOut(before);
    await expectRefused(port.admit(admitWith(made.sessionId, unused)));
    await expectRefused(port.recheckAdmission(admission, '127.0.0.1'));
    await expectRefused(port.recheckWatch(watch, '127.0.0.1'));
  });

  it('refuses a ticket of another tenant, and one whose tenant part was changed', async () => {
    const made = await createSession(world, world.alice);
    const foreign = await ticketOf(outsider);
    await expectRefused(port.admit(admitWith(made.sessionId, foreign)));
    const [, , secret] = foreign.split('.');
    const moved = `tgt.${world.engine.firstStart!.tenantId}.${secret}`;
    await expectRefused(port.admit(admitWith(made.sessionId, moved)));
    await expectRefused(port.watchQueues(moved, '127.0.0.1'));
  });

  it('is no credential on the API: not as a bearer token, not as the cookie', async () => {
    const ticket = await ticketOf(await aliceInBrowser());
    const asBearer = await world.engine.request('/api/v1/auth/session', {
      headers: { authorization: `Bearer ${ticket}` },
    });
    expectError(asBearer, 401, 'TETHER_E_UNAUTHORIZED');
    const asCookie = await world.engine.request('/api/v1/queue', {
      headers: { cookie: `tether_session=${ticket}` },
    });
    expectError(asCookie, 401, 'TETHER_E_UNAUTHORIZED');
    const made = await createSession(world, world.alice);
    const stillGood = await port.admit(admitWith(made.sessionId, ticket));
    expect(stillGood.memberId, 'the API tries used nothing up').to.equal(world.alice.id);
  });

  it('gives no ticket to an API key', async () => {
    const made = await world.engine.request('/api/v1/api-keys', {
      method: 'POST',
      headers: world.master,
      body: { name: 'integration', scopes: ['members:read'], expiresInDays: 1 },
    });
    expect(made.status, made.text).to.equal(201);
    const authorization = `Bearer ${(made.json as { key: string }).key}`;
    const asked = await world.engine.request('/api/v1/gateway/tickets', {
      method: 'POST',
      headers: { authorization },
    });
    expectError(asked, 403, 'TETHER_E_FORBIDDEN');
  });

  it('does not admit a technician who is not in the session, ticket or not', async () => {
    await addMember(world.engine, 'bob.browser@a.test', ADMIN_PASSWORD, 'technician');
    const bobInBrowser = await browserSignIn(world.engine.firstStart!.tenant, 'bob.browser@a.test');
    const made = await createSession(world, world.alice);
    await expectRefused(port.admit(admitWith(made.sessionId, await ticketOf(bobInBrowser))));
  });

  it('opens the real gateway once per ticket; a second connection closes with 4003', async () => {
    const signIn = await aliceInBrowser();
    const made = await createSession(world, world.alice);
    const answer = await askTicket(signIn);
    const { ticket, gatewayUrl } = answer.json as TicketBody;
    const auth = admitWith(made.sessionId, ticket);
    const message = { t: 'auth', v: 1, sessionId: auth.sessionId, boxKey: auth.boxKey };
    const first = await GatewayClient.open(gatewayUrl, { ca: world.engine.cert });
    first.send({ ...message, credentials: auth.credentials });
    expect((await first.next('ready')).role).to.equal('technician');

    const second = await GatewayClient.open(gatewayUrl, { ca: world.engine.cert });
    second.send({ ...message, credentials: auth.credentials });
    expect((await second.closedWithin()).code).to.equal(4003);
    first.close();
    await first.closedWithin();
  });

  it('lets a session client reconnect on a fresh ticket each time (renewCredentials)', async () => {
    const signIn = await aliceInBrowser();
    const made = await createSession(world, world.alice);
    const first = (await askTicket(signIn)).json as TicketBody;
    const sockets: WebSocketLike[] = [];
    const open = nodeWebSocketFactory({ ca: world.engine.cert });
    let renewed = 0;
    const client = new SessionClient({
      url: first.gatewayUrl,
      engineKey: first.engineKey,
      sessionId: made.sessionId,
      credentials: { kind: 'technician', token: first.ticket },
      renewCredentials: async () => {
        renewed++;
        return { kind: 'technician', token: await ticketOf(signIn) };
      },
      webSocket: (url) => {
        const socket = open(url);
        sockets.push(socket);
        return socket;
      },
      backend: nodeAsyncCryptoBackend,
      reconnect: { initialDelayMs: 20, maxDelayMs: 100, maxAttempts: 5 },
    });
    let readies = 0;
    client.on('ready', () => readies++);
    await client.connect();
    (sockets[0] as unknown as { terminate(): void }).terminate();
    expect(await waitFor(() => readies === 2, 10_000), 'ready again').to.equal(true);
    expect(renewed).to.equal(1);
    expect(client.closed).to.equal(undefined);
    client.close();
  });
});
