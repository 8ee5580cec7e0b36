import { expect } from 'chai';
import { AuditLog } from '../../../engine/contracts/audit-log-contract.js';
import { Storage, type TenantId } from '../../../engine/contracts/storage-contract.js';
import { PasswordHasher } from '../../../engine/identity/password-hasher.js';
import { startTestEngine, type TestEngine } from '../../../sdk/testing/test-engine.js';
import type { TestResponse } from '../../../sdk/testing/https-request.js';

const PASSWORD = 'a sturdy passphrase for testing 31';
const errorCode = (answer: TestResponse) =>
  (answer.json as { error?: { code: string } }).error?.code;

describe('sign-in with a password', () => {
  let engine: TestEngine;
  let tenant: string;
  let tenantId: TenantId;
  const storage = () => engine.engine.root.get<Storage>(Storage);

  const login = (email: string, password: string, client: 'api' | 'browser' = 'api') =>
    engine.request('/api/v1/auth/login', {
      method: 'POST',
      body: { tenant, email, password, client },
    });

  /** A technician with a password, made in storage (there is no member API yet). */
  async function member(email: string, password = PASSWORD): Promise<string> {
    const members = storage().forTenant(tenantId).members;
    const made = await members.create({ email, displayName: email, role: 'technician' });
    const passwordHash = await new PasswordHasher().hash(password);
    await storage().forTenant(tenantId).members.updateCredentials(made.id, {
      passwordHash,
      passwordChangedAt: new Date(),
    });
    return made.id;
  }

  before(async () => {
    engine = await startTestEngine();
    tenant = engine.firstStart!.tenant;
    tenantId = engine.firstStart!.tenantId;
    await engine.signInFirstAdmin(PASSWORD);
  });
  after(() => engine?.stop());

  it('takes the one-time secret once, and then only to set a password', async () => {
    const again = await login(engine.firstStart!.email, engine.firstStart!.secret);
    expect(again.status).to.equal(401);
    expect(errorCode(again)).to.equal('TETHER_E_SIGN_IN_FAILED');
  });

  it('signs in with the password and answers who is signed in', async () => {
    const answer = await login(engine.firstStart!.email, PASSWORD);
    expect(answer.status).to.equal(200);
    const { state, token } = answer.json as { state: string; token: string };
    expect(state).to.equal('active');
    const session = await engine.request('/api/v1/auth/session', {
      headers: { authorization: `Bearer ${token}` },
    });
    expect((session.json as { member: { role: string } }).member.role).to.equal(
      'master-administrator',
    );
  });

  it('answers an unknown account and a wrong password alike, in about the same time', async () => {
    await member('same-answer@example.test');
    const timings = { unknown: [] as number[], wrong: [] as number[] };
    for (let round = 0; round < 3; round += 1) {
      for (const kind of ['unknown', 'wrong'] as const) {
        const email =
          kind === 'unknown' ? `nobody${round}@example.test` : 'same-answer@example.test';
        const started = process.hrtime.bigint();
        const answer = await login(email, `wrong password ${round}`);
        timings[kind].push(Number(process.hrtime.bigint() - started) / 1e6);
        expect(answer.status).to.equal(401);
        expect(answer.json).to.deep.equal({
          error: {
            code: 'TETHER_E_SIGN_IN_FAILED',
            message: 'Wrong e-mail or password, or the account is locked',
          },
        });
      }
    }
    const median = (values: number[]) => values.sort((a, b) => a - b)[1] ?? 0;
    const ratio = median(timings.unknown) / median(timings.wrong);
    expect(ratio, JSON.stringify(timings)).to.be.within(0.5, 2);
  });

  it('locks after five failures; the sixth fails even with the right password', async () => {
    const id = await member('locked@example.test');
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      expect((await login('locked@example.test', `guess ${attempt}`)).status).to.equal(401);
    }
    const sixth = await login('locked@example.test', PASSWORD);
    expect(sixth.status).to.equal(401);
    expect(errorCode(sixth)).to.equal('TETHER_E_SIGN_IN_FAILED');
    const locked = await engine.engine.root
      .get<AuditLog>(AuditLog)
      .list(tenantId, { actions: ['auth.account.locked'] });
    expect(locked.map((record) => record.target?.id)).to.include(id);
  });

  it('gives every password its own 24-character salt', async () => {
    const ids = [await member('salt-a@example.test'), await member('salt-b@example.test')];
    const hashes = await Promise.all(
      ids.map(async (id) => (await storage().forTenant(tenantId).members.credentials(id))!),
    );
    const salts = hashes.map((credentials) => credentials.passwordHash!.split('$')[3]);
    for (const salt of salts) expect(salt).to.match(/^[A-Za-z0-9_-]{24}$/);
    expect(salts[0]).not.to.equal(salts[1]);
  });

  it('ends a sign-in at sign-out; its token then stops working', async () => {
    const { token } = (await login(engine.firstStart!.email, PASSWORD)).json as { token: string };
    const headers = { authorization: `Bearer ${token}` };
    expect(
      (await engine.request('/api/v1/auth/logout', { method: 'POST', headers })).status,
    ).to.equal(204);
    const after = await engine.request('/api/v1/auth/session', { headers });
    expect(after.status).to.equal(401);
    expect(errorCode(after)).to.equal('TETHER_E_SESSION_EXPIRED');
  });

  it('refuses forged, truncated and foreign tokens', async () => {
    const { token } = (await login(engine.firstStart!.email, PASSWORD)).json as { token: string };
    const [tenantPart, secret] = token.split('.');
    const forged = [
      `${tenantPart}.${secret!.slice(0, -1)}${secret!.endsWith('A') ? 'B' : 'A'}`,
      token.slice(0, -3),
      `00000000-0000-4000-8000-000000000000.${secret}`,
      'not-a-token',
    ];
    for (const attempt of forged) {
      const answer = await engine.request('/api/v1/auth/session', {
        headers: { authorization: `Bearer ${attempt}` },
      });
      expect(answer.status, attempt).to.equal(401);
    }
  });

  describe('in a browser', () => {
    let cookie: string;
    let csrf: string;

    before(async () => {
      const answer = await login(engine.firstStart!.email, PASSWORD, 'browser');
      const cookies = answer.headers['set-cookie'] as string[];
      const session = cookies.find((line) => line.startsWith('tether_session='))!;
      const csrfCookie = cookies.find((line) => line.startsWith('tether_csrf='))!;
      expect(session)
        .to.match(/; secure/i)
        .and.match(/; httponly/i)
        .and.match(/samesite=strict/i);
      expect(csrfCookie)
        .to.match(/samesite=strict/i)
        .and.not.match(/httponly/i);
      expect((answer.json as { token?: string }).token).to.equal(undefined);
      cookie = session.split(';')[0]!;
      csrf = (answer.json as { csrfToken: string }).csrfToken;
    });

    it('reads with the cookie alone', async () => {
      const answer = await engine.request('/api/v1/auth/session', { headers: { cookie } });
      expect(answer.status).to.equal(200);
    });

    it('refuses a change without the CSRF token, or with a wrong one', async () => {
      const attempts: Array<Record<string, string>> = [
        { cookie },
        { cookie, 'x-csrf-token': (csrf.startsWith('x') ? 'y' : 'x') + csrf.slice(1) },
      ];
      for (const headers of attempts) {
        const answer = await engine.request('/api/v1/auth/password', {
          method: 'POST',
          headers,
          body: { currentPassword: PASSWORD, newPassword: `${PASSWORD} again` },
        });
        expect(answer.status).to.equal(403);
        expect(errorCode(answer)).to.equal('TETHER_E_CSRF');
      }
    });

    it('does not take the browser token as a bearer token', async () => {
      const token = decodeURIComponent(cookie.split('=')[1]!);
      const answer = await engine.request('/api/v1/auth/session', {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(answer.status).to.equal(401);
    });

    it('signs out with the CSRF token and clears the cookies', async () => {
      const answer = await engine.request('/api/v1/auth/logout', {
        method: 'POST',
        headers: { cookie, 'x-csrf-token': csrf },
      });
      expect(answer.status).to.equal(204);
      expect((answer.headers['set-cookie'] as string[]).join('\n')).to.contain('tether_session=;');
    });
  });

  it('refuses a weak new password, naming the reason, and takes a strong one', async () => {
    const { token } = (await login(engine.firstStart!.email, PASSWORD)).json as { token: string };
    const headers = { authorization: `Bearer ${token}` };
    const change = (newPassword: string, currentPassword = PASSWORD) =>
      engine.request('/api/v1/auth/password', {
        method: 'POST',
        headers,
        body: { currentPassword, newPassword },
      });
    const weak = await change('password1234');
    expect(weak.status).to.equal(400);
    expect(errorCode(weak)).to.equal('TETHER_E_PASSWORD_POLICY');
    expect(weak.text).not.to.contain('password1234');
    expect((await change('another sturdy passphrase 55', 'not the password')).status).to.equal(401);
    expect((await change('another sturdy passphrase 55')).status).to.equal(200);
    expect((await login(engine.firstStart!.email, 'another sturdy passphrase 55')).status).to.equal(
      200,
    );
    expect((await change(PASSWORD, 'another sturdy passphrase 55')).status).to.equal(200);
  });

  it('keeps an audit chain that verifies', async () => {
    const result = await engine.engine.root.get<AuditLog>(AuditLog).verify(tenantId);
    expect(result.firstBad).to.equal(undefined);
    expect(result.checked).to.be.greaterThan(10);
  });
});
