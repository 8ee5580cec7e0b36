import { expect } from 'chai';
import type { Socket } from 'node:net';
import { MAX_UNSENT_BYTES } from '../../../engine/gateway/gateway-protocol.js';
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

  it('drops frames beyond its unsent limit instead of growing, and counts them', async () => {
    const user = await harness.connect();
    user.send(endUserAuth(SESSION, 'eu-1', 'secret'));
    await user.next('ready');
    const tech = await harness.connect();
    tech.send(technicianAuth(SESSION, 'token'));
    await tech.next('ready');
    await user.next('peer');

    // The end user's program stops reading: what the gateway writes to it piles up.
    (user.ws as unknown as { _socket: Socket })._socket.pause();
    const frames = Math.ceil((3 * MAX_UNSENT_BYTES) / FRAME.length);
    for (let i = 0; i < frames; i++) tech.sendBinary(envelope('eu-1', FRAME));

    const dropped = async () =>
      (await harness.nodes[0]!.metrics.gatewayDroppedFrames.get()).values[0]?.value ?? 0;
    const deadline = Date.now() + 10_000;
    while ((await dropped()) === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await dropped()).to.be.greaterThan(0);
  });
});
