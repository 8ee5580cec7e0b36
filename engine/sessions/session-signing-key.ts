import {
  signCertificate,
  type ParticipantCertificate,
  type ParticipantCertificateFields,
} from '../../sdk/crypto/participant-certificate.js';
import { toBase64 } from '../../sdk/crypto/bytes.js';
import {
  signAppletTicket,
  type AppletTicket,
  type AppletTicketFile,
} from '../../sdk/session/applet-ticket.js';
import type { KeyStore, SigningKeyPair } from '../contracts/key-store-contract.js';

/** The key store id of the engine's Ed25519 session signing key. */
export const SESSION_SIGNING_KEY_ID = 'engine:session-signing';

/**
 * The engine's session signing key: made on first start, kept in the key store, so every node
 * and every restart signs with the same key and the certificates participants hold stay valid.
 */
export class SessionSigningKey {
  private constructor(private readonly pair: SigningKeyPair) {}

  /** Loads the key, making it on first use. */
  static async load(keys: KeyStore): Promise<SessionSigningKey> {
    return new SessionSigningKey(await keys.signingKeyPair(SESSION_SIGNING_KEY_ID));
  }

  /** The public half, base64, as participants pin it. */
  publicKey(): string {
    return toBase64(this.pair.publicKey);
  }

  /** A certificate over `fields`, signed now. */
  issue(fields: ParticipantCertificateFields): ParticipantCertificate {
    return signCertificate(this.pair.secretKey, fields);
  }

  /** The applet download of one session: `ticket` signed, for `verifyAppletTicket`. */
  signTicket(ticket: AppletTicket): AppletTicketFile {
    return signAppletTicket(this.pair.secretKey, ticket);
  }
}
