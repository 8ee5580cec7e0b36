import { expect } from 'chai';
import type { Socket } from 'node:net';
import {
  MAX_SENDER_HOLD_MS,
  MAX_UNSENT_BYTES,
  RELAY_HIGH_WATER_BYTES,
} from '../../../engine/gateway/gateway-protocol.js';
import type { GatewayClient } from './gateway-client.js';
import {
  endUserAuth,
  envelope,
  startGatewayHarness,
  technicianAuth,
  type GatewayHarness,
} from './gateway-harness.js';

const SESSION = 'slow-reader-session';
const FRAME = Buffer.alloc(1024 * 1024, 7);

describe('gateway with a recipient that does not read', () => {
  let harness: GatewayHarness;

  beforeEach(async () => {
    harness = await startGatewayHarness({ nodes: 1 });
    harness.port.addSession(SESSION);
    harness.port.addEndUser(SESSION, 'eu-1', 'secret');
    harness.port.addTechnician(SESSION, 'tech-1', 'token');
  });

  afterEach(() => harness.stop());

  async function joinedPair(): Promise<{ user: GatewayClient; tech: GatewayClient }> {
    const user = await harness.connect();
    user.send(endUserAuth(SESSION, 'eu-1', 'secret'));
    await user.next('ready');
    const tech = await harness.connect();
    tech.send(technicianAuth(SESSION, 'token'));
    await tech.next('ready');
    await user.next('peer');
    return { user, tech };
  }

  const counter = async (name: 'gatewayDroppedFrames' | 'gatewaySenderHolds') =>
    (await harness.nodes[0]!.metrics[name].get()).values[0]?.value ?? 0;

  it('stops reading the sender while a recipient catches up, and loses nothing', async () => {
    const { user, tech } = await joinedPair();
    const socket = (user.ws as unknown as { _socket: Socket })._socket;
    socket.pause();
    // Well past the high-water mark, well under the drop limit.
    const frames = Math.ceil((4 * RELAY_HIGH_WATER_BYTES) / FRAME.length) + 4;
    for (let i = 0; i < frames; i++) {
      tech.sendBinary(envelope('eu-1', Buffer.alloc(FRAME.length, i)));
    }
    const deadline = Date.now() + 5_000;
    while ((await counter('gatewaySenderHolds')) === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await counter('gatewaySenderHolds'), 'the sender was held').to.be.greaterThan(0);

    // The recipient reads again within the hold: every frame arrives, in order, none dropped.
    setTimeout(() => socket.resume(), MAX_SENDER_HOLD_MS / 4);
    for (let i = 0; i < frames; i++) {
      const frame = await user.nextBinary(10_000);
      expect(frame.at(-1), `frame ${i}`).to.equal(i % 256);
    }
    expect(await counter('gatewayDroppedFrames')).to.equal(0);
  });

  it('drops frames beyond its unsent limit instead of growing, and counts them', async () => {
    const { user, tech } = await joinedPair();

    // The end user's program stops reading. A held sender is read on after the longest hold,
    // and what the gateway writes to the end user piles up.
    (user.ws as unknown as { _socket: Socket })._socket.pause();
    const frames = Math.ceil((3 * MAX_UNSENT_BYTES) / FRAME.length);
    for (let i = 0; i < frames; i++) tech.sendBinary(envelope('eu-1', FRAME));

    const deadline = Date.now() + 10_000;
    while ((await counter('gatewayDroppedFrames')) === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await counter('gatewayDroppedFrames')).to.be.greaterThan(0);
  });
});
