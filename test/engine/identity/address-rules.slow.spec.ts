import { expect } from 'chai';
import { startTestEngine, type TestEngine } from '../../../sdk/testing/test-engine.js';
import {
  ADMIN_PASSWORD,
  auditOf,
  expectError,
  login,
  loginOk,
  sessionOf,
  setPolicy,
  tenantScope,
} from '../../support/identity-helpers.js';

const TEN_NET = { ipAllowList: ['10.0.0.0/8'] };
const forwardedFor = (value: string) => ({ 'x-forwarded-for': value });

describe('address rules: a direct client (no trusted proxy)', () => {
  let engine: TestEngine;
  let email: string;
  let headers: Record<string, string>;

  before(async () => {
    engine = await startTestEngine();
    email = engine.firstStart?.email ?? '';
    headers = await engine.signInFirstAdmin(ADMIN_PASSWORD);
  });
  beforeEach(() => setPolicy(engine, {}));
  after(() => engine?.stop());

  it('refuses a sign-in from 127.0.0.1 when the list holds only 10.0.0.0/8', async () => {
    await setPolicy(engine, TEN_NET);
    const before = (await auditOf(engine, 'auth.sign-in.failed')).length;
    expectError(await login(engine, email, ADMIN_PASSWORD), 403, 'TETHER_E_IP_NOT_ALLOWED');

    const failed = (await auditOf(engine, 'auth.sign-in.failed')).slice(before);
    expect(failed).to.have.length(1);
    expect(failed[0]?.details).to.deep.equal({ reason: 'address-not-allowed' });
    expect(failed[0]?.ip).to.equal('127.0.0.1');
    expect(failed[0]?.actor).to.deep.equal({ kind: 'member', id: engine.firstStart?.memberId });
  });

  it('ignores X-Forwarded-For from a peer that is no trusted proxy', async () => {
    await setPolicy(engine, TEN_NET);
    const spoofed = await login(engine, email, ADMIN_PASSWORD, forwardedFor('10.1.2.3'));
    expectError(spoofed, 403, 'TETHER_E_IP_NOT_ALLOWED');
    const failed = await auditOf(engine, 'auth.sign-in.failed');
    expect(failed[failed.length - 1]?.ip).to.equal('127.0.0.1');
  });

  it('answers a refused address the same for a known and an unknown account', async () => {
    await setPolicy(engine, TEN_NET);
    const known = await login(engine, email, ADMIN_PASSWORD);
    expectError(known, 403, 'TETHER_E_IP_NOT_ALLOWED');
    const wrong = await login(engine, email, 'not the password at all');
    const unknown = await login(engine, 'nobody@example.com', ADMIN_PASSWORD);
    for (const other of [wrong, unknown]) {
      expect([other.status, other.text]).to.deep.equal([known.status, known.text]);
    }
    const failed = await auditOf(engine, 'auth.sign-in.failed');
    expect(failed[failed.length - 1]?.details).to.deep.equal({ reason: 'address-not-allowed' });
    expect(failed[failed.length - 1]?.actor.kind).to.equal('anonymous');
  });

  it('does not count attempts from a refused address toward the lockout', async () => {
    await setPolicy(engine, { ...TEN_NET, lockout: { maxAttempts: 2 } });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const wrong = await login(engine, email, 'not the password at all');
      expectError(wrong, 403, 'TETHER_E_IP_NOT_ALLOWED');
    }
    const memberId = engine.firstStart?.memberId ?? '';
    expect((await tenantScope(engine).members.credentials(memberId))?.failedAttempts).to.equal(0);
    await setPolicy(engine, {});
    await loginOk(engine, email, ADMIN_PASSWORD);
  });

  it('ends the use of a sign-in on every request once its address is off the list', async () => {
    expect((await sessionOf(engine, headers)).status).to.equal(200);
    await setPolicy(engine, TEN_NET);
    expectError(await sessionOf(engine, headers), 403, 'TETHER_E_IP_NOT_ALLOWED');
    await setPolicy(engine, {});
    expect((await sessionOf(engine, headers)).status).to.equal(200);
  });

  it('allows the test client when the list names 127.0.0.1 and ::1', async () => {
    await setPolicy(engine, { ipAllowList: ['127.0.0.1', '::1'] });
    const { body, headers: fresh } = await loginOk(engine, email, ADMIN_PASSWORD);
    expect(body.state).to.equal('active');
    expect((await sessionOf(engine, fresh)).status).to.equal(200);
  });
});

describe('address rules: behind a trusted proxy (127.0.0.1)', () => {
  let engine: TestEngine;
  let email: string;

  before(async () => {
    engine = await startTestEngine({ settings: { trustedProxies: ['127.0.0.1'] } });
    email = engine.firstStart?.email ?? '';
    await engine.signInFirstAdmin(ADMIN_PASSWORD);
  });
  beforeEach(() => setPolicy(engine, TEN_NET));
  after(() => engine?.stop());

  it('takes the address the proxy reports: 10.1.2.3 signs in', async () => {
    const { body } = await loginOk(engine, email, ADMIN_PASSWORD, forwardedFor('10.1.2.3'));
    expect(body.state).to.equal('active');
    const succeeded = await auditOf(engine, 'auth.sign-in.succeeded');
    expect(succeeded[succeeded.length - 1]?.ip).to.equal('10.1.2.3');
  });

  it('takes the rightmost untrusted entry: 10.1.2.3, 192.0.2.9 is refused', async () => {
    const chain = await login(engine, email, ADMIN_PASSWORD, forwardedFor('10.1.2.3, 192.0.2.9'));
    expectError(chain, 403, 'TETHER_E_IP_NOT_ALLOWED');
    const failed = await auditOf(engine, 'auth.sign-in.failed');
    expect(failed[failed.length - 1]?.ip).to.equal('192.0.2.9');
  });

  it('refuses the proxy itself when it reports no client', async () => {
    expectError(await login(engine, email, ADMIN_PASSWORD), 403, 'TETHER_E_IP_NOT_ALLOWED');
  });

  it('refuses a sign-in made from an allowed address once the list drops it', async () => {
    const from10 = forwardedFor('10.1.2.3');
    const { headers } = await loginOk(engine, email, ADMIN_PASSWORD, from10);
    expect((await sessionOf(engine, headers)).status).to.equal(200);

    await setPolicy(engine, { ipAllowList: ['192.168.0.0/16'] });
    expectError(await sessionOf(engine, headers), 403, 'TETHER_E_IP_NOT_ALLOWED');
    await setPolicy(engine, TEN_NET);
    expect((await sessionOf(engine, headers)).status).to.equal(200);
  });

  it('refuses a sign-in used from an address off the list, though it began on it', async () => {
    const { headers } = await loginOk(engine, email, ADMIN_PASSWORD, forwardedFor('10.1.2.3'));
    const elsewhere = { ...headers, ...forwardedFor('192.0.2.9') };
    expectError(await sessionOf(engine, elsewhere), 403, 'TETHER_E_IP_NOT_ALLOWED');
  });
});
