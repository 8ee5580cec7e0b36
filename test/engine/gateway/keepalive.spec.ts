import { expect } from 'chai';
import { endUserAuth, startGatewayHarness, type GatewayHarness } from './gateway-harness.js';

const SESSION = 'keepalive-session-1';

describe('gateway keepalive', () => {
  let harness: GatewayHarness;

  beforeEach(async () => {
    harness = await startGatewayHarness({ pingSeconds: 0.2 });
    harness.port.addSession(SESSION);
    harness.port.addEndUser(SESSION, 'eu-1', 'secret');
  });

  afterEach(() => harness.stop());

  it('pings within the interval and records each pong as seen', async () => {
    const client = await harness.connect();
    client.send(endUserAuth(SESSION, 'eu-1', 'secret'));
    await client.next('ready');
    const started = Date.now();
    while (client.pings < 3 && Date.now() - started < 2_000) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(client.pings).to.be.at.least(3);
    expect(Date.now() - started).to.be.below(1_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(harness.port.count('seen', 'eu-1')).to.be.at.least(2);
    expect(client.ws.readyState).to.equal(client.ws.OPEN);
  });

  it('terminates a connection that does not answer a ping before the next one', async () => {
    const silent = await harness.connect({ autoPong: false });
    silent.send(endUserAuth(SESSION, 'eu-1', 'secret'));
    await silent.next('ready');
    const started = Date.now();
    const closed = await silent.closedWithin(2_000);
    expect(closed.code).to.equal(1006);
    expect(Date.now() - started).to.be.below(700);
    expect(silent.pings).to.be.at.least(1);
    expect(harness.port.count('seen')).to.equal(0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(harness.port.count('disconnected', 'eu-1')).to.equal(1);
  });
});
