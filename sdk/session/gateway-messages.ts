import { isPlainObject } from '../crypto/canonical-json.js';
import type { SessionState } from './gateway-credentials.js';

/** The gateway's `ready`: admitted, with my certificate and those of the peers online now. */
export interface ReadyMessage {
  readonly t: 'ready';
  readonly participantId: string;
  readonly role: string;
  readonly certificate: unknown;
  readonly state: SessionState;
  readonly peers: readonly unknown[];
  /** Every participant holding a place now, connected or not; absent from older engines. */
  readonly seated?: readonly string[];
}

/** A gateway text message the client acts on; anything else is ignored. */
export type GatewayMessage =
  | ReadyMessage
  | { readonly t: 'peer'; readonly certificate: unknown }
  | { readonly t: 'peer-left'; readonly participantId: string; readonly gone: boolean }
  | { readonly t: 'state'; readonly state: SessionState; readonly reason?: string };

const STATES = new Set(['waiting', 'active', 'on-hold', 'transferred', 'closed']);

/** The message in `text`, or `undefined` when it is not JSON of a known, well-formed kind. */
export function parseGatewayMessage(text: string): GatewayMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Not JSON: the caller counts it as a message it ignores.
    return undefined;
  }
  if (!isPlainObject(value)) return undefined;
  return checked(value);
}

function checked(m: Record<string, unknown>): GatewayMessage | undefined {
  switch (m.t) {
    case 'ready':
      if (typeof m.participantId !== 'string' || typeof m.role !== 'string') return undefined;
      if (!isState(m.state) || !Array.isArray(m.peers)) return undefined;
      if (m.seated !== undefined && !isStringList(m.seated)) return undefined;
      return m as unknown as ReadyMessage;
    case 'peer':
      return 'certificate' in m ? { t: 'peer', certificate: m.certificate } : undefined;
    case 'peer-left':
      if (typeof m.participantId !== 'string') return undefined;
      return { t: 'peer-left', participantId: m.participantId, gone: m.gone === true };
    case 'state':
      if (!isState(m.state)) return undefined;
      return { t: 'state', state: m.state, reason: stringOrUndefined(m.reason) };
    default:
      return undefined;
  }
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function isState(value: unknown): value is SessionState {
  return typeof value === 'string' && STATES.has(value);
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
