import { createHmac, timingSafeEqual } from 'node:crypto';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import smsModule from '../../../adapters/sms-webhook/index.js';
import { loadSettings } from '../../../engine/config/load-settings.js';
import type { ModuleContext } from '../../../engine/contracts/engine-module-contract.js';
import { SmsSender } from '../../../engine/contracts/sms-sender-contract.js';
import { type ErrorCode, isTetherError, type TetherError } from '../../../engine/errors.js';
import { createLogger } from '../../../engine/logging/create-logger.js';
import { collectingLogger } from '../../support/collecting-logger.js';

const silent = createLogger({ level: 'silent', format: 'json' });

const NUMBER = '+4915112345678';
const TEXT = 'Your Tether code is 739205';
const TOKEN = 'tok-3f9a1c77e2';
const SIGNING_SECRET = 'sig-secret-0123456789abcdef';

/** One request the gateway received, with the body exactly as the bytes arrived. */
interface ReceivedRequest {
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: Buffer;
}

type Answer = { readonly status: number; readonly headers?: Record<string, string> } | 'hang';

/** A real HTTP gateway on 127.0.0.1 that records requests and answers as told. */
interface Gateway {
  readonly url: string;
  readonly received: ReceivedRequest[];
  answer: Answer;
  close(): Promise<void>;
}

async function startGateway(): Promise<Gateway> {
  const received: ReceivedRequest[] = [];
  const gateway = { received, answer: { status: 200 } as Answer };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const { method, url, headers } = request;
      received.push({ method, url, headers, rawBody: Buffer.concat(chunks) });
      const answer = gateway.answer;
      if (answer === 'hang') return;
      response.writeHead(answer.status, answer.headers).end('{"id":"m-1"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return Object.assign(gateway, { url: `http://127.0.0.1:${port}/sms/send?v=1`, close });
}

/** Loads the real module with `values` as its settings, as the module loader would. */
async function loadSender(values: Record<string, unknown>, logger = silent): Promise<SmsSender> {
  const provided = new Map<symbol, unknown>();
  const context: ModuleContext = {
    settings: { ...loadSettings({ env: {} }), moduleSettings: { 'sms-webhook': values } },
    logger,
    provide: (token, value) => void provided.set(token, value),
    get: (token) => {
      throw new Error(`nothing provides ${String(token)}`);
    },
  };
  await smsModule.load(context);
  return provided.get(SmsSender) as SmsSender;
}

async function rejection(action: () => Promise<unknown>, code: ErrorCode): Promise<TetherError> {
  let caught: unknown;
  try {
    await action();
  } catch (error) {
    caught = error;
  }
  expect(isTetherError(caught, code), `expected ${code}, got ${String(caught)}`).to.equal(true);
  return caught as TetherError;
}

/** The check a gateway makes: the header is the HMAC-SHA256 of the raw body under the key. */
function signatureValid(request: ReceivedRequest, key: string): boolean {
  const header = request.headers['x-tether-signature'];
  if (typeof header !== 'string' || !header.startsWith('sha256=')) return false;
  const given = Buffer.from(header.slice('sha256='.length), 'hex');
  const expected = createHmac('sha256', key).update(request.rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('WebhookSmsSender (sms-webhook module)', () => {
  let gateway: Gateway;

  beforeEach(async () => {
    gateway = await startGateway();
  });

  afterEach(async () => {
    await gateway.close();
  });

  const insecure = () => ({ url: gateway.url, allowInsecureHttp: true });

  it('declares the SmsSender contract and provides it', async () => {
    expect(smsModule.name).to.equal('sms-webhook');
    expect(smsModule.provides).to.deep.equal([SmsSender]);
    const sender = await loadSender(insecure());
    expect(sender.send).to.be.a('function');
    expect(gateway.received, 'load reached the gateway').to.have.length(0);
  });

  it('POSTs the number and text as JSON with the bearer token and a valid signature', async () => {
    const sender = await loadSender({ ...insecure(), token: TOKEN, signingSecret: SIGNING_SECRET });
    await sender.send(NUMBER, TEXT);

    expect(gateway.received).to.have.length(1);
    const [request] = gateway.received;
    expect(request.method).to.equal('POST');
    expect(request.url).to.equal('/sms/send?v=1');
    expect(request.headers['content-type']).to.equal('application/json');
    expect(request.headers.authorization).to.equal(`Bearer ${TOKEN}`);
    expect(JSON.parse(request.rawBody.toString('utf8'))).to.deep.equal({ to: NUMBER, text: TEXT });
    expect(signatureValid(request, SIGNING_SECRET), 'signature').to.equal(true);
  });

  it('signs the exact bytes, so another key or a changed body does not verify', async () => {
    const sender = await loadSender({ ...insecure(), signingSecret: SIGNING_SECRET });
    await sender.send(NUMBER, 'Grüße: 123 456 ✓');
    const [request] = gateway.received;
    expect(signatureValid(request, SIGNING_SECRET)).to.equal(true);
    expect(signatureValid(request, `${SIGNING_SECRET}x`), 'other key').to.equal(false);
    const tampered = { ...request, rawBody: Buffer.from(request.rawBody.toString() + ' ') };
    expect(signatureValid(tampered, SIGNING_SECRET), 'changed body').to.equal(false);
  });

  it('sends no Authorization and no signature when neither is configured', async () => {
    const sender = await loadSender(insecure());
    await sender.send(NUMBER, TEXT);
    const [request] = gateway.received;
    expect(request.headers).to.not.have.property('authorization');
    expect(request.headers).to.not.have.property('x-tether-signature');
  });

  it('takes any 2xx answer as acceptance', async () => {
    gateway.answer = { status: 202 };
    const sender = await loadSender(insecure());
    await sender.send(NUMBER, TEXT);
    expect(gateway.received).to.have.length(1);
  });

  it('rejects with TETHER_E_SMS naming the status when the gateway answers 500', async () => {
    gateway.answer = { status: 500 };
    const sender = await loadSender(insecure());
    const error = await rejection(() => sender.send(NUMBER, TEXT), 'TETHER_E_SMS');
    expect(error.message).to.include('500');
    expect(error.message).to.not.include(TEXT);
    expect(error.message).to.not.include(NUMBER);
  });

  it('treats a redirect as a refusal and does not follow it with the token', async () => {
    const other = await startGateway();
    try {
      gateway.answer = { status: 307, headers: { location: other.url } };
      const sender = await loadSender({ ...insecure(), token: TOKEN });
      const error = await rejection(() => sender.send(NUMBER, TEXT), 'TETHER_E_SMS');
      expect(error.message).to.include('307');
      expect(other.received, 'the redirect was followed').to.have.length(0);
    } finally {
      await other.close();
    }
  });

  it('rejects with TETHER_E_SMS within the timeout when the gateway never answers', async () => {
    gateway.answer = 'hang';
    const sender = await loadSender({ ...insecure(), timeoutMs: 300 });
    const started = Date.now();
    const error = await rejection(() => sender.send(NUMBER, TEXT), 'TETHER_E_SMS');
    const elapsed = Date.now() - started;
    expect(elapsed).to.be.within(250, 1500);
    expect(error.message).to.include('within 300 ms');
    expect(gateway.received, 'the request did not arrive').to.have.length(1);
  });

  it('rejects with TETHER_E_SMS when nothing listens at the URL', async () => {
    const url = gateway.url;
    await gateway.close();
    gateway = await startGateway();
    const sender = await loadSender({ url, allowInsecureHttp: true, timeoutMs: 2000 });
    const error = await rejection(() => sender.send(NUMBER, TEXT), 'TETHER_E_SMS');
    expect(error.message).to.include('could not be reached');
  });

  it('refuses a number that is not E.164 with TETHER_E_VALIDATION, sending nothing', async () => {
    const sender = await loadSender(insecure());
    const bad = [
      '4915112345678',
      '+04915112345678',
      '+49 151 12345678',
      '+49-15112345678',
      '+123456',
      '+1234567890123456',
      '+4915112345678\n',
      '',
    ];
    for (const to of bad) {
      const error = await rejection(() => sender.send(to, TEXT), 'TETHER_E_VALIDATION');
      expect(error.details, JSON.stringify(to)).to.deep.equal({ field: 'to' });
    }
    await sender.send('+1234567', TEXT);
    await sender.send('+123456789012345', TEXT);
    expect(gateway.received, 'only the two good numbers').to.have.length(2);
  });

  it('refuses an empty text with TETHER_E_VALIDATION', async () => {
    const sender = await loadSender(insecure());
    const error = await rejection(() => sender.send(NUMBER, '  '), 'TETHER_E_VALIDATION');
    expect(error.details).to.deep.equal({ field: 'text' });
    expect(gateway.received).to.have.length(0);
  });

  it('logs sent and refused messages without the text, number, token or secret', async () => {
    const { lines, logger } = collectingLogger('debug');
    const values = { ...insecure(), token: TOKEN, signingSecret: SIGNING_SECRET };
    const sender = await loadSender(values, logger);
    await sender.send(NUMBER, TEXT);
    gateway.answer = { status: 503 };
    await rejection(() => sender.send(NUMBER, TEXT), 'TETHER_E_SMS');

    const messages = lines.map((line) => JSON.parse(line).msg);
    expect(messages).to.include.members(['text message sent', 'text message refused']);
    for (const secret of [TEXT, '739205', NUMBER, '15112345678', TOKEN, SIGNING_SECRET]) {
      expect(lines.join('\n'), secret).to.not.include(secret);
    }
  });

  describe('settings', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      [
        'an http:// URL without allowInsecureHttp',
        { allowInsecureHttp: undefined },
        'setting url:',
      ],
      ['a missing URL', { url: undefined }, 'setting url: required'],
      ['a URL that is no URL', { url: 'gateway.example' }, 'setting url: expected an absolute'],
      ['an ftp:// URL', { url: 'ftp://gw.example/x' }, 'setting url: expected an https://'],
      ['a URL with a password', { url: 'http://u:p@gw.example/' }, 'setting url: must not hold'],
      ['a zero timeout', { timeoutMs: 0 }, 'setting timeoutMs: expected an integer from 100'],
      ['a timeout that is a string', { timeoutMs: '300' }, 'setting timeoutMs: expected'],
      ['a token with a line break', { token: 'a\r\nX-Evil: 1' }, 'setting token: expected'],
      ['a short signing secret', { signingSecret: 'short' }, 'setting signingSecret: expected'],
      ['allowInsecureHttp not a boolean', { allowInsecureHttp: 1 }, 'setting allowInsecureHttp:'],
      ['an unknown setting', { timeout: 300 }, 'setting timeout: no such setting'],
    ];
    for (const [what, change, expected] of cases) {
      it(`refuses ${what} with TETHER_E_CONFIG naming the setting`, async () => {
        const values = { ...insecure(), ...change };
        const error = await rejection(() => loadSender(values), 'TETHER_E_CONFIG');
        expect(error.message).to.include(`module sms-webhook: ${expected}`);
        expect(error.message.split('\n')).to.have.length(1);
      });
    }

    it('says why an http:// URL is refused', async () => {
      const error = await rejection(() => loadSender({ url: gateway.url }), 'TETHER_E_CONFIG');
      expect(error.message).to.equal(
        'module sms-webhook: setting url: expected an https:// URL ' +
          '(http:// only with allowInsecureHttp)',
      );
    });

    it('accepts an https:// URL without allowInsecureHttp', async () => {
      const sender = await loadSender({ url: 'https://sms.example.net/send', token: TOKEN });
      expect(sender.send).to.be.a('function');
    });

    it('never echoes a bad token or secret', async () => {
      const values = { ...insecure(), token: 'has space 5ecret', signingSecret: 'tiny-5ecret' };
      const error = await rejection(() => loadSender(values), 'TETHER_E_CONFIG');
      expect(error.message).to.not.include('5ecret');
    });
  });
});
