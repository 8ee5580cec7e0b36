import type { JsonValue } from '../../engine/contracts/json-value.js';
import type { AsyncCryptoBackend } from '../crypto/crypto-backend.js';
import type { FrameDropReason } from '../crypto/frame-format.js';
import type {
  ParticipantCertificateFields,
  ParticipantRole,
} from '../crypto/participant-certificate.js';
import type { GatewayCredentials, SessionState } from './gateway-credentials.js';
import type { RecordDropReason } from './peer-link.js';
import type { ReconnectOptions } from './reconnect-backoff.js';
import type { SessionLogger } from './session-logger.js';
import type { WebSocketFactory } from './web-socket-like.js';

/** How to reach and trust the gateway, and who this participant is. */
export interface SessionClientOptions {
  /** The gateway address, `wss://<engine>/gateway`. */
  readonly url: string;
  /** The engine's Ed25519 public key (base64), pinned: only certificates it signed count. */
  readonly engineKey: string;
  /** The session GUID. */
  readonly sessionId: string;
  readonly credentials: GatewayCredentials;
  /**
   * Credentials for each connection after the first, when those of the last one cannot be used
   * again: a browser's technician fetches a fresh single-use gateway ticket here. A rejection
   * counts as a dropped connection (the client retries with backoff).
   */
  readonly renewCredentials?: () => Promise<GatewayCredentials>;
  /** When set, a peer certificate of another role is refused (the applet: `technician`). */
  readonly expectedPeerRole?: ParticipantRole;
  /** Opens WebSockets: `nodeWebSocketFactory(...)` in Node, the global one in browsers. */
  readonly webSocket: WebSocketFactory;
  /** AES-GCM, SHA-256 and HKDF: `nodeAsyncCryptoBackend` or `webCryptoBackend()`. */
  readonly backend: AsyncCryptoBackend;
  readonly logger?: SessionLogger;
  readonly reconnect?: ReconnectOptions;
  /** Unacknowledged records per peer before `send` waits (default 256 and 16 MiB). */
  readonly window?: { readonly maxRecords?: number; readonly maxBytes?: number };
  /** Quiet milliseconds after which unacknowledged records are resent (default 1000). */
  readonly retransmitMs?: number;
  /** The time certificates are checked against (default the system clock). */
  readonly now?: () => Date;
}

/** A peer as its verified certificate describes it. */
export interface SessionPeer {
  readonly participantId: string;
  readonly role: ParticipantRole;
  /** Technicians: the group permissions the end user's side enforces; else empty. */
  readonly permissions: readonly string[];
  /** Technicians: the group policy (`singlePrompt`, `chatText`, ...); else empty. */
  readonly policy: { readonly [key: string]: JsonValue };
  /** Six digits both people can compare; equal on both sides unless a key was swapped. */
  readonly sas: string;
  /** Whether the peer's connection is up now. */
  readonly connected: boolean;
  readonly certificate: ParticipantCertificateFields;
}

/** One DATA record delivered: in order and once per sender. */
export interface SessionMessage {
  readonly channel: string;
  readonly body: Uint8Array;
  readonly from: string;
}

/** Why the client ended: the gateway's close code and text, or the client's own reason. */
export interface SessionClosed {
  readonly code: number;
  readonly reason: string;
}

/** Why a frame was dropped: the frame opener's reasons and the records layer's. */
export type SessionDropReason =
  FrameDropReason | RecordDropReason | 'unknown-peer' | 'bad-envelope';

/** Frames opened, and frames dropped by reason, over the client's life. */
export interface SessionClientStats {
  readonly opened: number;
  readonly dropped: Readonly<Record<SessionDropReason, number>>;
}

/** The events of a {@link SessionClient}. */
export interface SessionClientEvents {
  [name: string]: unknown;
  /** Admitted (again): my certificate checked. */
  ready: { readonly participantId: string; readonly role: ParticipantRole };
  /** A peer's certificate arrived: new, reconnected, or restarted with a new key. */
  'peer-joined': { readonly peer: SessionPeer; readonly change: 'new' | 'back' | 'restarted' };
  /** A peer's connection closed; `gone` when it left the session for good. */
  'peer-left': { readonly participantId: string; readonly gone: boolean };
  state: { readonly state: SessionState; readonly reason?: string };
  message: SessionMessage;
  /** The connection dropped and the client retries after `delayMs`. */
  reconnecting: { readonly attempt: number; readonly delayMs: number; readonly code: number };
  /** The client ended for good; emitted once. */
  closed: SessionClosed;
}
