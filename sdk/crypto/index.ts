/**
 * Tether's end-to-end encryption core: the engine-signed participant certificate, the pairwise
 * key schedule with its short authentication string, and the AES-256-GCM frames the gateway
 * relays without being able to read them. Primitives sit behind {@link CryptoBackend} (Node's
 * is the default) and its async twin {@link AsyncCryptoBackend} (WebCrypto in browsers).
 */

/** Canonical JSON (keys sorted at every depth), the byte form certificates are signed in. */
export { canonicalJson } from './canonical-json.js';

/** The reason-carrying error a refused certificate throws, and its reasons. */
export { CertificateError, type CertificateErrorReason } from './certificate-error.js';

/** Engine-side signing and participant-side verification of participant certificates. */
export {
  PARTICIPANT_ID_PATTERN,
  signCertificate,
  verifyCertificate,
  type ParticipantCertificate,
  type ParticipantCertificateFields,
  type ParticipantRole,
} from './participant-certificate.js';

/** Pairwise send and receive keys, and the six-digit string people compare. */
export {
  KeyAgreementError,
  deriveChannelKeys,
  shortAuthenticationString,
  type ChannelKeyInput,
  type ChannelKeys,
} from './channel-keys.js';

/** Sealing and opening of relayed frames, with replay, reorder and forgery detection. */
export {
  FRAME_HEADER_LENGTH,
  FRAME_TAG_LENGTH,
  FRAME_VERSION,
  MAX_FRAME_COUNTER,
  FrameOpener,
  FrameSealer,
  frameDirection,
  type FrameDirection,
  type FrameDropReason,
  type FrameOpenResult,
  type FrameOpenerStats,
} from './frame-cipher.js';

/** The same frames over an async backend (WebCrypto), byte for byte. */
export { AsyncFrameOpener, AsyncFrameSealer } from './async-frame-cipher.js';

/** The same keys and short authentication string over an async backend. */
export { deriveChannelKeysAsync, shortAuthenticationStringAsync } from './async-channel-keys.js';

/** The interfaces a platform's primitives implement, and the node:crypto and WebCrypto ones. */
export {
  asyncCryptoBackend,
  type AsyncCryptoBackend,
  type CryptoBackend,
  type Plaintext,
} from './crypto-backend.js';
export { nodeAsyncCryptoBackend, nodeCryptoBackend } from './node-crypto-backend.js';
export { webCryptoBackend } from './web-crypto-backend.js';
