/** Fields attached to a log line; never secrets, codes or message bodies. */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * A named, structured logger (pino underneath). Each component and each plugin receives a
 * child named after it (`engine:http`, `plugin:chat`); fields come first, a short message second.
 */
export interface Logger {
  error(fields: LogFields, message: string): void;
  warn(fields: LogFields, message: string): void;
  info(fields: LogFields, message: string): void;
  debug(fields: LogFields, message: string): void;
  /** A logger that adds `bindings` to every line it writes. */
  child(bindings: LogFields): Logger;
}

/** Token of the root {@link Logger}; components derive named children from it. */
export const Logger = Symbol.for('tether.Logger');
