import type { Middleware } from 'koa';
import type { Logger } from '../contracts/logger-contract.js';
import { isTetherError, TetherError } from '../errors.js';

/**
 * Turns every failure into `{ "error": { "code", "message" } }` with the catalogue's status.
 * Anything that is not a TetherError is a bug: it is logged with its stack and the client sees
 * only TETHER_E_INTERNAL. No stack trace ever reaches a client.
 */
export function errorMiddleware(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (thrown) {
      const error = isTetherError(thrown) ? thrown : fromForeign(thrown);
      if (error.status >= 500) {
        logger.error({ err: thrown, method: ctx.method, path: ctx.path }, 'request failed');
      }
      ctx.status = error.status;
      ctx.type = 'application/json';
      const details = error.expose && error.details ? { details: error.details } : {};
      ctx.body = { error: { code: error.code, message: error.publicMessage, ...details } };
    }
  };
}

/** koa and node raise some client errors themselves (a bad URL, an aborted body). */
function fromForeign(thrown: unknown): TetherError {
  const status = (thrown as { status?: unknown }).status;
  if (status === 400) return new TetherError('TETHER_E_VALIDATION', 'The request is malformed');
  if (status === 413) return new TetherError('TETHER_E_BODY_TOO_LARGE');
  if (status === 415) return new TetherError('TETHER_E_UNSUPPORTED_MEDIA_TYPE');
  return new TetherError('TETHER_E_INTERNAL', undefined, { cause: thrown });
}
