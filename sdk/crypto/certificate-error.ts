/** Why a participant certificate was refused; stable strings, safe to log and to test on. */
export type CertificateErrorReason = 'bad-signature' | 'expired' | 'malformed';

/**
 * A participant certificate that must not be trusted. `reason` tells why; the message adds
 * detail for logs but never certificate contents beyond field names.
 */
export class CertificateError extends Error {
  readonly reason: CertificateErrorReason;

  constructor(reason: CertificateErrorReason, message: string) {
    super(message);
    this.name = 'CertificateError';
    this.reason = reason;
  }
}
