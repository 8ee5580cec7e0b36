import pino from 'pino';
import pretty from 'pino-pretty';
import type { Logger } from '../contracts/logger-contract.js';

/** How the root logger writes: pretty lines for a person, JSON lines for a collector. */
export interface LoggerOptions {
  readonly level: 'error' | 'warn' | 'info' | 'debug' | 'silent';
  readonly format: 'auto' | 'pretty' | 'json';
  /** Where lines go; standard error by default, so standard output stays the CLI's own. */
  readonly destination?: NodeJS.WritableStream;
}

/** Field names whose values never reach a log line, wherever they appear. */
const REDACTED = [
  'password',
  'secret',
  'token',
  'authorization',
  'cookie',
  'masterKey',
  'metricsToken',
  '*.password',
  '*.secret',
  '*.token',
  '*.authorization',
  '*.cookie',
];

/** Makes the root logger; components take named children of it (`engine:http`). */
export function createLogger(options: LoggerOptions): Logger {
  const destination = options.destination ?? process.stderr;
  const isTerminal = (destination as NodeJS.WriteStream).isTTY === true;
  const usePretty = options.format === 'pretty' || (options.format === 'auto' && isTerminal);
  const config = { level: options.level, redact: { paths: REDACTED, censor: '[redacted]' } };

  if (!usePretty) return pino(config, destination) as unknown as Logger;
  const stream = pretty({
    destination,
    sync: true,
    colorize: isTerminal,
    ignore: 'pid,hostname',
    messageFormat: '{if name}[{name}] {end}{msg}',
  });
  return pino(config, stream) as unknown as Logger;
}
