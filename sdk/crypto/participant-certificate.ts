import nacl from 'tweetnacl';
import type { JsonValue } from '../../engine/contracts/json-value.js';
import { ProgrammerError } from '../../engine/errors.js';
import { fromBase64, toBase64, utf8 } from './bytes.js';
import { canonicalJson, isPlainObject } from './canonical-json.js';
import { CertificateError } from './certificate-error.js';

/**
 * Session and participant ids: printable, no spaces and no `>`, so the key-schedule label
 * `tether/v1 <from>-><to>` can never read the same for two different pairs.
 */
export const PARTICIPANT_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** The longest `name` a certificate carries, in UTF-16 code units. */
export const MAX_CERTIFICATE_NAME = 200;

/** The role a certificate grants; consent rules at the end user's side key off it. */
export type ParticipantRole = 'technician' | 'end-user';

/** What the engine vouches for about one participant of one session (format version 1). */
export interface ParticipantCertificateFields {
  readonly v: 1;
  readonly sessionId: string;
  readonly participantId: string;
  readonly role: ParticipantRole;
  /** The participant's ephemeral X25519 public key, 32 bytes in padded base64. */
  readonly boxKey: string;
  /** The instant the certificate stops being valid, as `Date.prototype.toISOString` writes it. */
  readonly expiresAt: string;
  /**
   * The participant's name as the engine knows it (a technician's display name, the name the
   * end user typed at the join), at most {@link MAX_CERTIFICATE_NAME} characters. It is vouched
   * for, not vetted: show it as text, never as markup.
   */
  readonly name?: string;
  /** Technicians only: the group permissions the end-user side checks before acting. */
  readonly permissions?: readonly string[];
  /** Technicians only: group policy (recording forced, chat text omitted, ...). */
  readonly policy?: { readonly [key: string]: JsonValue };
}

/** Fields plus the engine's Ed25519 signature (64 bytes, base64) over their canonical JSON. */
export interface ParticipantCertificate {
  readonly fields: ParticipantCertificateFields;
  readonly signature: string;
}

const FIELD_NAMES = new Set([
  'v',
  'sessionId',
  'participantId',
  'role',
  'boxKey',
  'expiresAt',
  'name',
  'permissions',
  'policy',
]);

/**
 * Signs `fields` with the engine's Ed25519 secret key (tweetnacl's 64-byte layout). Fields that
 * a verifier would call malformed are a ProgrammerError here: the engine must never sign them.
 */
export function signCertificate(
  secretKey64: Uint8Array,
  fields: ParticipantCertificateFields,
): ParticipantCertificate {
  if (secretKey64.length !== nacl.sign.secretKeyLength) {
    throw new ProgrammerError('the signing key must be a 64-byte Ed25519 secret key');
  }
  const problem = fieldsProblem(fields);
  if (problem !== undefined) throw new ProgrammerError(`certificate fields: ${problem}`);

  const text = canonicalJson(fields);
  if (text === undefined) throw new ProgrammerError('certificate fields are not plain JSON');
  const signature = nacl.sign.detached(utf8(text), secretKey64);
  return {
    fields: JSON.parse(text) as ParticipantCertificateFields,
    signature: toBase64(signature),
  };
}

/**
 * The fields of `certificate` (any parsed JSON) once it is proven signed by `publicKey32` and
 * unexpired at `now`; otherwise a {@link CertificateError}. The signature is checked before the
 * field contents, so any change to signed bytes reads 'bad-signature'.
 *
 * The caller must still compare `sessionId` with its own session, and the role with the one it
 * expects: a valid certificate of another session is still a valid certificate.
 */
export function verifyCertificate(
  publicKey32: Uint8Array,
  certificate: unknown,
  now: Date,
): ParticipantCertificateFields {
  if (publicKey32.length !== nacl.sign.publicKeyLength) {
    throw new ProgrammerError('the engine key must be a 32-byte Ed25519 public key');
  }
  const { fields, signed, signature } = envelope(certificate);
  if (!nacl.sign.detached.verify(signed, signature, publicKey32)) {
    throw new CertificateError('bad-signature', 'the engine did not sign this certificate');
  }

  const problem = fieldsProblem(fields);
  if (problem !== undefined) throw new CertificateError('malformed', `signed fields: ${problem}`);
  const valid = fields as unknown as ParticipantCertificateFields;
  if (Date.parse(valid.expiresAt) <= now.getTime()) {
    throw new CertificateError('expired', `the certificate expired at ${valid.expiresAt}`);
  }
  return valid;
}

interface Envelope {
  readonly fields: Record<string, unknown>;
  readonly signed: Uint8Array;
  readonly signature: Uint8Array;
}

function envelope(certificate: unknown): Envelope {
  const malformed = (why: string) => new CertificateError('malformed', why);
  if (!isPlainObject(certificate)) throw malformed('a certificate is an object');
  const keys = Object.keys(certificate).sort().join(',');
  if (keys !== 'fields,signature') throw malformed('a certificate has fields and signature only');

  const { fields, signature } = certificate;
  if (!isPlainObject(fields)) throw malformed('fields is not an object');
  const text = canonicalJson(fields);
  if (text === undefined) throw malformed('fields are not plain JSON');

  const bytes = typeof signature === 'string' ? fromBase64(signature, 64) : undefined;
  if (bytes === undefined) throw malformed('signature is not 64 bytes of base64');
  return { fields, signed: utf8(text), signature: bytes };
}

/** What is wrong with `fields`, in words, or `undefined` when they are well formed. */
function fieldsProblem(fields: object): string | undefined {
  const f = fields as Record<string, unknown>;
  const unknown = Object.keys(f).find((key) => !FIELD_NAMES.has(key));
  if (unknown !== undefined) return `unknown field ${JSON.stringify(unknown)}`;
  if (f.v !== 1) return 'v must be 1';
  if (!isId(f.sessionId)) return 'sessionId is not an id';
  if (!isId(f.participantId)) return 'participantId is not an id';
  if (f.role !== 'technician' && f.role !== 'end-user') return 'role is unknown';
  if (typeof f.boxKey !== 'string' || !fromBase64(f.boxKey, 32)) return 'boxKey is not 32 bytes';
  if (!isIsoInstant(f.expiresAt)) return 'expiresAt is not an ISO instant';
  if (f.name !== undefined && !isName(f.name)) return 'name is not a short string';
  return grantsProblem(f);
}

function grantsProblem(f: Record<string, unknown>): string | undefined {
  if (f.role !== 'technician' && (f.permissions !== undefined || f.policy !== undefined)) {
    return 'only a technician carries permissions or policy';
  }
  const { permissions, policy } = f;
  if (permissions !== undefined && !isStringArray(permissions)) {
    return 'permissions must be strings';
  }
  if (policy !== undefined && (!isPlainObject(policy) || canonicalJson(policy) === undefined)) {
    return 'policy must be a JSON object';
  }
  return undefined;
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && PARTICIPANT_ID_PATTERN.test(value);
}

function isName(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_CERTIFICATE_NAME;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function isIsoInstant(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const time = Date.parse(value);
  return Number.isFinite(time) && new Date(time).toISOString() === value;
}
