import type { BusMessage } from '../contracts/bus-contract.js';
import type { JsonValue } from '../contracts/json-value.js';
import type { ParticipantCertificate } from '../../sdk/crypto/participant-certificate.js';

/**
 * What gateway nodes tell each other about a session's connections, on `session:<id>:peers`.
 * `nonce` names one connection, so a reconnect of the same participant is told apart.
 * - `who`: a connection is joining; every ready connection answers it with a `present`.
 * - `announce`: a connection is ready; peers forward it as `peer`, and a connection of the same
 *   participant with a lower `connection` number (opened before it, on any node) closes as
 *   replaced.
 * - `left`: a ready connection closed (`gone` when removed); peers forward it as `peer-left`.
 */
export type PeerMessage =
  | { readonly t: 'who'; readonly participantId: string; readonly nonce: string }
  | {
      readonly t: 'announce';
      readonly participantId: string;
      readonly nonce: string;
      /** The participant's connection number from the storage (Admission.connection). */
      readonly connection: number;
      readonly certificate: ParticipantCertificate;
    }
  | {
      readonly t: 'left';
      readonly participantId: string;
      readonly nonce: string;
      readonly gone: boolean;
    };

/** A ready connection's answer to `who`, on `session:<id>:to:<participantId>` of the asker. */
export interface PresentMessage {
  readonly t: 'present';
  /** The asking connection's nonce. */
  readonly nonce: string;
  readonly participantId: string;
  /** The answering connection's nonce. */
  readonly peerNonce: string;
  readonly certificate: ParticipantCertificate;
}

/** The topic of a session's peer messages. */
export function peersTopic(sessionId: string): string {
  return `session:${sessionId}:peers`;
}

/** The topic of what is addressed to one participant: relayed frames and `present` answers. */
export function directTopic(sessionId: string, participantId: string): string {
  return `session:${sessionId}:to:${participantId}`;
}

/** A peer message as the bus carries it. */
export function toBusMessage(message: PeerMessage | PresentMessage): BusMessage {
  return message as unknown as JsonValue;
}

/** The peer message on the bus, or undefined when it is not one (logged by the caller). */
export function readPeerMessage(message: BusMessage): PeerMessage | undefined {
  const fields = objectOf(message);
  if (!fields || !isString(fields.participantId) || !isString(fields.nonce)) return undefined;
  if (fields.t === 'who') return fields as unknown as PeerMessage;
  if (fields.t === 'left' && typeof fields.gone === 'boolean') {
    return fields as unknown as PeerMessage;
  }
  if (fields.t === 'announce' && Number.isSafeInteger(fields.connection) && isCertificate(fields)) {
    return fields as unknown as PeerMessage;
  }
  return undefined;
}

/** The `present` answer on the bus, or undefined when it is not one. */
export function readPresentMessage(message: BusMessage): PresentMessage | undefined {
  const fields = objectOf(message);
  if (!fields || fields.t !== 'present' || !isString(fields.nonce)) return undefined;
  if (!isString(fields.participantId) || !isString(fields.peerNonce)) return undefined;
  return isCertificate(fields) ? (fields as unknown as PresentMessage) : undefined;
}

function objectOf(message: BusMessage): Record<string, unknown> | undefined {
  if (typeof message !== 'object' || message === null || message instanceof Uint8Array) {
    return undefined;
  }
  return Array.isArray(message) ? undefined : (message as Record<string, unknown>);
}

function isString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

function isCertificate(fields: Record<string, unknown>): boolean {
  const certificate = fields.certificate as Record<string, unknown> | null | undefined;
  return typeof certificate === 'object' && certificate !== null && 'signature' in certificate;
}
