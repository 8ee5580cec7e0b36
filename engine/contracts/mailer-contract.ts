/** One plain mail; `html`, when given, is an alternative body. */
export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
}

/**
 * Sends mail (sign-in codes, notifications). Promises: a resolved `send` means the relay
 * accepted the message; a refusal rejects with a TetherError, never silently.
 */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/** Token of the {@link Mailer} contract. */
export const Mailer = Symbol.for('tether.Mailer');
