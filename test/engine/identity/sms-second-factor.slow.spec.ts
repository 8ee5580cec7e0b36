import { createHmac, timingSafeEqual } from 'node:crypto';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { startTestEngine, type TestEngine } from '../../../sdk/testing/test-engine.js';
import { samplePlugin } from '../../support/fixture-paths.js';
import {
  ADMIN_PASSWORD,
  auditOf,
  expectAuditChainWhole,
  expectError,
  loginOk,
  sessionOf,
  setPolicy,
  tenantScope,
} from '../../support/identity-helpers.js';
import { logLineSink } from '../../support/collecting-logger.js';
import { TestClock } from '../../support/test-clock.js';

/** A route of the sample plugin that needs a complete sign-in. */
const STATS = '/api/v1/plugins/tsyringe-greeter/stats';
const STEP = '/api/v1/auth/second-factor';
const ADA = 'ada.lovelace@example.com';
const NUMBER = '+4915112345678';
const OTHER_NUMBER = '+4917699999999';
const SIGNING_SECRET = 'sig-secret-0123456789abcdef';
const GATEWAY_TOKEN = 'tok-3f9a1c77e2';

type Headers = Record<string, string>;

/** One message the gateway received, with the body exactly as the bytes arrived. */
interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: Buffer;
  readonly body: { to?: unknown; text?: unknown };
}

/** A real HTTP receiver on 127.0.0.1 standing in for the SMS gateway; answers `status`. */
interface Gateway {
  readonly url: string;
  readonly received: Received[];
  status: number;
  close(): Promise<void>;
}

async function startGateway(): Promise<Gateway> {
  const received: Received[] = [];
  const gateway = { received, status: 200 };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const rawBody = Buffer.concat(chunks);
      received.push({ headers: request.headers, rawBody, body: JSON.parse(rawBody.toString()) });
      response.writeHead(gateway.status).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return Object.assign(gateway, { url: `http://127.0.0.1:${port}/sms`, close });
}

/** The gateway's check: the header is the HMAC-SHA256 of the raw body under the secret. */
function signatureValid(message: Received): boolean {
  const header = message.headers['x-tether-signature'];
  if (typeof header !== 'string' || !header.startsWith('sha256=')) return false;
  const given = Buffer.from(header.slice('sha256='.length), 'hex');
  const expected = createHmac('sha256', SIGNING_SECRET).update(message.rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The code in a message the gateway received. */
function codeIn(message: Received | undefined): string {
  const code = /^Your Tether sign-in code is (\d{6})\./.exec(String(message?.body.text))?.[1];
  expect(code, `a six-digit code in ${String(message?.body.text)}`).to.be.a('string');
  return code as string;
}

function post(engine: TestEngine, pathname: string, headers: Headers, body?: unknown) {
  return engine.request(pathname, { method: 'POST', headers, body });
}

async function stateOf(engine: TestEngine, headers: Headers): Promise<string> {
  const answer = await sessionOf(engine, headers);
  expect(answer.status, answer.text).to.equal(200);
  return (answer.json as { state: string }).state;
}

describe('second factor: a code by text message', () => {
  // In order: the first administrator sets up SMS codes with a number, then signs in with them.
  const clock = new TestClock();
  const codes: string[] = [];
  const logLines: string[] = [];
  let gateway: Gateway;
  let engine: TestEngine;
  let setupHeaders: Headers;

  before(async () => {
    gateway = await startGateway();
    engine = await startTestEngine({
      plugins: [samplePlugin('tsyringe-greeter')],
      settings: {
        modules: 'storage-sequelize,bus-memory,key-store-file,sms-webhook',
        firstAdminEmail: ADA,
      },
      moduleSettings: {
        'sms-webhook': {
          url: gateway.url,
          allowInsecureHttp: true,
          token: GATEWAY_TOKEN,
          signingSecret: SIGNING_SECRET,
        },
      },
      logTo: logLineSink(logLines),
      configure: clock.install,
    });
    await setPolicy(engine, { secondFactor: { required: 'everyone', methods: ['sms'] } });
    setupHeaders = await engine.signInFirstAdmin(ADMIN_PASSWORD);
  });
  after(async () => {
    await engine?.stop();
    await gateway?.close();
  });

  const memberId = () => engine.firstStart?.memberId ?? '';
  const credentials = () => tenantScope(engine).members.credentials(memberId());
  const send = (headers: Headers, body?: unknown) =>
    post(engine, `${STEP}/sms/send`, headers, body);
  const verify = (headers: Headers, code: string, method = 'sms') =>
    post(engine, `${STEP}/verify`, headers, { method, code });
  const other = (code: string) => (code === '000000' ? '000001' : '000000');
  const latest = () => codes[codes.length - 1] ?? '';

  /** Sends a code and reads it from the message the gateway received. */
  async function sendCode(headers: Headers, body?: unknown) {
    const before = gateway.received.length;
    const sent = await send(headers, body);
    expect(sent.status, sent.text).to.equal(202);
    expect(gateway.received).to.have.length(before + 1);
    const message = gateway.received[before] as Received;
    const code = codeIn(message);
    codes.push(code);
    return { code, message, sentTo: (sent.json as { sentTo?: unknown }).sentTo };
  }

  it('offers SMS at setup; a bad or missing number is a 400 and sends nothing', async () => {
    const again = await loginOk(engine, ADA, ADMIN_PASSWORD);
    expect(again.body.state).to.equal('second-factor-setup-required');
    expect(again.body.methods).to.deep.equal(['sms']);
    for (const phone of ['015112345678', '+49 151 12345678', '+0491511234567', '+12345']) {
      const answer = await send(setupHeaders, { phone });
      expectError(answer, 400, 'TETHER_E_VALIDATION');
      expect(answer.text, phone).to.include('body.phone');
    }
    const none = await send(setupHeaders);
    expectError(none, 400, 'TETHER_E_VALIDATION');
    expect(none.text).to.include('body.phone');
    expect(gateway.received).to.have.length(0);
  });

  it('refuses SMS setup when the policy does not allow it', async () => {
    await setPolicy(engine, { secondFactor: { required: 'everyone', methods: ['totp'] } });
    try {
      const answer = await send(setupHeaders, { phone: NUMBER });
      expectError(answer, 400, 'TETHER_E_VALIDATION');
      expect(answer.text).to.include('not allowed by policy');
    } finally {
      await setPolicy(engine, { secondFactor: { required: 'everyone', methods: ['sms'] } });
    }
    expect(gateway.received).to.have.length(0);
  });

  it('sends a signed six-digit code to the number given and names it only masked', async () => {
    const { message, sentTo } = await sendCode(setupHeaders, { phone: NUMBER });
    expect(sentTo).to.equal('+49••••••78');
    expect(message.body.to).to.equal(NUMBER);
    expect(Object.keys(message.body).sort()).to.deep.equal(['text', 'to']);
    expect(message.headers.authorization).to.equal(`Bearer ${GATEWAY_TOKEN}`);
    expect(signatureValid(message), 'X-Tether-Signature').to.equal(true);
  });

  it('refuses a second send within 30 seconds with 429, sending nothing', async () => {
    const before = gateway.received.length;
    expectError(await send(setupHeaders, { phone: NUMBER }), 429, 'TETHER_E_RATE_LIMITED');
    expect(gateway.received).to.have.length(before);
  });

  it('stores the number only once the code proves it; a wrong code counts', async () => {
    expect((await credentials())?.phone, 'stored before proof').to.equal(undefined);
    const wrong = await verify(setupHeaders, other(latest()));
    expectError(wrong, 401, 'TETHER_E_SECOND_FACTOR_FAILED');
    expect((await credentials())?.failedAttempts).to.equal(1);
    expect(await stateOf(engine, setupHeaders)).to.equal('second-factor-setup-required');
    expect((await credentials())?.phone, 'stored after a wrong code').to.equal(undefined);

    const right = await verify(setupHeaders, latest());
    expect(right.status, right.text).to.equal(200);
    expect(right.json).to.deep.equal({ state: 'active' });
    expect((await engine.request(STATS, { headers: setupHeaders })).status).to.equal(200);
    const member = await tenantScope(engine).members.findById(memberId());
    expect(member?.secondFactor).to.equal('sms');
    expect((await credentials())?.phone).to.equal(NUMBER);
    expect((await credentials())?.failedAttempts).to.equal(0);
  });

  it('sends the next sign-in its code to the number on record; another is refused', async () => {
    const next = await loginOk(engine, ADA, ADMIN_PASSWORD);
    expect(next.body.state).to.equal('second-factor-required');
    expect(next.body.methods).to.deep.equal(['sms']);
    const before = gateway.received.length;
    const redirect = await send(next.headers, { phone: OTHER_NUMBER });
    expectError(redirect, 400, 'TETHER_E_VALIDATION');
    expect(redirect.text).to.include('body.phone');
    expectError(await send(next.headers, { phone: NUMBER }), 400, 'TETHER_E_VALIDATION');
    expect(gateway.received, 'a message went out').to.have.length(before);

    const { code, message, sentTo } = await sendCode(next.headers);
    expect(message.body.to).to.equal(NUMBER);
    expect(sentTo).to.equal('+49••••••78');
    expectError(await verify(next.headers, code, 'email'), 400, 'TETHER_E_VALIDATION');
    expectError(await verify(next.headers, other(code)), 401, 'TETHER_E_SECOND_FACTOR_FAILED');
    expect((await credentials())?.failedAttempts).to.equal(1);
    expect(await stateOf(engine, next.headers)).to.equal('second-factor-required');
    expect((await verify(next.headers, code)).json).to.deep.equal({ state: 'active' });
    expect((await credentials())?.failedAttempts).to.equal(0);
  });

  it('refuses a code after its ten minutes; a fresh one then passes', async () => {
    const next = await loginOk(engine, ADA, ADMIN_PASSWORD);
    const { code } = await sendCode(next.headers);
    clock.advanceMinutes(11);
    expectError(await verify(next.headers, code), 401, 'TETHER_E_SECOND_FACTOR_FAILED');
    const { code: fresh } = await sendCode(next.headers);
    expect((await verify(next.headers, fresh)).json).to.deep.equal({ state: 'active' });
  });

  it('answers 502 TETHER_E_SMS when the gateway refuses; the sign-in keeps its step', async () => {
    const next = await loginOk(engine, ADA, ADMIN_PASSWORD);
    const before = gateway.received.length;
    gateway.status = 500;
    try {
      const refused = await send(next.headers);
      expectError(refused, 502, 'TETHER_E_SMS');
      expect(refused.text).to.not.include(NUMBER);
    } finally {
      gateway.status = 200;
    }
    expect(await stateOf(engine, next.headers)).to.equal('second-factor-required');
    expect(gateway.received, 'the gateway was asked').to.have.length(before + 1);
    codes.push(codeIn(gateway.received[before]));

    clock.advance(31_000);
    const { code } = await sendCode(next.headers);
    expect((await verify(next.headers, code)).json).to.deep.equal({ state: 'active' });
  });

  it('audits setup, passes and failures with no code and no full number', async () => {
    const setUp = await auditOf(engine, 'auth.second-factor.set-up');
    expect(setUp.map((record) => record.details)).to.deep.equal([{ method: 'sms' }]);
    const passed = await auditOf(engine, 'auth.second-factor.passed');
    expect(passed.map((record) => record.details)).to.deep.equal(Array(3).fill({ method: 'sms' }));
    expect(await auditOf(engine, 'auth.second-factor.failed')).to.have.length(3);

    const everything = JSON.stringify(await auditOf(engine));
    for (const secret of [NUMBER, NUMBER.slice(1), NUMBER.slice(3), OTHER_NUMBER.slice(3)]) {
      expect(everything, 'a number in the audit log').to.not.include(secret);
    }
    for (const code of codes) {
      expect(everything).to.not.match(new RegExp(`(?<![0-9a-z-])${code}(?![0-9a-z-])`, 'i'));
    }
    await expectAuditChainWhole(engine);
  });

  it('logs neither the text, the codes nor the number', () => {
    const log = logLines.join('\n');
    expect(log, 'the engine logged at all').to.include('text message sent');
    for (const secret of ['sign-in code is', NUMBER.slice(3), OTHER_NUMBER.slice(3)]) {
      expect(log, secret).to.not.include(secret);
    }
    for (const code of codes) {
      expect(log).to.not.match(new RegExp(`(?<![0-9a-z-])${code}(?![0-9a-z-])`, 'i'));
    }
  });
});

describe('second factor: SMS without a gateway', () => {
  let engine: TestEngine;

  before(async () => {
    engine = await startTestEngine();
    await setPolicy(engine, { secondFactor: { required: 'everyone', methods: ['sms'] } });
  });
  after(() => engine?.stop());

  it('refuses to send with 403 saying text messages are not set up', async () => {
    const headers = await engine.signInFirstAdmin(ADMIN_PASSWORD);
    const answer = await post(engine, `${STEP}/sms/send`, headers, { phone: NUMBER });
    expectError(answer, 403, 'TETHER_E_FORBIDDEN');
    expect(answer.text).to.include('Text-message codes are not set up here');
    expect(await stateOf(engine, headers)).to.equal('second-factor-setup-required');
  });
});
