import type { JsonValue } from '../contracts/json-value.js';
import type { TenantId } from '../contracts/storage-contract.js';

/** Where a support session is in its life; only the session state machine changes it. */
export type SessionState = 'waiting' | 'active' | 'on-hold' | 'transferred' | 'closed';

/** Who a participant is in a session; the certificate's role. */
export type SessionRole = 'technician' | 'end-user';

/**
 * How a connection proves it belongs to a session, in its first gateway message. A technician's
 * `token` is an API sign-in token, or a single-use gateway ticket (`tgt.…`) that a browser's
 * cookie sign-in asked for at `POST /api/v1/gateway/tickets`.
 */
export type GatewayCredentials =
  | { readonly kind: 'technician'; readonly token: string }
  | { readonly kind: 'end-user'; readonly participantId: string; readonly secret: string };

/** What the gateway asks the sessions service when a connection authenticates. */
export interface AdmissionRequest {
  /** The session GUID. */
  readonly sessionId: string;
  /** The participant's ephemeral X25519 public key, base64. */
  readonly boxKey: string;
  readonly credentials: GatewayCredentials;
  readonly clientIp: string;
}

/** A connection the sessions service let in: everything its certificate carries, and more. */
export interface Admission {
  readonly tenantId: TenantId;
  /** The session GUID (the certificate's sessionId). */
  readonly sessionId: string;
  /** The session's public id, the one lists, logs and the API use. */
  readonly sessionRef: string;
  readonly participantId: string;
  readonly role: SessionRole;
  /** The name the certificate carries: the technician's display name, the end user's own. */
  readonly name?: string;
  /** The signed-in technician; absent for the end user. */
  readonly memberId?: string;
  /** Technicians: the sign-in behind the connection, which the periodic check looks at again. */
  readonly signInId?: string;
  /** Technicians: the group permissions the end user's side enforces. */
  readonly permissions?: readonly string[];
  /** Technicians: the policy the end user's side enforces (`singlePrompt`, `chatText`). */
  readonly policy?: { readonly [key: string]: JsonValue };
  readonly state: SessionState;
  /**
   * Every participant holding a place when admitted, connected or not: a peer the client knew
   * from before that is not among them (nor connected now) left for good meanwhile.
   */
  readonly seated?: readonly string[];
  /**
   * This connection's number among the participant's connections, counted by the storage that
   * every node shares: of two connections of one participant, the higher number stays.
   */
  readonly connection: number;
}

/** Consent outcomes the end user's side reports, for the audit trail. */
export type ConsentReportEvent =
  'consent.asked' | 'consent.granted' | 'consent.denied' | 'consent.revoked';

/**
 * What the gateway needs of the sessions service. Promises: `admit` lets in only a participant
 * of a session that is not closed, with valid credentials, and rejects with
 * TETHER_E_NOT_ADMITTED otherwise (one code whatever the reason, so nothing leaks); the other
 * calls record what happened and never throw for a session that closed meanwhile.
 */
export interface SessionGatewayPort {
  admit(request: AdmissionRequest): Promise<Admission>;
  /** A participant's connection is up: the first end user arrival makes the session active. */
  connected(admission: Admission): Promise<void>;
  /** A participant's connection closed; the grace period starts for an end user. */
  disconnected(admission: Admission): Promise<void>;
  /** The connection answered a keepalive ping: the participant is still there. */
  seen(admission: Admission): Promise<void>;
  /** The participant ended the session. */
  end(admission: Admission): Promise<void>;
  /** The end user's side reported a consent event. */
  report(admission: Admission, event: ConsentReportEvent, permission: string): Promise<void>;
  /** Adds relayed bytes to the session's count (written out in batches). */
  countBytes(admission: Admission, bytes: number): void;
  /** Lets a signed-in technician watch its groups' queues; TETHER_E_NOT_ADMITTED otherwise. */
  watchQueues(token: string, clientIp: string): Promise<QueueWatch>;
  /**
   * Checks a technician's admission again (the sign-in behind it still holds, the seat is still
   * theirs, the session still open) without its credentials, which may have been a single-use
   * ticket; resolves with the admission as it holds now, or rejects TETHER_E_NOT_ADMITTED.
   */
  recheckAdmission(admission: Admission, clientIp: string): Promise<Admission>;
  /** {@link recheckAdmission} for a queue watcher: the sign-in and the member still hold. */
  recheckWatch(watch: QueueWatch, clientIp: string): Promise<QueueWatch>;
}

/** A technician's console asking for its groups' queues, live. */
export interface QueueWatch {
  readonly tenantId: TenantId;
  readonly memberId: string;
  /** The sign-in behind the watch, which the periodic check looks at again. */
  readonly signInId: string;
  /** The groups whose queues the member sees. */
  readonly groupIds: readonly string[];
}

/** One change in a group's queue, as the sessions service publishes it on the bus. */
export interface QueueChange {
  readonly t: 'queue';
  readonly groupId: string;
  readonly change: 'arrived' | 'picked-up' | 'left';
  readonly session: {
    readonly ref: string;
    readonly endUserName?: string;
    readonly state: SessionState;
    readonly createdAt: string;
  };
}

/** The bus topic of a group's queue changes. */
export function queueTopic(tenantId: TenantId, groupId: string): string {
  return `queue:${tenantId}:${groupId}`;
}

/**
 * What the sessions service publishes on the bus topic {@link sessionControlTopic} so every
 * gateway node acts on it: a new state for all connections, or one participant removed.
 */
export type SessionControlMessage =
  | { readonly t: 'state'; readonly state: SessionState; readonly reason?: string }
  | { readonly t: 'removed'; readonly participantId: string };

/** The bus topic of a session's control messages. */
export function sessionControlTopic(sessionId: string): string {
  return `session:${sessionId}:control`;
}
