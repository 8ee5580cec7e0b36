/**
 * Sends a short text message (second-factor codes). Promises: a resolved `send` means the
 * gateway accepted the message; a refusal or a timeout rejects with a TetherError
 * (TETHER_E_SMS), never silently. The text is never logged.
 */
export interface SmsSender {
  /** `to` is an E.164 number such as `+4915112345678`. */
  send(to: string, text: string): Promise<void>;
}

/** Token of the {@link SmsSender} contract. */
export const SmsSender = Symbol.for('tether.SmsSender');
