import { Writable } from 'node:stream';
import type { Logger } from '../../engine/contracts/logger-contract.js';
import { createLogger } from '../../engine/logging/create-logger.js';

/** A stream that keeps every JSON log line written to it, raw, in `lines`. */
export function logLineSink(lines: string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
}

/** A JSON logger at `level` whose lines are kept raw: to read them, or search them for secrets. */
export function collectingLogger(level: 'debug' | 'info' | 'error'): {
  lines: string[];
  logger: Logger;
} {
  const lines: string[] = [];
  return {
    lines,
    logger: createLogger({ level, format: 'json', destination: logLineSink(lines) }),
  };
}
