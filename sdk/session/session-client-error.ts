/**
 * Why a session client operation failed: `closed` (the client ended), `peer-gone` (the peer
 * left the session for good before acknowledging), `unknown-peer` (no such peer now),
 * `too-big` (a record over the size limit), `not-admitted` (the gateway refused the
 * credentials), `certificate-refused` (a certificate the pinned engine key did not vouch for),
 * `bad-channel` (a channel name that is not 1-255 printable ASCII characters).
 */
export type SessionClientErrorReason =
  | 'closed'
  | 'peer-gone'
  | 'unknown-peer'
  | 'too-big'
  | 'not-admitted'
  | 'certificate-refused'
  | 'bad-channel';

/** A session client failure with a stable `reason`; the message adds detail for people. */
export class SessionClientError extends Error {
  readonly reason: SessionClientErrorReason;

  constructor(reason: SessionClientErrorReason, message: string) {
    super(message);
    this.name = 'SessionClientError';
    this.reason = reason;
  }
}
