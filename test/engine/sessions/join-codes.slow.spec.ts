import { expect } from 'chai';
import { Storage } from '../../../engine/contracts/storage-contract.js';
import { fromBase64 } from '../../../sdk/crypto/bytes.js';
import { verifyAppletTicket } from '../../../sdk/session/applet-ticket.js';
import { END_USER_ID_PATTERN } from '../../../engine/sessions/session-secrets.js';
import { expectError } from '../../support/identity-helpers.js';
import {
  createSession,
  join,
  otherCode,
  startSessionWorld,
  type JoinedBody,
  type SessionWorld,
} from './session-fixtures.js';

describe('join codes', function () {
  this.timeout(60_000);
  let world: SessionWorld;
  // Each test comes from an address of its own, so the per-address limit of one does not
  // spill into another; the engine believes X-Forwarded-For from its trusted proxy 127.0.0.1.
  let address = 0;
  const from = () => ({ 'x-forwarded-for': `198.51.100.${(address += 1)}` });
  const joinFrom = (headers: Record<string, string>, code: string) =>
    world.engine.request('/api/v1/sessions/join', { method: 'POST', headers, body: { code } });

  beforeEach(async () => {
    world = await startSessionWorld({ trustedProxies: ['127.0.0.1'] });
  });
  afterEach(() => world?.engine.stop());

  it('lets one end user in per code, with credentials for the gateway', async () => {
    const made = await createSession(world, world.alice);
    const first = await join(world, made.joinCode, 'Dana');
    expect(first.status, first.text).to.equal(200);
    const body = first.json as JoinedBody;
    expect(body.sessionId).to.equal(made.sessionId);
    expect(body.participantId).to.match(END_USER_ID_PATTERN);
    expect(Buffer.from(body.secret, 'base64url')).to.have.length(32);
    expect(body.engineKey).to.equal(world.engine.engine.sessionSigningKey().publicKey());
    expect(body.gatewayUrl).to.equal(`${world.engine.url.replace('https:', 'wss:')}/gateway`);
    const again = await join(world, made.joinCode);
    expectError(again, 404, 'TETHER_E_JOIN_CODE');
  });

  it('lets exactly one of several simultaneous joins with one code win', async () => {
    const made = await createSession(world, world.alice);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => joinFrom(from(), made.joinCode)),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).to.deep.equal([200, 404, 404, 404, 404, 404]);
  });

  it('answers the same 404 for a wrong, malformed, used and expired code', async () => {
    const used = await createSession(world, world.alice);
    await join(world, used.joinCode);
    const expiring = await createSession(world, world.alice);
    const wrong = await joinFrom(from(), otherCode(expiring.joinCode));
    const malformed = await joinFrom(from(), '12ab');
    const usedUp = await joinFrom(from(), used.joinCode);
    world.clock.advanceMinutes(21);
    const expired = await joinFrom(from(), expiring.joinCode);
    const bodies = [wrong, malformed, usedUp, expired].map((answer) => {
      expectError(answer, 404, 'TETHER_E_JOIN_CODE');
      return answer.text;
    });
    expect(new Set(bodies).size, bodies.join('\n')).to.equal(1);
  });

  it('refuses an address after ten wrong codes, even a right one, for the window', async () => {
    const made = await createSession(world, world.alice);
    const headers = from();
    const wrong = otherCode(made.joinCode);
    for (let i = 0; i < 10; i += 1) {
      expectError(await joinFrom(headers, wrong), 404, 'TETHER_E_JOIN_CODE');
    }
    expectError(await joinFrom(headers, made.joinCode), 429, 'TETHER_E_RATE_LIMITED');
    const elsewhere = await createSession(world, world.bob);
    expect((await joinFrom(from(), elsewhere.joinCode)).status).to.equal(200);
    world.clock.advanceMinutes(11);
    const later = await joinFrom(headers, made.joinCode);
    expect(later.status, later.text).to.equal(200);
  });

  it('refuses all but ten of many simultaneous wrong codes from one address', async () => {
    const made = await createSession(world, world.alice);
    const headers = from();
    const wrong = otherCode(made.joinCode);
    const answers = await Promise.all(Array.from({ length: 25 }, () => joinFrom(headers, wrong)));
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).to.deep.equal([...Array(10).fill(404), ...Array(15).fill(429)]);
    expectError(await joinFrom(headers, made.joinCode), 429, 'TETHER_E_RATE_LIMITED');
  });

  it('does not count right codes against the address', async () => {
    const headers = from();
    for (let i = 0; i < 12; i += 1) {
      const made = await createSession(world, world.alice);
      const answer = await joinFrom(headers, made.joinCode);
      expect(answer.status, answer.text).to.equal(200);
    }
  });

  it('serves a signed applet ticket as an attachment, verifiable against its own key', async () => {
    const made = await createSession(world, world.alice);
    const answer = await world.engine.request('/api/v1/sessions/join/applet', {
      method: 'POST',
      body: { code: made.joinCode },
    });
    expect(answer.status, answer.text).to.equal(200);
    expect(answer.headers['content-disposition']).to.equal(
      'attachment; filename="tether-session.json"',
    );
    const ticket = verifyAppletTicket(answer.json, world.clock.now());
    expect(ticket.sessionId).to.equal(made.sessionId);
    expect(ticket.server).to.equal(world.engine.url);
    expect(fromBase64(ticket.engineKey, 32)).to.not.equal(undefined);
    expect(ticket.engineKey).to.equal(world.engine.engine.sessionSigningKey().publicKey());
    const reuse = await world.engine.request('/api/v1/sessions/join/applet', {
      method: 'POST',
      body: { code: made.joinCode },
    });
    expectError(reuse, 404, 'TETHER_E_JOIN_CODE');
  });

  it('closes a session whose code expired unused, and sweeps ended limits', async function () {
    this.timeout(30_000);
    const made = await createSession(world, world.alice);
    expectError(await joinFrom(from(), otherCode(made.joinCode)), 404, 'TETHER_E_JOIN_CODE');
    world.clock.advanceMinutes(21);
    const deadline = Date.now() + 12_000;
    let state = '';
    while (Date.now() < deadline) {
      const answer = await world.engine.request(`/api/v1/sessions/${made.id}`, {
        headers: world.alice.headers,
      });
      state = (answer.json as { state: string; closeReason?: string }).state;
      if (state === 'closed') {
        expect(answer.json).to.include({ closeReason: 'code-expired' });
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(state).to.equal('closed');
    const storage = world.engine.engine.root.get<Storage>(Storage);
    expect(await storage.attemptWindows.sweep(world.clock.now()), 'swept already').to.equal(0);
  });
});
