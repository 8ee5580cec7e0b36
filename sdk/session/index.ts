/**
 * The session client both sides of a support session use, in Node and in browsers: the
 * gateway connection with its certificates and per-peer keys, the records layer (ordered,
 * exactly-once, acknowledged), end-user and technician consent, and chat.
 */

/** The client, its options, peers, events and stats. */
export {
  CERTIFICATE_REFUSED_CODE,
  MAX_RECORD_BODY_BYTES,
  SessionClient,
  type SessionClientEvents,
  type SessionClientOptions,
  type SessionClientStats,
  type SessionClosed,
  type SessionDropReason,
  type SessionMessage,
  type SessionPeer,
} from './session-client.js';

/** Its errors, with a stable reason. */
export { SessionClientError, type SessionClientErrorReason } from './session-client-error.js';

/** Credentials, session states and consent report events, as the gateway speaks them. */
export type {
  ConsentReportEvent,
  GatewayCredentials,
  SessionState,
} from './gateway-credentials.js';

/** The WebSocket shape the client needs, and the logger it writes to. */
export {
  WEB_SOCKET_OPEN,
  type WebSocketCloseEvent,
  type WebSocketFactory,
  type WebSocketLike,
} from './web-socket-like.js';
export { silentSessionLogger, type SessionLogger } from './session-logger.js';
export type { ReconnectOptions } from './reconnect-backoff.js';

/** The end user's side of consent: answers requests, and the gate every action must pass. */
export {
  EndUserConsent,
  type ConsentQuestion,
  type EndUserConsentOptions,
} from './end-user-consent.js';

/** The technician's side of consent: asks, and tracks grants and revokes. */
export { TechnicianConsent, type TechnicianConsentEvents } from './technician-consent.js';

/** The consent channel's bodies. */
export {
  CONSENT_CHANNEL,
  type ConsentBody,
  type ConsentDecisionBody,
  type ConsentRequestBody,
  type ConsentRevokeBody,
} from './consent-messages.js';

/** Chat with ids, de-duplication and a typing indicator. */
export {
  CHAT_CHANNEL,
  ChatChannel,
  MAX_CHAT_TEXT,
  type ChatChannelEvents,
  type ChatChannelOptions,
  type ChatMessage,
  type SentChat,
} from './chat-channel.js';
/** Where sent chat waits for acknowledgement, so a restart loses none of it. */
export { parseOutgoingChats, type ChatOutbox, type OutgoingChat } from './chat-outbox.js';
/** A chat outbox in a page's storage, so a reload loses no chat. */
export { StoredChatOutbox } from './stored-chat-outbox.js';
/** Text kept under names: what a page's storage gives a panel or a sender. */
export type { TextStore } from './text-store.js';

/** The technician side's record of the chat, posted to the engine's chat plugin. */
export {
  TranscriptSender,
  type TranscriptEntry,
  type TranscriptPost,
  type TranscriptSenderOptions,
} from './transcript-sender.js';

/** What joining a session gives an end user, and the signed per-session applet download. */
export type { JoinedSession } from './joined-session.js';
export {
  signAppletTicket,
  verifyAppletTicket,
  type AppletTicket,
  type AppletTicketFile,
} from './applet-ticket.js';
