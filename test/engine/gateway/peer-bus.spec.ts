import { expect } from 'chai';
import type { BusMessage } from '../../../engine/contracts/bus-contract.js';
import type { JsonValue } from '../../../engine/contracts/json-value.js';
import type { ParticipantCertificate } from '../../../sdk/crypto/participant-certificate.js';
import {
  endUserAuth,
  newBoxKey,
  startGatewayHarness,
  type GatewayHarness,
} from './gateway-harness.js';

const SESSION = 'bus-session-1';
const PEERS = `session:${SESSION}:peers`;
const TO_USER = `session:${SESSION}:to:eu-1`;

/**
 * What another gateway node says on the bus, played by the test: it checks that a connection
 * learns each peer connection once however the news reaches it, and ignores stale news.
 */
describe('gateway peers over the bus', () => {
  let harness: GatewayHarness;
  let seen: Record<string, unknown>[];

  beforeEach(async () => {
    harness = await startGatewayHarness();
    harness.port.addSession(SESSION);
    harness.port.addEndUser(SESSION, 'eu-1', 'secret');
    seen = [];
    await harness.bus.subscribe(PEERS, (message) => {
      seen.push(message as Record<string, unknown>);
    });
  });

  afterEach(() => harness.stop());

  function certificateOf(participantId: string): ParticipantCertificate {
    return harness.signingKey.issue({
      v: 1,
      sessionId: SESSION,
      participantId,
      role: 'technician',
      boxKey: newBoxKey(),
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
      permissions: [],
      policy: {},
    });
  }

  const json = (value: unknown) => value as JsonValue as BusMessage;
  const announce = (
    id: string,
    nonce: string,
    certificate: ParticipantCertificate,
    connection: unknown = 1,
  ) =>
    harness.bus.publish(
      PEERS,
      json({ t: 'announce', participantId: id, nonce, connection, certificate }),
    );
  const present = (
    to: string,
    id: string,
    peerNonce: string,
    certificate: ParticipantCertificate,
  ) =>
    harness.bus.publish(
      TO_USER,
      json({ t: 'present', nonce: to, participantId: id, peerNonce, certificate }),
    );

  async function whoNonce(): Promise<string> {
    for (let i = 0; i < 100; i++) {
      const who = seen.find((message) => message.t === 'who');
      if (who) return who.nonce as string;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    throw new Error('no who on the bus');
  }

  it('learns a peer once when both its announce and its present reach a joiner', async () => {
    const client = await harness.connect();
    client.send(endUserAuth(SESSION, 'eu-1', 'secret'));
    const nonce = await whoNonce();
    const certificate = certificateOf('tech-9');
    await announce('tech-9', 'n-1', certificate);
    await present(nonce, 'tech-9', 'n-1', certificate);

    const ready = await client.next('ready');
    expect(ready.peers).to.deep.equal([certificate]);
    await present(nonce, 'tech-9', 'n-1', certificate);
    await announce('tech-9', 'n-1', certificate);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(client.texts('peer')).to.have.length(0);
  });

  it('learns a reconnect, and ignores the departure of the connection it replaced', async () => {
    const client = await harness.connect();
    client.send(endUserAuth(SESSION, 'eu-1', 'secret'));
    await client.next('ready');
    const first = certificateOf('tech-9');
    const second = certificateOf('tech-9');
    await announce('tech-9', 'n-1', first);
    expect((await client.next('peer')).certificate).to.deep.equal(first);
    await announce('tech-9', 'n-2', second);
    expect((await client.next('peer')).certificate).to.deep.equal(second);

    await harness.bus.publish(PEERS, {
      t: 'left',
      participantId: 'tech-9',
      nonce: 'n-1',
      gone: false,
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(client.texts('peer-left')).to.have.length(0);
    await harness.bus.publish(PEERS, {
      t: 'left',
      participantId: 'tech-9',
      nonce: 'n-2',
      gone: true,
    });
    expect(await client.next('peer-left')).to.deep.equal({
      t: 'peer-left',
      participantId: 'tech-9',
      gone: true,
    });
  });

  it('answers a who with its certificate, and announces itself once ready', async () => {
    const client = await harness.connect();
    client.send(endUserAuth(SESSION, 'eu-1', 'secret'));
    const ready = await client.next('ready');
    const answers: BusMessage[] = [];
    await harness.bus.subscribe(`session:${SESSION}:to:tech-9`, (message) => {
      answers.push(message);
    });
    await harness.bus.publish(PEERS, { t: 'who', participantId: 'tech-9', nonce: 'asker' });
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(answers).to.deep.equal([
      {
        t: 'present',
        nonce: 'asker',
        participantId: 'eu-1',
        peerNonce: (seen.find((message) => message.t === 'announce') as { nonce: string }).nonce,
        certificate: ready.certificate,
      },
    ]);
    expect(seen.filter((message) => message.t === 'announce')).to.have.length(1);
  });

  it('ignores malformed peer and control messages and keeps the connection', async () => {
    const client = await harness.connect();
    client.send(endUserAuth(SESSION, 'eu-1', 'secret'));
    await client.next('ready');
    await harness.bus.publish(PEERS, { t: 'announce', participantId: 'x' });
    await harness.bus.publish(PEERS, new Uint8Array([1, 2, 3]));
    await harness.bus.publish(`session:${SESSION}:control`, { t: 'explode' });
    await harness.bus.publish(TO_USER, { t: 'present' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(client.ws.readyState).to.equal(client.ws.OPEN);
    expect(client.texts('peer')).to.have.length(0);
  });

  it('closes as replaced only for a connection the storage numbered after its own', async () => {
    const client = await harness.connect();
    client.send(endUserAuth(SESSION, 'eu-1', 'secret'));
    const ours = await harness.port.lastAdmission('eu-1');
    await client.next('ready');
    const elsewhere = certificateOf('eu-1');
    // Numbers from before ours (a stale announce), ours again, and malformed ones change nothing.
    for (const connection of [ours - 1, ours, ours + 0.5, `${ours + 1}`, undefined]) {
      await announce('eu-1', `other-${String(connection)}`, elsewhere, connection);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(client.ws.readyState).to.equal(client.ws.OPEN);
    await announce('eu-1', 'newer', elsewhere, ours + 1);
    expect(await client.closedWithin()).to.deep.equal({ code: 4010, reason: 'replaced' });
  });
});
