import { z } from 'zod';
import { PARTICIPANT_ID_PATTERN } from '../../sdk/crypto/participant-certificate.js';
import { fromBase64 } from '../../sdk/crypto/bytes.js';
import { PERMISSION_ID_PATTERN } from '../contracts/permission-contract.js';

/** The close codes of docs/protocol.md ("Close codes"), by name. */
export const CLOSE = {
  goingAway: 1001,
  tooBig: 1009,
  internal: 1011,
  badMessage: 4000,
  authTimeout: 4001,
  notAdmitted: 4003,
  replaced: 4010,
  removed: 4011,
  sessionEnded: 4100,
} as const;

/** Auth (or watch) must arrive within this long after the upgrade. */
export const AUTH_TIMEOUT_MS = 10_000;

/** The largest text message a client may send. */
export const MAX_TEXT_BYTES = 64 * 1024;

/**
 * Bytes a connection may have waiting to be written before the gateway drops further frames for
 * it: a recipient that reads slower than its peer sends cannot make the engine's memory grow.
 * It is twice a session client's send window (16 MiB per peer), so a client that keeps to its
 * window never loses a frame here; the records layer resends what was dropped otherwise.
 */
export const MAX_UNSENT_BYTES = 32 * 1024 * 1024;

/**
 * Unsent bytes towards a recipient above which the gateway stops reading the sender of the next
 * frame for it until that frame is written, so frames wait in the senders' TCP buffers rather
 * than in the engine's heap (recipient-flow.ts).
 */
export const RELAY_HIGH_WATER_BYTES = 1024 * 1024;

/**
 * The longest a sender is held for one frame. A recipient that writes nothing for this long is
 * taken as stalled: its senders are read on, and MAX_UNSENT_BYTES bounds what waits for it.
 */
export const MAX_SENDER_HOLD_MS = 1_000;

/** How long a certificate the gateway issues stays valid. */
export const CERTIFICATE_LIFETIME_MS = 12 * 60 * 60 * 1000;

const id = z.string().regex(PARTICIPANT_ID_PATTERN);
const secret = z.string().min(1).max(4096);
const boxKey = z.string().refine((text) => fromBase64(text, 32) !== undefined);
const permission = z.string().regex(PERMISSION_ID_PATTERN);

const credentials = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('technician'), token: secret }),
  z.strictObject({ kind: z.literal('end-user'), participantId: id, secret }),
]);

const clientMessage = z.discriminatedUnion('t', [
  z.strictObject({ t: z.literal('auth'), v: z.literal(1), sessionId: id, boxKey, credentials }),
  z.strictObject({ t: z.literal('watch'), v: z.literal(1), token: secret }),
  z.strictObject({ t: z.literal('end') }),
  z.strictObject({
    t: z.literal('report'),
    event: z.enum(['consent.asked', 'consent.granted', 'consent.denied', 'consent.revoked']),
    permission,
  }),
]);

/** A text message a client may send, validated. */
export type ClientMessage = z.infer<typeof clientMessage>;

/** Parses one text message; undefined for bad JSON, an unknown `t` or wrong fields. */
export function parseClientMessage(text: string): ClientMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = clientMessage.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** A close reason as ws accepts it: at most 123 bytes of UTF-8, cut at a character. */
export function closeText(reason: string): string {
  let text = reason;
  while (Buffer.byteLength(text) > 123) text = text.slice(0, -1);
  return text;
}
