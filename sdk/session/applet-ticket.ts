import nacl from 'tweetnacl';
import { ProgrammerError } from '../../engine/errors.js';
import { fromBase64, toBase64, utf8 } from '../crypto/bytes.js';
import { canonicalJson, isPlainObject } from '../crypto/canonical-json.js';
import { CertificateError } from '../crypto/certificate-error.js';
import { PARTICIPANT_ID_PATTERN } from '../crypto/participant-certificate.js';

/**
 * What the per-session applet download carries: where to connect, which session, the end
 * user's credentials, and the engine's Ed25519 public key that the applet pins.
 */
export interface AppletTicket {
  /** The engine's https URL. */
  readonly server: string;
  /** The session GUID. */
  readonly sessionId: string;
  readonly participantId: string;
  /** The end user's secret for gateway admission. */
  readonly secret: string;
  /** The engine's session signing key, 32 bytes in base64. */
  readonly engineKey: string;
  /** The instant after which the ticket is refused, as `toISOString` writes it. */
  readonly expiresAt: string;
}

/** The downloaded file: the ticket and the engine's Ed25519 signature over its canonical JSON. */
export interface AppletTicketFile {
  readonly ticket: AppletTicket;
  /** 64 bytes, base64. */
  readonly signature: string;
}

const TICKET_FIELDS = ['engineKey', 'expiresAt', 'participantId', 'secret', 'server', 'sessionId'];

/** Signs `ticket` with the engine's 64-byte Ed25519 secret key (tweetnacl layout). */
export function signAppletTicket(secretKey64: Uint8Array, ticket: AppletTicket): AppletTicketFile {
  if (secretKey64.length !== nacl.sign.secretKeyLength) {
    throw new ProgrammerError('the signing key must be a 64-byte Ed25519 secret key');
  }
  const problem = ticketProblem(ticket);
  if (problem !== undefined) throw new ProgrammerError(`applet ticket: ${problem}`);
  const text = canonicalJson(ticket) as string;
  const signature = nacl.sign.detached(utf8(text), secretKey64);
  return { ticket: JSON.parse(text) as AppletTicket, signature: toBase64(signature) };
}

/**
 * The ticket of an applet file (any parsed JSON) once its signature checks out against the
 * ticket's own `engineKey` and it has not expired at `now`; otherwise a CertificateError
 * (`malformed`, `bad-signature`, `expired`).
 *
 * The signature proves only that the file is whole and came from the holder of `engineKey`:
 * the applet then pins that key for the whole session, and refuses every participant
 * certificate (its own and its peers') signed by any other key, so an engine or gateway that
 * swaps keys later cannot slip into the session.
 */
export function verifyAppletTicket(file: unknown, now: Date): AppletTicket {
  const malformed = (why: string) => new CertificateError('malformed', why);
  if (!isPlainObject(file)) throw malformed('an applet file is an object');
  if (Object.keys(file).sort().join(',') !== 'signature,ticket') {
    throw malformed('an applet file has ticket and signature only');
  }
  const { ticket, signature } = file;
  const problem = ticketProblem(ticket);
  if (problem !== undefined) throw malformed(`ticket: ${problem}`);
  const valid = ticket as AppletTicket;
  const key = fromBase64(valid.engineKey, 32) as Uint8Array;
  const bytes = typeof signature === 'string' ? fromBase64(signature, 64) : undefined;
  if (!bytes) throw malformed('signature is not 64 bytes of base64');
  if (!nacl.sign.detached.verify(utf8(canonicalJson(valid) as string), bytes, key)) {
    throw new CertificateError('bad-signature', 'the ticket is not signed by its engine key');
  }
  if (Date.parse(valid.expiresAt) <= now.getTime()) {
    throw new CertificateError('expired', `the ticket expired at ${valid.expiresAt}`);
  }
  return valid;
}

function ticketProblem(ticket: unknown): string | undefined {
  if (!isPlainObject(ticket)) return 'not an object';
  const t = ticket as Record<string, unknown>;
  if (Object.keys(t).sort().join(',') !== TICKET_FIELDS.join(',')) {
    return `fields must be ${TICKET_FIELDS.join(', ')}`;
  }
  if (!Object.values(t).every((value) => typeof value === 'string')) return 'fields are strings';
  if (!/^https:\/\/\S+$/.test(t.server as string)) return 'server is not an https URL';
  if (!PARTICIPANT_ID_PATTERN.test(t.sessionId as string)) return 'sessionId is not an id';
  if (!PARTICIPANT_ID_PATTERN.test(t.participantId as string)) return 'participantId is not an id';
  if (!fromBase64(t.engineKey as string, 32)) return 'engineKey is not 32 bytes of base64';
  const time = Date.parse(t.expiresAt as string);
  if (!Number.isFinite(time) || new Date(time).toISOString() !== t.expiresAt) {
    return 'expiresAt is not an ISO instant';
  }
  return undefined;
}
