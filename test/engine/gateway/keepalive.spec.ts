import { expect } from 'chai';
import {
  endUserAuth,
  startGatewayHarness,
  technicianAuth,
  type GatewayHarness,
} from './gateway-harness.js';

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

describe('gateway keepalive with many connections', () => {
  let harness: GatewayHarness;

  beforeEach(async () => {
    harness = await startGatewayHarness({ pingSeconds: 1 });
  });

  afterEach(() => harness.stop());

  it('spreads the pings over the interval instead of pinging everyone at once', async () => {
    const clients = await Promise.all(Array.from({ length: 20 }, () => harness.connect()));
    const started = Date.now();
    const firstPings = await Promise.all(
      clients.map(
        (client) =>
          new Promise<number>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('no ping in time')), 3_000);
            client.ws.once('ping', () => (clearTimeout(timer), resolve(Date.now() - started)));
          }),
      ),
    );
    expect(Math.max(...firstPings), 'everyone is pinged within an interval').to.be.below(2_000);
    expect(new Set(firstPings.map((ms) => Math.floor(ms / 20))).size).to.be.at.least(5);
    expect(Math.max(...firstPings) - Math.min(...firstPings)).to.be.at.least(400);
  });
});

describe('gateway sign-in checks', () => {
  let harness: GatewayHarness;

  beforeEach(async () => {
    harness = await startGatewayHarness({ pingSeconds: 0.2, recheckMs: 300 });
    harness.port.addSession(SESSION);
    harness.port.addEndUser(SESSION, 'eu-1', 'secret');
    harness.port.addTechnician(SESSION, 'tech-1', 'token');
    harness.port.addWatcher('watch-token', ['group-1']);
  });

  afterEach(() => harness.stop());

  it('closes a technician 4003 once its sign-in no longer holds, not the end user', async () => {
    const user = await harness.connect();
    user.send(endUserAuth(SESSION, 'eu-1', 'secret'));
    await user.next('ready');
    const tech = await harness.connect();
    tech.send(technicianAuth(SESSION, 'token'));
    await tech.next('ready');
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(tech.ws.readyState, 'a valid sign-in stays').to.equal(tech.ws.OPEN);

    harness.port.revoke('token');
    expect((await tech.closedWithin(3_000)).code).to.equal(4003);
    expect(user.ws.readyState).to.equal(user.ws.OPEN);
  });

  it('closes a queue watcher 4003 once its sign-in no longer holds', async () => {
    const watcher = await harness.connect();
    watcher.send({ t: 'watch', v: 1, token: 'watch-token' });
    await watcher.next('watching');
    harness.port.revoke('watch-token');
    expect((await watcher.closedWithin(3_000)).code).to.equal(4003);
  });
});
