import { CertificateError } from '../crypto/certificate-error.js';
import {
  verifyCertificate,
  type ParticipantCertificateFields,
  type ParticipantRole,
} from '../crypto/participant-certificate.js';
import type { GatewayCredentials } from './gateway-credentials.js';
import type { ReadyMessage } from './gateway-messages.js';
import { SessionClientError } from './session-client-error.js';

/** What a certificate must say, beyond carrying the pinned engine's signature. */
export interface CertificateExpectation {
  readonly engineKey: Uint8Array;
  readonly sessionId: string;
  readonly now: Date;
  readonly participantId?: string;
  readonly notParticipantId?: string;
  readonly role?: ParticipantRole;
  readonly boxKey?: string;
}

/**
 * The fields of `certificate` once it is signed by the pinned engine key, unexpired, well
 * formed and of this session, and says what `expected` asks; else a SessionClientError
 * `certificate-refused` whose message names the rule broken (never the certificate's content).
 */
export function checkCertificate(
  certificate: unknown,
  expected: CertificateExpectation,
): ParticipantCertificateFields {
  const fields = verified(certificate, expected);
  const refuse = (why: string) =>
    new SessionClientError('certificate-refused', `certificate refused: ${why}`);

  if (fields.sessionId !== expected.sessionId) throw refuse('wrong-session');
  const { participantId, notParticipantId, role, boxKey } = expected;
  if (participantId !== undefined && fields.participantId !== participantId) {
    throw refuse('wrong-participant');
  }
  if (notParticipantId !== undefined && fields.participantId === notParticipantId) {
    throw refuse('wrong-participant');
  }
  if (role !== undefined && fields.role !== role) throw refuse('wrong-role');
  if (boxKey !== undefined && fields.boxKey !== boxKey) throw refuse('wrong-box-key');
  return fields;
}

/**
 * My own certificate in `ready`: the engine's, for my role and box key, naming the participant
 * `ready` names (an end user's, its credentials name too), and the same one as `before` on a
 * reconnect. Else a SessionClientError `certificate-refused`.
 */
export function checkOwnCertificate(
  ready: ReadyMessage,
  expected: CertificateExpectation,
  credentials: GatewayCredentials,
  before: ParticipantCertificateFields | undefined,
): ParticipantCertificateFields {
  const me = checkCertificate(ready.certificate, {
    ...expected,
    participantId: credentials.kind === 'end-user' ? credentials.participantId : undefined,
    role: credentials.kind,
  });
  if (me.participantId !== ready.participantId || me.role !== ready.role) {
    throw new SessionClientError('certificate-refused', 'certificate refused: not mine');
  }
  if (before !== undefined && before.participantId !== me.participantId) {
    throw new SessionClientError('certificate-refused', 'certificate refused: id changed');
  }
  return me;
}

function verified(certificate: unknown, expected: CertificateExpectation) {
  try {
    return verifyCertificate(expected.engineKey, certificate, expected.now);
  } catch (error) {
    if (!(error instanceof CertificateError)) throw error;
    throw new SessionClientError('certificate-refused', `certificate refused: ${error.reason}`);
  }
}
