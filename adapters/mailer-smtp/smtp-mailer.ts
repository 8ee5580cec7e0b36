import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from '../../engine/contracts/logger-contract.js';
import type { Mailer, MailMessage } from '../../engine/contracts/mailer-contract.js';
import { TetherError } from '../../engine/errors.js';
import type { SmtpSettings } from './smtp-settings.js';

/** What nodemailer attaches to the errors it rejects with (the fields read here). */
interface SmtpFailure {
  readonly code?: string;
  readonly responseCode?: number;
  readonly originalCode?: string;
}

/** How long an idle or stalled connection may stay silent once it is up. */
const SOCKET_TIMEOUT_MS = 60_000;

/** One bare address: no display name, no list, nothing a header could be smuggled in with. */
const RECIPIENT = /^[^\s@<>,;"()\\]+@[^\s@<>,;"()\\]+$/;

/**
 * A {@link Mailer} over SMTP (nodemailer, one connection per mail). It opens no connection
 * until the first mail, so a relay that is down does not stop the engine. Logs name the
 * recipient's domain and the Message-ID, never the address, the subject or the body.
 */
export class SmtpMailer implements Mailer {
  private closed = false;

  private constructor(
    private readonly transport: Transporter,
    private readonly from: string,
    private readonly logger: Logger,
  ) {}

  /** Makes the mailer for `settings`; nothing goes over the network yet. */
  static create(settings: SmtpSettings, logger: Logger): SmtpMailer {
    const auth = settings.user ? { user: settings.user, pass: settings.password ?? '' } : undefined;
    const transport = nodemailer.createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      requireTLS: settings.requireTls,
      ignoreTLS: settings.ignoreTls,
      auth,
      connectionTimeout: settings.connectionTimeoutMs,
      greetingTimeout: settings.connectionTimeoutMs,
      socketTimeout: SOCKET_TIMEOUT_MS,
      // nodemailer logs nothing unless asked; keep it so, as its debug output holds the mail.
      logger: false,
      debug: false,
    });
    return new SmtpMailer(transport, settings.from, logger);
  }

  async send(message: MailMessage): Promise<void> {
    if (this.closed) throw new TetherError('TETHER_E_MAIL', 'mail not sent: the mailer is stopped');
    const toDomain = recipientDomain(message.to);
    const mail = { from: this.from, to: message.to, subject: message.subject, text: message.text };

    let info: { messageId?: string; rejected?: unknown[] };
    try {
      info = await this.transport.sendMail(message.html ? { ...mail, html: message.html } : mail);
    } catch (error) {
      throw this.failure(toDomain, error);
    }

    // With one recipient a refusal rejects above; this guards a relay that answers otherwise.
    if ((info.rejected?.length ?? 0) > 0) throw this.failure(toDomain, { code: 'EENVELOPE' });
    this.logger.info({ toDomain, messageId: info.messageId }, 'mail sent');
  }

  /** Closes the transport; a mail sent afterwards is refused. */
  close(): void {
    this.closed = true;
    this.transport.close();
  }

  private failure(toDomain: string, error: unknown): TetherError {
    const { code, responseCode, originalCode } = (error ?? {}) as SmtpFailure;
    const reply = responseCode ? `the SMTP server answered ${responseCode}` : 'no SMTP reply';
    const codes = [code, originalCode].filter(Boolean).join('/');
    const line = `mail to ${toDomain} not sent: ${reply}${codes ? ` (${codes})` : ''}`;
    this.logger.warn({ toDomain, responseCode, code: codes || undefined }, 'mail not sent');
    return new TetherError('TETHER_E_MAIL', line, { cause: error });
  }
}

/**
 * The domain of a single bare recipient address. Anything else is refused: `to` often comes
 * from what a person typed, and a list would send a sign-in code to someone else as well.
 */
function recipientDomain(to: string): string {
  if (typeof to !== 'string' || !RECIPIENT.test(to)) {
    throw new TetherError('TETHER_E_VALIDATION', 'mail not sent: `to` must be one bare address', {
      details: { field: 'to' },
    });
  }
  return to.slice(to.lastIndexOf('@') + 1).toLowerCase();
}
