import { expect } from 'chai';
import type { GatewayClient } from './gateway-client.js';
import {
  endUserAuth,
  startGatewayHarness,
  technicianAuth,
  type GatewayHarness,
} from './gateway-harness.js';

const SESSION = 'peer-session-1';

interface Certificate {
  readonly fields: { readonly participantId: string; readonly boxKey: string };
}

const idOf = (message: unknown) =>
  (message as { certificate: Certificate }).certificate.fields.participantId;
const idOfCertificate = (certificate: unknown) => (certificate as Certificate).fields.participantId;
const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

describe('gateway peers', () => {
  let harness: GatewayHarness;

  beforeEach(async () => {
    harness = await startGatewayHarness({ nodes: 2 });
    harness.port.addSession(SESSION);
    harness.port.addEndUser(SESSION, 'eu-1', 'secret');
    harness.port.addTechnician(SESSION, 'tech-1', 'token');
    harness.port.addTechnician(SESSION, 'tech-2', 'token 2');
  });

  afterEach(() => harness.stop());

  async function join(auth: Record<string, unknown>, node = 0) {
    const client = await harness.connect({ node });
    client.send(auth);
    const ready = await client.next('ready');
    return { client, ready, peers: (ready.peers as unknown[]).map(idOfCertificate) };
  }

  const user = (node = 0) => join(endUserAuth(SESSION, 'eu-1', 'secret'), node);
  const tech = (node = 0, boxKey?: string) => join(technicianAuth(SESSION, 'token', boxKey), node);

  /** Every certificate `client` learned, from ready.peers and from peer messages, by id. */
  function learned(client: GatewayClient, fromReady: string[]): string[] {
    return [...fromReady, ...client.texts('peer').map(idOf)].sort();
  }

  for (const [name, node] of [
    ['on one node', 0],
    ['across two nodes', 1],
  ] as const) {
    it(`tells a newcomer who is there and the others the newcomer, once, ${name}`, async () => {
      const first = await user();
      expect(first.peers).to.deep.equal([]);
      const second = await tech(node);
      expect(second.peers).to.deep.equal(['eu-1']);
      expect((second.ready.peers as unknown[])[0]).to.deep.equal(first.ready.certificate);

      const peer = await first.client.next('peer');
      expect(peer.certificate).to.deep.equal(second.ready.certificate);
      await settle();
      expect(first.client.texts('peer')).to.have.length(0);
      expect(second.client.texts('peer')).to.have.length(0);
    });
  }

  it('lets a third participant learn both, each exactly once', async () => {
    const a = await user();
    const b = await tech(1);
    const c = await join(technicianAuth(SESSION, 'token 2'), 0);
    expect(c.peers.sort()).to.deep.equal(['eu-1', 'tech-1']);
    await settle();
    expect(learned(a.client, a.peers)).to.deep.equal(['tech-1', 'tech-2']);
    expect(learned(b.client, b.peers)).to.deep.equal(['eu-1', 'tech-2']);
    expect(learned(c.client, [])).to.deep.equal([]);
  });

  it('has two participants joining at once learn each other exactly once', async () => {
    for (let round = 0; round < 3; round++) {
      const [a, b] = await Promise.all([user(round % 2), tech((round + 1) % 2)]);
      await settle();
      expect(learned(a.client, a.peers), `round ${round}`).to.deep.equal(['tech-1']);
      expect(learned(b.client, b.peers), `round ${round}`).to.deep.equal(['eu-1']);
      a.client.close();
      b.client.close();
      await settle();
    }
  });

  it('tells the others when a connection closes, then when it comes back', async () => {
    const first = await user();
    const second = await tech(1);
    await first.client.next('peer');
    second.client.close();

    expect(await first.client.next('peer-left')).to.deep.equal({
      t: 'peer-left',
      participantId: 'tech-1',
      gone: false,
    });
    expect(harness.port.count('disconnected', 'tech-1')).to.equal(1);
    const back = await tech(0);
    expect(back.peers).to.deep.equal(['eu-1']);
    const again = await first.client.next('peer');
    expect(again.certificate).to.deep.equal(back.ready.certificate);
  });

  for (const [name, node] of [
    ['on the same node', 0],
    ['on another node', 1],
  ] as const) {
    it(`closes the older connection 4010 when the participant connects again ${name}`, async () => {
      const first = await user();
      const old = await tech(0);
      await first.client.next('peer');
      const fresh = await tech(node);

      expect(await old.client.closedWithin()).to.deep.equal({ code: 4010, reason: 'replaced' });
      expect(fresh.peers).to.deep.equal(['eu-1']);
      expect((await first.client.next('peer')).certificate).to.deep.equal(fresh.ready.certificate);
      await settle();
      expect(first.client.texts('peer-left')).to.have.length(0);
      expect(fresh.client.ws.readyState).to.equal(fresh.client.ws.OPEN);
      expect(harness.port.count('disconnected', 'tech-1')).to.equal(0);
      expect(harness.port.count('connected', 'tech-1')).to.equal(2);
    });
  }

  it('forwards state changes and closes all 4100 when the session closes', async () => {
    const a = await user(0);
    expect((await a.client.next('state')).state).to.equal('active');
    const b = await tech(1);
    await harness.port.control(SESSION, { t: 'state', state: 'on-hold' });
    expect(await a.client.next('state')).to.deep.equal({ t: 'state', state: 'on-hold' });
    expect(await b.client.next('state')).to.deep.equal({ t: 'state', state: 'on-hold' });

    await harness.port.control(SESSION, { t: 'state', state: 'closed', reason: 'expired' });
    expect(await a.client.closedWithin()).to.deep.equal({ code: 4100, reason: 'expired' });
    expect(await b.client.closedWithin()).to.deep.equal({ code: 4100, reason: 'expired' });
    expect(harness.nodes[0]!.gateway.size + harness.nodes[1]!.gateway.size).to.equal(0);
  });

  it('sends the state the session has reached in ready', async () => {
    const a = await user(0);
    expect(a.ready.state).to.equal('waiting');
    expect((await a.client.next('state')).state).to.equal('active');
    const b = await tech(1);
    expect(b.ready.state).to.equal('active');
  });

  it('closes a removed participant 4011 and tells the others it is gone', async () => {
    const a = await user(0);
    const b = await tech(1);
    const c = await join(technicianAuth(SESSION, 'token 2'), 1);
    await harness.port.control(SESSION, { t: 'removed', participantId: 'tech-1' });

    expect(await b.client.closedWithin()).to.deep.equal({ code: 4011, reason: 'removed' });
    const gone = { t: 'peer-left', participantId: 'tech-1', gone: true };
    expect(await a.client.next('peer-left')).to.deep.equal(gone);
    expect(await c.client.next('peer-left')).to.deep.equal(gone);
    expect(c.client.ws.readyState).to.equal(c.client.ws.OPEN);
  });

  it('leaves the other sessions alone', async () => {
    harness.port.addSession('peer-session-2');
    harness.port.addEndUser('peer-session-2', 'eu-1', 'other secret');
    const a = await user(0);
    const other = await join(endUserAuth('peer-session-2', 'eu-1', 'other secret'), 0);
    await harness.port.control(SESSION, { t: 'state', state: 'closed', reason: 'done' });
    expect((await a.client.closedWithin()).code).to.equal(4100);
    await settle();
    expect(other.client.ws.readyState).to.equal(other.client.ws.OPEN);
    expect(other.client.texts('peer')).to.have.length(0);
  });
});
