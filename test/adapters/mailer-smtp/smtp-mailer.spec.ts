import net, { type AddressInfo } from 'node:net';
import { expect } from 'chai';
import mailerModule from '../../../adapters/mailer-smtp/index.js';
import { loadSettings } from '../../../engine/config/load-settings.js';
import type { Disposable } from '../../../engine/contracts/disposable.js';
import type { ModuleContext } from '../../../engine/contracts/engine-module-contract.js';
import { Mailer } from '../../../engine/contracts/mailer-contract.js';
import { type ErrorCode, isTetherError, type TetherError } from '../../../engine/errors.js';
import { createLogger } from '../../../engine/logging/create-logger.js';
import { collectingLogger } from '../../support/collecting-logger.js';
import { type SmtpSink, startSmtpSink } from '../../support/smtp-sink.js';

const silent = createLogger({ level: 'silent', format: 'json' });

/** What a test sink needs: the loopback address and no STARTTLS on either side. */
const PLAIN_SINK = { host: '127.0.0.1', ignoreTls: true, requireTls: false };

const MESSAGE = {
  to: 'ada@example.org',
  subject: 'Your sign-in code',
  text: 'Your code is 482913. It expires in ten minutes.',
  html: '<p>Your code is <b>482913</b>. It expires in ten minutes.</p>',
};

interface LoadedMailer {
  readonly mailer: Mailer;
  readonly released: Disposable;
}

/** Loads the real module with `values` as its settings, as the module loader would. */
async function loadMailer(values: Record<string, unknown>, logger = silent): Promise<LoadedMailer> {
  const provided = new Map<symbol, unknown>();
  const context: ModuleContext = {
    settings: { ...loadSettings({ env: {} }), moduleSettings: { 'mailer-smtp': values } },
    logger,
    provide: (token, value) => void provided.set(token, value),
    get: (token) => {
      throw new Error(`nothing provides ${String(token)}`);
    },
  };
  const released = await mailerModule.load(context);
  if (!released) throw new Error('the module returned no Disposable');
  return { mailer: provided.get(Mailer) as Mailer, released };
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

/** A port on 127.0.0.1 where nothing listens (taken, then released). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Everything an error carries that a log or a client could see, as one string. */
function errorText(error: TetherError): string {
  const cause = error.cause as Record<string, unknown> | undefined;
  const causeFields = cause ? JSON.stringify({ ...cause, message: String(cause.message) }) : '';
  return `${error.message} ${error.stack} ${causeFields}`;
}

describe('SmtpMailer (mailer-smtp module)', () => {
  let sink: SmtpSink | undefined;
  let loaded: LoadedMailer | undefined;

  afterEach(async () => {
    await loaded?.released.dispose();
    await sink?.close();
    loaded = undefined;
    sink = undefined;
  });

  it('declares the Mailer contract and provides it', async () => {
    expect(mailerModule.name).to.equal('mailer-smtp');
    expect(mailerModule.provides).to.deep.equal([Mailer]);
    loaded = await loadMailer({ from: 'noreply@tether.test' });
    expect(loaded.mailer.send).to.be.a('function');
  });

  it('delivers a mail with its sender, recipient, subject, text and HTML alternative', async () => {
    sink = await startSmtpSink();
    const settings = { ...PLAIN_SINK, port: sink.port, from: 'Tether <noreply@tether.test>' };
    loaded = await loadMailer(settings);
    await loaded.mailer.send(MESSAGE);

    expect(sink.mails).to.have.length(1);
    const [{ envelopeFrom, envelopeTo, parsed }] = sink.mails;
    expect(envelopeFrom).to.equal('noreply@tether.test');
    expect(envelopeTo).to.deep.equal(['ada@example.org']);
    expect(parsed.from?.value[0]).to.include({ address: 'noreply@tether.test', name: 'Tether' });
    const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
    expect(to?.value.map((a) => a.address)).to.deep.equal(['ada@example.org']);
    expect(parsed.subject).to.equal(MESSAGE.subject);
    expect(parsed.text?.trim()).to.equal(MESSAGE.text);
    expect(parsed.html).to.be.a('string').that.includes('<b>482913</b>');
    expect(parsed.messageId).to.be.a('string');
  });

  it('sends a text-only mail when no HTML is given', async () => {
    sink = await startSmtpSink();
    loaded = await loadMailer({ ...PLAIN_SINK, port: sink.port, from: 'noreply@tether.test' });
    await loaded.mailer.send({ to: 'bob@example.org', subject: 'Hi', text: 'Plain only.' });
    expect(sink.mails).to.have.length(1);
    expect(sink.mails[0].parsed.text?.trim()).to.equal('Plain only.');
    expect(sink.mails[0].parsed.html).to.equal(false);
  });

  it('rejects with TETHER_E_MAIL naming 550 when the relay refuses the recipient', async () => {
    sink = await startSmtpSink({ rejectRecipients: true });
    loaded = await loadMailer({ ...PLAIN_SINK, port: sink.port, from: 'noreply@tether.test' });
    const mailer = loaded.mailer;
    const error = await rejection(() => mailer.send(MESSAGE), 'TETHER_E_MAIL');

    expect(error.message).to.include('550');
    expect(error.message).to.include('example.org');
    expect(sink.offeredRecipients).to.deep.equal(['ada@example.org']);
    expect(sink.mails).to.have.length(0);
    for (const secret of ['482913', MESSAGE.subject, 'ada@']) {
      expect(error.message, secret).to.not.include(secret);
    }
  });

  it('rejects with TETHER_E_MAIL when nothing listens on the port', async () => {
    const port = await closedPort();
    loaded = await loadMailer({ ...PLAIN_SINK, port, from: 'noreply@tether.test' });
    const mailer = loaded.mailer;
    const error = await rejection(() => mailer.send(MESSAGE), 'TETHER_E_MAIL');
    expect(error.message).to.include('no SMTP reply');
  });

  it('gives up within the connection timeout on a server that never greets', async () => {
    const sockets = new Set<net.Socket>();
    const silentServer = net.createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silentServer.listen(0, '127.0.0.1', resolve));
    const { port } = silentServer.address() as AddressInfo;
    try {
      const settings = { ...PLAIN_SINK, port, connectionTimeoutMs: 300 };
      loaded = await loadMailer({ ...settings, from: 'noreply@tether.test' });
      const mailer = loaded.mailer;
      const started = Date.now();
      const error = await rejection(() => mailer.send(MESSAGE), 'TETHER_E_MAIL');
      expect(Date.now() - started).to.be.below(3000);
      expect(error.message).to.include('ETIMEDOUT');
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silentServer.close(() => resolve()));
    }
  });

  it('refuses to send in clear text when STARTTLS is required and not offered', async () => {
    sink = await startSmtpSink();
    const settings = { host: '127.0.0.1', port: sink.port, from: 'noreply@tether.test' };
    loaded = await loadMailer(settings);
    const mailer = loaded.mailer;
    await rejection(() => mailer.send(MESSAGE), 'TETHER_E_MAIL');
    expect(sink.mails).to.have.length(0);
    expect(sink.offeredRecipients).to.have.length(0);
  });

  it('loads without reaching the relay, and refuses mail once disposed', async () => {
    const port = await closedPort();
    const { mailer, released } = await loadMailer({ port, from: 'noreply@tether.test' });
    await released.dispose();
    await released.dispose();
    const error = await rejection(() => mailer.send(MESSAGE), 'TETHER_E_MAIL');
    expect(error.message).to.include('stopped');
  });

  it('refuses a recipient that is a list or carries a header, sending nothing', async () => {
    sink = await startSmtpSink();
    loaded = await loadMailer({ ...PLAIN_SINK, port: sink.port, from: 'noreply@tether.test' });
    const mailer = loaded.mailer;
    const bad = [
      'ada@example.org, eve@evil.test',
      'ada@example.org;eve@evil.test',
      'Ada <ada@example.org>',
      'ada@example.org\r\nBcc: eve@evil.test',
      'not-an-address',
      '',
    ];
    for (const to of bad) {
      const error = await rejection(() => mailer.send({ ...MESSAGE, to }), 'TETHER_E_VALIDATION');
      expect(error.details, JSON.stringify(to)).to.deep.equal({ field: 'to' });
    }
    expect(sink.offeredRecipients).to.have.length(0);
  });

  describe('with authentication required', () => {
    const credentials = { user: 'relay-user', password: 'pw-Kx81!zQ' };

    beforeEach(async () => {
      sink = await startSmtpSink({ credentials });
    });

    it('delivers with the right user and password', async () => {
      const settings = { ...PLAIN_SINK, port: sink?.port, from: 'noreply@tether.test' };
      loaded = await loadMailer({
        ...settings,
        user: 'relay-user',
        password: credentials.password,
      });
      await loaded.mailer.send(MESSAGE);
      expect(sink?.mails).to.have.length(1);
    });

    it('rejects with TETHER_E_MAIL naming 535 on a wrong password, never showing it', async () => {
      const settings = { ...PLAIN_SINK, port: sink?.port, from: 'noreply@tether.test' };
      const wrong = 'wrong-Pw-93%';
      loaded = await loadMailer({ ...settings, user: 'relay-user', password: wrong });
      const mailer = loaded.mailer;
      const error = await rejection(() => mailer.send(MESSAGE), 'TETHER_E_MAIL');
      expect(error.message).to.include('535');
      expect(errorText(error)).to.not.include(wrong);
      expect(sink?.mails).to.have.length(0);
    });

    it('rejects with TETHER_E_MAIL when no credentials are configured', async () => {
      loaded = await loadMailer({ ...PLAIN_SINK, port: sink?.port, from: 'noreply@tether.test' });
      const mailer = loaded.mailer;
      await rejection(() => mailer.send(MESSAGE), 'TETHER_E_MAIL');
      expect(sink?.mails).to.have.length(0);
    });
  });

  describe('logging', () => {
    it('logs one line per mail with domain and Message-ID, never body or password', async () => {
      const credentials = { user: 'relay-user', password: 'pw-Kx81!zQ' };
      sink = await startSmtpSink({ credentials });
      const { lines, logger } = collectingLogger('info');
      const settings = { ...PLAIN_SINK, port: sink.port, from: 'noreply@tether.test' };
      loaded = await loadMailer({ ...settings, ...credentials }, logger);
      await loaded.mailer.send(MESSAGE);

      const sent = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'mail sent');
      expect(sent).to.have.length(1);
      expect(sent[0]).to.include({ level: 30, toDomain: 'example.org' });
      expect(sent[0].messageId).to.equal(sink.mails[0].parsed.messageId);
      for (const secret of ['pw-Kx81!zQ', '482913', MESSAGE.subject, 'ada@example.org']) {
        expect(lines.join('\n'), secret).to.not.include(secret);
      }
    });

    it('logs a refused mail without its body, subject or the recipient address', async () => {
      const credentials = { user: 'u', password: 'pw-Zz90#' };
      sink = await startSmtpSink({ rejectRecipients: true, credentials });
      const { lines, logger } = collectingLogger('info');
      const settings = { ...PLAIN_SINK, port: sink.port, from: 'noreply@tether.test' };
      loaded = await loadMailer({ ...settings, ...credentials }, logger);
      const mailer = loaded.mailer;
      await rejection(() => mailer.send(MESSAGE), 'TETHER_E_MAIL');

      const refused = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'mail not sent');
      expect(refused).to.have.length(1);
      expect(refused[0]).to.include({ level: 40, toDomain: 'example.org', responseCode: 550 });
      for (const secret of ['pw-Zz90#', '482913', MESSAGE.subject, 'ada@example.org']) {
        expect(lines.join('\n'), secret).to.not.include(secret);
      }
    });
  });

  describe('settings', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['a port out of range', { port: 0 }, 'setting port: expected an integer from 1 to 65535'],
      ['a port that is a string', { port: '25' }, 'setting port:'],
      ['a missing sender', { from: undefined }, 'setting from: required'],
      ['a sender that is no address', { from: 'tether' }, 'setting from: expected an address'],
      ['an empty host', { host: '' }, 'setting host: must not be empty'],
      ['secure that is not a boolean', { secure: 'yes' }, 'setting secure: expected true or'],
      ['ignoreTls while requireTls', { ignoreTls: true }, 'setting ignoreTls: cannot be true'],
      ['a user without a password', { user: 'u' }, 'setting password: user and password go'],
      ['a password without a user', { password: 'p' }, 'setting user: user and password go'],
      ['a tiny timeout', { connectionTimeoutMs: 5 }, 'setting connectionTimeoutMs: expected'],
      ['an unknown setting', { hots: 'x' }, 'setting hots: no such setting'],
    ];
    for (const [what, change, expected] of cases) {
      it(`refuses ${what} with TETHER_E_CONFIG naming the setting`, async () => {
        const values = { from: 'noreply@tether.test', ...change };
        const error = await rejection(() => loadMailer(values), 'TETHER_E_CONFIG');
        expect(error.message).to.include(`module mailer-smtp: ${expected}`);
        expect(error.message.split('\n')).to.have.length(1);
      });
    }

    it('never echoes a bad password value', async () => {
      const values = { from: 'noreply@tether.test', user: 'u', password: 918273 };
      const error = await rejection(() => loadMailer(values), 'TETHER_E_CONFIG');
      expect(error.message).to.include('setting password:');
      expect(error.message).to.not.include('918273');
    });

    it('refuses a missing settings object for want of a sender', async () => {
      const context = {
        settings: loadSettings({ env: {} }),
        logger: silent,
        provide: () => undefined,
        get: () => undefined,
      } as unknown as ModuleContext;
      let caught: unknown;
      await mailerModule.load(context).catch((error: unknown) => (caught = error));
      expect(isTetherError(caught, 'TETHER_E_CONFIG'), String(caught)).to.equal(true);
      expect((caught as Error).message).to.include('setting from: required');
    });
  });
});
