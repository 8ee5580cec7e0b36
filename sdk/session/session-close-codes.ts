import { SessionClientError } from './session-client-error.js';
import type { SessionClosed } from './session-client-types.js';

/** Close codes after which the client stops instead of reconnecting (protocol.md). */
export const FINAL_CODES: ReadonlyMap<number, string> = new Map([
  [4003, 'not-admitted'],
  [4010, 'replaced'],
  [4011, 'removed'],
  [4100, 'session-ended'],
]);

/** The code of `closed` when the client itself refused a certificate (policy violation). */
export const CERTIFICATE_REFUSED_CODE = 1008;

/** The error that pending sends and `connect` fail with once the client ended as `closed`. */
export function endedError(closed: SessionClosed | undefined): SessionClientError {
  const ended = closed ?? { code: 1000, reason: 'closed' };
  const reason =
    ended.code === 4003
      ? 'not-admitted'
      : ended.code === CERTIFICATE_REFUSED_CODE
        ? 'certificate-refused'
        : 'closed';
  return new SessionClientError(reason, `the session client ended (${ended.reason})`);
}
