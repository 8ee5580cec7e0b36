/**
 * The logger the session client writes to: a pino logger (or child) fits, and so does anything
 * with these three methods. Fields first, a short message second; the client never logs
 * secrets, tokens, keys or message bodies.
 */
export interface SessionLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  debug(fields: Record<string, unknown>, message: string): void;
}

/** A logger that writes nothing, the default. */
export const silentSessionLogger: SessionLogger = {
  info: () => undefined,
  warn: () => undefined,
  debug: () => undefined,
};
