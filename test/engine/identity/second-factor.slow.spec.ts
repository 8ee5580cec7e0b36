import { expect } from 'chai';
import { startTestEngine, type TestEngine } from '../../../sdk/testing/test-engine.js';
import { samplePlugin } from '../../support/fixture-paths.js';
import {
  ADMIN_PASSWORD,
  auditOf,
  base32Decode,
  expectAuditChainWhole,
  expectError,
  login,
  loginOk,
  referenceCode,
  sessionOf,
  setPolicy,
  stepOf,
  tenantScope,
  tokenHash,
  waitFor,
  wrongCode,
} from '../../support/identity-helpers.js';
import { type SmtpSink, startSmtpSink } from '../../support/smtp-sink.js';
import { TestClock } from '../../support/test-clock.js';

/** A route of the sample plugin that needs a complete sign-in. */
const STATS = '/api/v1/plugins/tsyringe-greeter/stats';
const STEP = '/api/v1/auth/second-factor';
const STEP_MS = 30_000;

type Headers = Record<string, string>;

function post(engine: TestEngine, pathname: string, headers: Headers, body?: unknown) {
  return engine.request(pathname, { method: 'POST', headers, body });
}

async function stateOf(engine: TestEngine, headers: Headers): Promise<string> {
  const answer = await sessionOf(engine, headers);
  expect(answer.status, answer.text).to.equal(200);
  return (answer.json as { state: string }).state;
}

describe('second factor: an authenticator app (TOTP)', () => {
  // In order: the first administrator sets up the app, signs in with it, and finally locks out.
  const clock = new TestClock();
  let engine: TestEngine;
  let email: string;
  let setupHeaders: Headers;
  let secret = '';
  let key: Buffer;

  before(async () => {
    engine = await startTestEngine({
      plugins: [samplePlugin('tsyringe-greeter')],
      configure: clock.install,
    });
    email = engine.firstStart?.email ?? '';
    await setPolicy(engine, { secondFactor: { required: 'everyone', methods: ['totp'] } });
    setupHeaders = await engine.signInFirstAdmin(ADMIN_PASSWORD);
  });
  after(() => engine?.stop());

  const verify = (headers: Headers, code: string) =>
    post(engine, `${STEP}/verify`, headers, { method: 'totp', code });
  const currentCode = () => referenceCode(key, stepOf(clock.now()));
  const failedAttempts = async () =>
    (await tenantScope(engine).members.credentials(engine.firstStart?.memberId ?? ''))
      ?.failedAttempts;

  it('holds the first administrator at setup: the route answers 403 until then', async () => {
    expect(await stateOf(engine, setupHeaders)).to.equal('second-factor-setup-required');
    const route = await engine.request(STATS, { headers: setupHeaders });
    expectError(route, 403, 'TETHER_E_SIGN_IN_INCOMPLETE');

    const again = await loginOk(engine, email, ADMIN_PASSWORD);
    expect(again.body.state).to.equal('second-factor-setup-required');
    expect(again.body.methods).to.deep.equal(['totp']);
    const viaNew = await engine.request(STATS, { headers: again.headers });
    expectError(viaNew, 403, 'TETHER_E_SIGN_IN_INCOMPLETE');
  });

  it('lets a sign-in at setup not verify, confirm unbegun or change the password', async () => {
    expectError(await verify(setupHeaders, '123456'), 400, 'TETHER_E_VALIDATION');
    const confirm = await post(engine, `${STEP}/totp/confirm`, setupHeaders, { code: '123456' });
    expectError(confirm, 400, 'TETHER_E_VALIDATION');
    const change = await post(engine, '/api/v1/auth/password', setupHeaders, {
      currentPassword: ADMIN_PASSWORD,
      newPassword: 'an entirely different passphrase 99',
    });
    expectError(change, 403, 'TETHER_E_SIGN_IN_INCOMPLETE');
    expect(await stateOf(engine, setupHeaders)).to.equal('second-factor-setup-required');
  });

  it('gives a base32 secret, an otpauth URL with the issuer and a PNG QR code', async () => {
    const answer = await post(engine, `${STEP}/totp/setup`, setupHeaders);
    expect(answer.status, answer.text).to.equal(200);
    const setup = answer.json as { secret: string; otpauthUrl: string; qrDataUrl: string };
    secret = setup.secret;
    key = base32Decode(secret);
    expect(secret).to.match(/^[A-Z2-7]+$/);
    expect(key.length * 8).to.be.at.least(160);

    const url = new URL(setup.otpauthUrl);
    expect(url.protocol).to.equal('otpauth:');
    expect(url.host).to.equal('totp');
    expect(url.searchParams.get('issuer')).to.equal('Tether');
    expect(url.searchParams.get('secret')).to.equal(secret);
    expect(decodeURIComponent(url.pathname)).to.equal(`/Tether:${email}`);

    expect(setup.qrDataUrl.startsWith('data:image/png;base64,')).to.equal(true);
    const png = Buffer.from(setup.qrDataUrl.slice('data:image/png;base64,'.length), 'base64');
    expect(png.subarray(0, 8)).to.deep.equal(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
  });

  it('keeps the secret awaiting confirmation sealed in the sign-in', async () => {
    const session = await tenantScope(engine).signIns.findByTokenHash(tokenHash(setupHeaders));
    const pending = JSON.stringify(session?.pending ?? null);
    expect(pending).to.include('totp');
    expect(pending).to.not.include(secret);
  });

  it('refuses a wrong confirmation code with 401 and counts it toward the lockout', async () => {
    const before = await failedAttempts();
    const step = stepOf(clock.now());
    const answer = await post(engine, `${STEP}/totp/confirm`, setupHeaders, {
      code: wrongCode(key, step),
    });
    expectError(answer, 401, 'TETHER_E_SECOND_FACTOR_FAILED');
    expect(await failedAttempts()).to.equal((before ?? 0) + 1);
    expect(await stateOf(engine, setupHeaders)).to.equal('second-factor-setup-required');
  });

  it('completes the sign-in with the right code; then the route answers', async () => {
    clock.advanceToNextStep(STEP_MS);
    const answer = await post(engine, `${STEP}/totp/confirm`, setupHeaders, {
      code: currentCode(),
    });
    expect(answer.status, answer.text).to.equal(200);
    expect(answer.json).to.deep.equal({ state: 'active' });
    const route = await engine.request(STATS, { headers: setupHeaders });
    expect(route.status, route.text).to.equal(200);
    expect(await failedAttempts()).to.equal(0);
  });

  it('stores the secret sealed: the credentials hold no form of it', async () => {
    const memberId = engine.firstStart?.memberId ?? '';
    const member = await tenantScope(engine).members.findById(memberId);
    expect(member?.secondFactor).to.equal('totp');
    const stored = (await tenantScope(engine).members.credentials(memberId))?.totpSecret;
    expect(stored).to.be.a('string').and.not.equal('');
    for (const form of [
      secret,
      secret.toLowerCase(),
      key.toString('hex'),
      key.toString('base64'),
    ]) {
      expect(stored).to.not.include(form);
    }
  });

  it('asks the next sign-in for a code: a wrong one is refused, the right one passes', async () => {
    clock.advanceToNextStep(STEP_MS);
    const next = await loginOk(engine, email, ADMIN_PASSWORD);
    expect(next.body.state).to.equal('second-factor-required');
    expect(next.body.methods).to.deep.equal(['totp']);
    expectError(
      await engine.request(STATS, { headers: next.headers }),
      403,
      'TETHER_E_SIGN_IN_INCOMPLETE',
    );

    const wrong = await verify(next.headers, wrongCode(key, stepOf(clock.now())));
    expectError(wrong, 401, 'TETHER_E_SECOND_FACTOR_FAILED');
    const right = await verify(next.headers, currentCode());
    expect(right.json).to.deep.equal({ state: 'active' });
    expect((await engine.request(STATS, { headers: next.headers })).status).to.equal(200);
  });

  it('lets a password-only sign-in neither enrol another app nor change the password', async () => {
    const next = await loginOk(engine, email, ADMIN_PASSWORD);
    expect(next.body.state).to.equal('second-factor-required');
    const setup = await post(engine, `${STEP}/totp/setup`, next.headers);
    expectError(setup, 403, 'TETHER_E_SIGN_IN_INCOMPLETE');
    const change = await post(engine, '/api/v1/auth/password', next.headers, {
      currentPassword: ADMIN_PASSWORD,
      newPassword: 'an entirely different passphrase 99',
    });
    expectError(change, 403, 'TETHER_E_SIGN_IN_INCOMPLETE');
    expect(await stateOf(engine, next.headers)).to.equal('second-factor-required');
  });

  it('refuses a code already used, even on another sign-in within the same step', async () => {
    clock.advanceToNextStep(STEP_MS);
    const step = stepOf(clock.now());
    const code = currentCode();
    const first = await loginOk(engine, email, ADMIN_PASSWORD);
    expect((await verify(first.headers, code)).json).to.deep.equal({ state: 'active' });

    const third = await loginOk(engine, email, ADMIN_PASSWORD);
    expect(stepOf(clock.now()), 'still the same step').to.equal(step);
    expectError(await verify(third.headers, code), 401, 'TETHER_E_SECOND_FACTOR_FAILED');
    clock.advanceToNextStep(STEP_MS);
    expect((await verify(third.headers, currentCode())).json).to.deep.equal({ state: 'active' });
  });

  it('refuses a code from two steps ago that was never used', async () => {
    clock.advance(4 * STEP_MS);
    clock.advanceToNextStep(STEP_MS);
    let step = stepOf(clock.now());
    // A code of two steps ago that happens to equal one in the window would prove nothing.
    while ([-1, 0, 1].some((d) => referenceCode(key, step + d) === referenceCode(key, step - 2))) {
      clock.advanceToNextStep(STEP_MS);
      step = stepOf(clock.now());
    }
    const next = await loginOk(engine, email, ADMIN_PASSWORD);
    const old = await verify(next.headers, referenceCode(key, step - 2));
    expectError(old, 401, 'TETHER_E_SECOND_FACTOR_FAILED');
    expect((await verify(next.headers, currentCode())).json).to.deep.equal({ state: 'active' });
  });

  it('locks the account after five wrong codes: then even the right password fails', async () => {
    const next = await loginOk(engine, email, ADMIN_PASSWORD);
    const wrong = wrongCode(key, stepOf(clock.now()));
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      const answer = await verify(next.headers, wrong);
      expectError(answer, 401, 'TETHER_E_SECOND_FACTOR_FAILED');
    }
    expectError(await verify(next.headers, currentCode()), 401, 'TETHER_E_SESSION_EXPIRED');
    expectError(await sessionOf(engine, setupHeaders), 401, 'TETHER_E_SESSION_EXPIRED');
    expectError(await login(engine, email, ADMIN_PASSWORD), 401, 'TETHER_E_SIGN_IN_FAILED');
    const locked = await auditOf(engine, 'auth.account.locked');
    expect(locked.map((record) => record.target?.id)).to.include(engine.firstStart?.memberId);
  });

  it('audits setup, passes and failures in a chain that verifies, with no secret', async () => {
    const setUp = await auditOf(engine, 'auth.second-factor.set-up');
    expect(setUp.map((record) => record.details)).to.deep.equal([{ method: 'totp' }]);
    expect(await auditOf(engine, 'auth.second-factor.passed')).to.have.length(4);
    expect(await auditOf(engine, 'auth.second-factor.failed')).to.have.length(9);
    const everything = JSON.stringify(await auditOf(engine));
    expect(everything).to.not.include(secret);
    await expectAuditChainWhole(engine);
  });
});

describe('second factor: a code by e-mail', () => {
  // In order: the first administrator sets up e-mail codes, then signs in with them.
  const ADA = 'ada.lovelace@example.com';
  const clock = new TestClock();
  const codes: string[] = [];
  let sink: SmtpSink;
  let engine: TestEngine;
  let setupHeaders: Headers;

  before(async () => {
    sink = await startSmtpSink();
    engine = await startTestEngine({
      plugins: [samplePlugin('tsyringe-greeter')],
      settings: {
        modules: ['storage-sequelize', 'bus-memory', 'key-store-file', 'mailer-smtp'],
        firstAdminEmail: ADA,
      },
      moduleSettings: {
        'mailer-smtp': {
          host: '127.0.0.1',
          port: sink.port,
          from: 'tether@example.com',
          requireTls: false,
          ignoreTls: true,
        },
      },
      configure: clock.install,
    });
    await setPolicy(engine, { secondFactor: { required: 'everyone', methods: ['email'] } });
    setupHeaders = await engine.signInFirstAdmin(ADMIN_PASSWORD);
  });
  after(async () => {
    await engine?.stop();
    await sink?.close();
  });

  const send = (headers: Headers) => post(engine, `${STEP}/email/send`, headers);
  const verify = (headers: Headers, code: string) =>
    post(engine, `${STEP}/verify`, headers, { method: 'email', code });
  const other = (code: string) => (code === '000000' ? '000001' : '000000');

  /** Sends a code and reads it from the mail the sink received. */
  async function sendCode(headers: Headers): Promise<{ code: string; sentTo: unknown }> {
    const before = sink.mails.length;
    const sent = await send(headers);
    expect(sent.status, sent.text).to.equal(202);
    expect(await waitFor(() => sink.mails.length > before), 'the mail arrives').to.equal(true);
    const mail = sink.mails[before];
    expect(mail?.envelopeTo).to.deep.equal([ADA]);
    const code = /\b(\d{6})\b/.exec(mail?.parsed.text ?? '')?.[1];
    expect(code, 'a six-digit code in the mail').to.be.a('string');
    codes.push(code as string);
    return { code: code as string, sentTo: (sent.json as { sentTo?: unknown }).sentTo };
  }

  it('offers e-mail at setup and sends a code, naming the address only masked', async () => {
    const again = await loginOk(engine, ADA, ADMIN_PASSWORD);
    expect(again.body.state).to.equal('second-factor-setup-required');
    expect(again.body.methods).to.deep.equal(['email']);
    const { sentTo } = await sendCode(setupHeaders);
    expect(sentTo).to.equal('a***@example.com');
  });

  it('refuses a second send within 30 seconds with 429, and sends nothing', async () => {
    const before = sink.mails.length;
    expectError(await send(setupHeaders), 429, 'TETHER_E_RATE_LIMITED');
    expect(sink.mails.length).to.equal(before);
  });

  it('refuses a wrong code, then completes the setup with the one mailed', async () => {
    const code = codes[codes.length - 1] ?? '';
    expectError(await verify(setupHeaders, other(code)), 401, 'TETHER_E_SECOND_FACTOR_FAILED');
    expectError(
      await engine.request(STATS, { headers: setupHeaders }),
      403,
      'TETHER_E_SIGN_IN_INCOMPLETE',
    );
    const right = await verify(setupHeaders, code);
    expect(right.status, right.text).to.equal(200);
    expect(right.json).to.deep.equal({ state: 'active' });
    expect((await engine.request(STATS, { headers: setupHeaders })).status).to.equal(200);
    const member = await tenantScope(engine).members.findById(engine.firstStart?.memberId ?? '');
    expect(member?.secondFactor).to.equal('email');
  });

  it('asks the next sign-in for an e-mail code; a TOTP code cannot stand in', async () => {
    const next = await loginOk(engine, ADA, ADMIN_PASSWORD);
    expect(next.body.state).to.equal('second-factor-required');
    expect(next.body.methods).to.deep.equal(['email']);
    const totp = await post(engine, `${STEP}/verify`, next.headers, {
      method: 'totp',
      code: '123456',
    });
    expectError(totp, 400, 'TETHER_E_VALIDATION');
    const { code } = await sendCode(next.headers);
    expect((await verify(next.headers, code)).json).to.deep.equal({ state: 'active' });
  });

  it('refuses a code after its ten minutes; a fresh one then passes', async () => {
    const next = await loginOk(engine, ADA, ADMIN_PASSWORD);
    const { code } = await sendCode(next.headers);
    clock.advanceMinutes(11);
    expectError(await verify(next.headers, code), 401, 'TETHER_E_SECOND_FACTOR_FAILED');
    const { code: fresh } = await sendCode(next.headers);
    expect((await verify(next.headers, fresh)).json).to.deep.equal({ state: 'active' });
  });

  it('refuses a code mailed for another sign-in', async () => {
    const first = await loginOk(engine, ADA, ADMIN_PASSWORD);
    const second = await loginOk(engine, ADA, ADMIN_PASSWORD);
    const { code } = await sendCode(first.headers);
    expectError(await verify(second.headers, code), 401, 'TETHER_E_SECOND_FACTOR_FAILED');
    expect(await stateOf(engine, second.headers)).to.equal('second-factor-required');
    expect((await verify(first.headers, code)).json).to.deep.equal({ state: 'active' });
  });

  it('audits the setup and the passes in a chain that verifies, with no code', async () => {
    const setUp = await auditOf(engine, 'auth.second-factor.set-up');
    expect(setUp.map((record) => record.details)).to.deep.equal([{ method: 'email' }]);
    expect(await auditOf(engine, 'auth.second-factor.passed')).to.have.length(3);
    expect(await auditOf(engine, 'auth.second-factor.failed')).to.have.length(3);
    const everything = JSON.stringify(await auditOf(engine));
    for (const code of codes) {
      expect(everything).to.not.match(new RegExp(`(?<![0-9a-z-])${code}(?![0-9a-z-])`, 'i'));
    }
    await expectAuditChainWhole(engine);
  });
});
