/**
 * How a connection proves it belongs to a session, in its first gateway message: a signed-in
 * technician's token, or the participant id and secret an end user's join returned. (The same
 * shape as the engine's own type; the sdk keeps its copy so it needs no engine internals.)
 */
export type GatewayCredentials =
  | { readonly kind: 'technician'; readonly token: string }
  | { readonly kind: 'end-user'; readonly participantId: string; readonly secret: string };

/** Where a support session is in its life, as the gateway's `ready` and `state` say. */
export type SessionState = 'waiting' | 'active' | 'on-hold' | 'transferred' | 'closed';

/** Consent events the end user's side reports to the engine, for the audit trail. */
export type ConsentReportEvent =
  'consent.asked' | 'consent.granted' | 'consent.denied' | 'consent.revoked';
