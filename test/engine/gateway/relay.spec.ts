import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { GatewayClient } from './gateway-client.js';
import {
  endUserAuth,
  envelope,
  startGatewayHarness,
  technicianAuth,
  type GatewayHarness,
} from './gateway-harness.js';

const SESSION = 'relay-session-1';
const MAX = 4096 + 256;

describe('gateway relay', () => {
  let harness: GatewayHarness;

  beforeEach(async () => {
    harness = await startGatewayHarness({ nodes: 2, maxFrameBytes: MAX });
    harness.port.addSession(SESSION);
    harness.port.addEndUser(SESSION, 'eu-1', 'secret');
    harness.port.addTechnician(SESSION, 'tech-1', 'token');
  });

  afterEach(() => harness.stop());

  async function pair(techNode = 0): Promise<{ user: GatewayClient; tech: GatewayClient }> {
    const user = await harness.connect();
    user.send(endUserAuth(SESSION, 'eu-1', 'secret'));
    await user.next('ready');
    const tech = await harness.connect({ node: techNode });
    tech.send(technicianAuth(SESSION, 'token'));
    await tech.next('ready');
    await user.next('peer');
    return { user, tech };
  }

  /** The frame as delivered: `0x01 ‖ len ‖ from ‖ frame`. */
  function delivered(from: string, frame: Buffer): Buffer {
    return Buffer.concat([Buffer.from([1, from.length]), Buffer.from(from), frame]);
  }

  for (const [name, techNode] of [
    ['on one node', 0],
    ['across two nodes', 1],
  ] as const) {
    it(`relays both ways byte for byte and counts the bytes, ${name}`, async () => {
      const { user, tech } = await pair(techNode);
      const toUser = [randomBytes(1), randomBytes(1000), randomBytes(4000)];
      const toTech = [randomBytes(3000), randomBytes(17)];
      for (const frame of toUser) tech.sendBinary(envelope('eu-1', frame));
      for (const frame of toTech) user.sendBinary(envelope('tech-1', frame));

      for (const frame of toUser)
        expect(await user.nextBinary()).to.deep.equal(delivered('tech-1', frame));
      for (const frame of toTech)
        expect(await tech.nextBinary()).to.deep.equal(delivered('eu-1', frame));
      expect(harness.port.bytes.get('tech-1')).to.equal(5001);
      expect(harness.port.bytes.get('eu-1')).to.equal(3017);
      const relayed = async (node: number) =>
        (await harness.nodes[node]!.metrics.gatewayRelayedBytes.get()).values[0]?.value ?? 0;
      expect((await relayed(0)) + (await relayed(1))).to.equal(8018);
    });
  }

  it('counts open connections by kind and closes by code', async () => {
    const metrics = harness.nodes[0]!.metrics;
    const kinds = async () =>
      Object.fromEntries(
        (await metrics.gatewayConnections.get()).values.map((v) => [v.labels.kind, v.value]),
      );
    const pending = await harness.connect();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await kinds()).to.deep.include({ pending: 1 });
    const { user, tech } = await pair();
    expect(await kinds()).to.deep.include({ pending: 1, 'end-user': 1, technician: 1 });
    for (const client of [pending, user, tech]) client.close();
    for (const client of [pending, user, tech]) await client.closed;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await kinds()).to.deep.include({ pending: 0, 'end-user': 0, technician: 0 });
    const closes = (await metrics.gatewayCloses.get()).values;
    expect(closes.find((value) => value.labels.code === '1006')?.value).to.equal(3);
  });

  it('drops a frame for a participant connected nowhere, and keeps the sender', async () => {
    const { user, tech } = await pair();
    harness.port.addEndUser(SESSION, 'eu-2', 'secret 2');
    tech.sendBinary(envelope('eu-2', randomBytes(10)));
    tech.sendBinary(envelope('eu-1', Buffer.from('after')));

    expect(await user.nextBinary()).to.deep.equal(delivered('tech-1', Buffer.from('after')));
    expect(tech.ws.readyState).to.equal(tech.ws.OPEN);
    const late = await harness.connect();
    late.send(endUserAuth(SESSION, 'eu-2', 'secret 2'));
    await late.next('ready');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(late.received.filter((item) => item.kind === 'binary')).to.have.length(0);
  });

  describe('closes 4000 for a malformed envelope without touching the other connection', () => {
    const frame = Buffer.from('frame');
    const cases: Record<string, Buffer> = {
      'another version': Buffer.concat([Buffer.from([2, 4]), Buffer.from('eu-1'), frame]),
      'a length of 0': Buffer.concat([Buffer.from([1, 0]), frame]),
      'a length past the end': Buffer.concat([Buffer.from([1, 200]), Buffer.from('eu-1')]),
      'no frame after the id': Buffer.concat([Buffer.from([1, 4]), Buffer.from('eu-1')]),
      'an id with a space': Buffer.concat([Buffer.from([1, 4]), Buffer.from('eu 1'), frame]),
      'an id with a byte over 127': Buffer.concat([Buffer.from([1, 2, 0xc3, 0xa9]), frame]),
      'the sender itself': envelope('tech-1', frame),
      'a single byte': Buffer.from([1]),
    };
    for (const [name, bytes] of Object.entries(cases)) {
      it(name, async () => {
        const { user, tech } = await pair();
        tech.sendBinary(bytes);
        expect((await tech.closedWithin()).code).to.equal(4000);

        const other = await harness.connect();
        harness.port.addTechnician(SESSION, 'tech-2', 'token 2');
        other.send(technicianAuth(SESSION, 'token 2'));
        await other.next('ready');
        other.sendBinary(envelope('eu-1', frame));
        expect(await user.nextBinary()).to.deep.equal(delivered('tech-2', frame));
        expect(user.ws.readyState).to.equal(user.ws.OPEN);
      });
    }
  });

  it('closes 1009 for a message over gatewayMaxFrameBytes, and the others go on', async () => {
    const { user, tech } = await pair();
    tech.sendBinary(envelope('eu-1', randomBytes(MAX)));
    expect((await tech.closedWithin()).code).to.equal(1009);

    const just = randomBytes(MAX - 2 - 6);
    user.sendBinary(envelope('tech-1', Buffer.alloc(1)));
    const again = await harness.connect();
    again.send(technicianAuth(SESSION, 'token'));
    await again.next('ready');
    again.sendBinary(envelope('eu-1', just));
    expect(await user.nextBinary()).to.deep.equal(delivered('tech-1', just));
    const closes = await harness.nodes[0]!.metrics.gatewayCloses.get();
    expect(closes.values.find((value) => value.labels.code === '1009')?.value).to.equal(1);
  });
});
