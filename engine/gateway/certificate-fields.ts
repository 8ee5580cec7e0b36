import type { ParticipantCertificateFields } from '../../sdk/crypto/participant-certificate.js';
import type { Admission } from '../sessions/session-port.js';
import { CERTIFICATE_LIFETIME_MS } from './gateway-protocol.js';

/** What the gateway signs for an admitted participant; technicians carry permissions and policy. */
export function certificateFields(
  admission: Admission,
  boxKey: string,
): ParticipantCertificateFields {
  const technician = admission.role === 'technician';
  return {
    v: 1 as const,
    sessionId: admission.sessionId,
    participantId: admission.participantId,
    role: admission.role,
    boxKey,
    expiresAt: new Date(Date.now() + CERTIFICATE_LIFETIME_MS).toISOString(),
    ...(admission.name === undefined ? {} : { name: admission.name }),
    ...(technician
      ? { permissions: admission.permissions ?? [], policy: admission.policy ?? {} }
      : {}),
  };
}
