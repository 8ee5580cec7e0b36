import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

/** One mail the sink accepted: the envelope as the client gave it and the parsed message. */
export interface SunkMail {
  readonly envelopeFrom: string | undefined;
  readonly envelopeTo: readonly string[];
  readonly parsed: ParsedMail;
}

/** A real SMTP server on 127.0.0.1 that keeps what it accepts. */
export interface SmtpSink {
  readonly port: number;
  readonly mails: SunkMail[];
  /** Recipients offered to the sink, accepted or not. */
  readonly offeredRecipients: string[];
  close(): Promise<void>;
}

/** What the sink should do beyond accepting everything. */
export interface SinkOptions {
  /** Refuse every recipient with a 550. */
  readonly rejectRecipients?: boolean;
  /** Require AUTH (PLAIN or LOGIN) with exactly these credentials. */
  readonly credentials?: { readonly user: string; readonly password: string };
}

/** Starts a sink without STARTTLS on a free port. */
export async function startSmtpSink(options: SinkOptions = {}): Promise<SmtpSink> {
  const mails: SunkMail[] = [];
  const offeredRecipients: string[] = [];
  const server = new SMTPServer({
    ...authOptions(options),
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      offeredRecipients.push(address.address);
      if (!options.rejectRecipients) return callback();
      callback(Object.assign(new Error('No such user here'), { responseCode: 550 }));
    },
    onData(stream, session, callback) {
      simpleParser(stream).then((parsed) => {
        const { mailFrom, rcptTo } = session.envelope;
        const envelopeFrom = mailFrom ? mailFrom.address : undefined;
        mails.push({ envelopeFrom, envelopeTo: rcptTo.map((r) => r.address), parsed });
        callback();
      }, callback);
    },
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { port, mails, offeredRecipients, close };
}

function authOptions(options: SinkOptions): Partial<SMTPServerOptions> {
  const expected = options.credentials;
  if (!expected) return { authOptional: true };
  return {
    authOptional: false,
    authMethods: ['PLAIN', 'LOGIN'],
    // The sink has no TLS; the credentials are test values on the loopback interface.
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      const right = auth.username === expected.user && auth.password === expected.password;
      if (right) return callback(null, { user: auth.username });
      callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
  };
}
