import { expect } from 'chai';
import { startTestEngine, type TestEngine } from '../../../sdk/testing/test-engine.js';
import { GatewayClient, UpgradeRefused } from './gateway-client.js';

const PASSWORD = 'gateway wiring passphrase 31';
const CONSOLE = 'https://console.example.test';

describe('the engine gateway', function () {
  this.timeout(30_000);
  let engine: TestEngine;
  let cookie: string;

  before(async () => {
    engine = await startTestEngine({ settings: { gatewayOrigins: CONSOLE } });
    await engine.signInFirstAdmin(PASSWORD);
    const answer = await engine.request('/api/v1/auth/login', {
      method: 'POST',
      body: {
        tenant: engine.firstStart!.tenant,
        email: engine.firstStart!.email,
        password: PASSWORD,
        client: 'browser',
      },
    });
    const cookies = answer.headers['set-cookie'] as string[];
    cookie = cookies.find((line) => line.startsWith('tether_session='))!.split(';')[0]!;
    const reads = await engine.request('/api/v1/auth/session', { headers: { cookie } });
    expect(reads.status, 'the cookie is a valid sign-in').to.equal(200);
  });

  after(() => engine?.stop());

  const open = (path: string, headers: Record<string, string> = {}) =>
    GatewayClient.open(engine.url.replace('https:', 'wss:') + path, { ca: engine.cert, headers });

  async function status(opening: Promise<GatewayClient>): Promise<number> {
    const error = await opening.then(
      (client) => {
        client.close();
        return undefined;
      },
      (failure: unknown) => failure,
    );
    expect(error).to.be.instanceOf(UpgradeRefused);
    return (error as UpgradeRefused).status;
  }

  it('answers on /gateway of the TLS listener, and 404 on other upgrade paths', async () => {
    expect(await status(open('/health'))).to.equal(404);
    expect(await status(open('/gateway/x'))).to.equal(404);
    const client = await open('/gateway');
    expect(client.ws.readyState).to.equal(client.ws.OPEN);
    client.close();
  });

  it("takes the engine's own origin and gatewayOrigins, and refuses others with 403", async () => {
    const own = new URL(engine.url).origin;
    const localhost = own.replace('127.0.0.1', 'localhost');
    for (const origin of [own, localhost, CONSOLE]) {
      const client = await open('/gateway', { origin });
      client.close();
    }
    expect(await status(open('/gateway', { origin: 'https://elsewhere.test' }))).to.equal(403);
  });

  it('never authenticates by cookie: a sign-in cookie alone times out with 4001', async () => {
    const origin = new URL(engine.url).origin;
    const acting = await open('/gateway', { cookie, origin });
    acting.send({ t: 'end' });
    expect((await acting.closedWithin()).code).to.equal(4000);

    const started = Date.now();
    const waiting = await open('/gateway', { cookie, origin });
    const closed = await waiting.closedWithin(12_000);
    expect(closed.code).to.equal(4001);
    expect(Date.now() - started).to.be.within(9_500, 11_500);
  });

  it('closes its connections with 1001 when the engine stops', async () => {
    const other = await startTestEngine();
    const client = await GatewayClient.open(other.url.replace('https:', 'wss:') + '/gateway', {
      ca: other.cert,
    });
    await other.stop();
    expect((await client.closedWithin()).code).to.equal(1001);
  });
});
