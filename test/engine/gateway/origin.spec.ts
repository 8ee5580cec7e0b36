import { expect } from 'chai';
import { UpgradeRefused } from './gateway-client.js';
import { endUserAuth, startGatewayHarness, type GatewayHarness } from './gateway-harness.js';

const SESSION = 'origin-session-1';
const ALLOWED = 'https://console.example.test';

async function refusal(opening: Promise<unknown>): Promise<number> {
  try {
    await opening;
  } catch (error) {
    if (error instanceof UpgradeRefused) return error.status;
    throw error;
  }
  throw new Error('the upgrade was accepted');
}

describe('gateway upgrade checks', () => {
  let harness: GatewayHarness;

  beforeEach(async () => {
    harness = await startGatewayHarness({ authTimeoutMs: 300 });
    harness.port.addSession(SESSION);
    harness.port.addEndUser(SESSION, 'eu-1', 'secret');
  });

  afterEach(() => harness.stop());

  it('refuses a page of a foreign origin with 403 before any WebSocket exists', async () => {
    const origin = 'https://evil.example.test';
    expect(await refusal(harness.connect({ origin }))).to.equal(403);
    expect(await refusal(harness.connect({ origin: 'null' }))).to.equal(403);
    expect(harness.nodes[0]!.gateway.size).to.equal(0);
  });

  it('refuses the engine host on another port or scheme', async () => {
    const own = new URL(harness.nodes[0]!.origin);
    const otherPort = `https://127.0.0.1:${Number(own.port) + 1}`;
    expect(await refusal(harness.connect({ origin: otherPort }))).to.equal(403);
    expect(await refusal(harness.connect({ origin: `http://127.0.0.1:${own.port}` }))).to.equal(
      403,
    );
  });

  it('lets in a page of its own origin and a program that sends no Origin', async () => {
    for (const origin of [harness.nodes[0]!.origin, undefined]) {
      const client = await harness.connect(origin ? { origin } : {});
      client.send(endUserAuth(SESSION, 'eu-1', 'secret'));
      expect((await client.next('ready')).participantId).to.equal('eu-1');
      client.close();
    }
  });

  it('lets in a configured origin, and only that one', async () => {
    await harness.stop();
    harness = await startGatewayHarness({ origins: [ALLOWED] });
    harness.port.addSession(SESSION);
    harness.port.addEndUser(SESSION, 'eu-1', 'secret');

    const client = await harness.connect({ origin: ALLOWED });
    client.send(endUserAuth(SESSION, 'eu-1', 'secret'));
    expect((await client.next('ready')).role).to.equal('end-user');
    const lookalike = `${ALLOWED}.evil.test`;
    expect(await refusal(harness.connect({ origin: lookalike }))).to.equal(403);
  });

  it('answers 404 to an upgrade on any other path', async () => {
    expect(await refusal(harness.connect({ path: '/gateway2' }))).to.equal(404);
    expect(await refusal(harness.connect({ path: '/api/v1/gateway' }))).to.equal(404);
  });

  it('never reads cookies: a connection with a sign-in cookie alone is not admitted', async () => {
    const headers = { cookie: 'tether_session=valid-looking-sign-in; tether_csrf=x' };
    const silent = await harness.connect({ headers });
    expect((await silent.closedWithin()).code).to.equal(4001);

    const acting = await harness.connect({ headers });
    acting.send({ t: 'end' });
    expect((await acting.closedWithin()).code).to.equal(4000);
    expect(harness.port.calls).to.deep.equal([]);
  });
});
