/**
 * What an end user gets from `POST /api/v1/sessions/join` (or a queue arrival): the gateway
 * credentials of one session, shown only then. The applet download carries the same inside a
 * signed ticket.
 */
export interface JoinedSession {
  /** The session GUID, the certificates' `sessionId`. */
  readonly sessionId: string;
  readonly participantId: string;
  /** The end user's secret for gateway admission; never stored in the clear by the engine. */
  readonly secret: string;
  /** The engine's Ed25519 session signing key, base64: the key the client pins. */
  readonly engineKey: string;
  /** `wss://…/gateway`. */
  readonly gatewayUrl: string;
  /** The end user must connect by then, or the session closes (`connection-lost`). */
  readonly expiresAt: string;
}
