import type { JsonValue } from '../json-value.js';

/** How far a sign-in has come. Only `active` reaches anything beyond the sign-in routes. */
export type SignInState =
  'password-change-required' | 'second-factor-setup-required' | 'second-factor-required' | 'active';

/** Who holds the token: a browser (cookie, with CSRF) or an API client (bearer). */
export type SignInClient = 'browser' | 'api';

/** One sign-in, found by the SHA-256 of its token; the token itself is never stored. */
export interface SignInSession {
  readonly id: string;
  readonly memberId: string;
  readonly client: SignInClient;
  readonly state: SignInState;
  /** SHA-256 (hex) of the CSRF token of a browser sign-in. */
  readonly csrfHash?: string;
  readonly createdAt: Date;
  readonly lastSeenAt: Date;
  /** When the password (and second factor) were last proven, for forced re-authentication. */
  readonly authenticatedAt: Date;
  readonly expiresAt: Date;
  readonly revokedAt?: Date;
  readonly ip?: string;
  /** Data of a step under way (a pending TOTP secret, sealed; an e-mail code's hash). */
  readonly pending?: JsonValue;
}

/** What a new sign-in starts with. */
export type NewSignInSession = Omit<SignInSession, 'id' | 'revokedAt'> & {
  readonly tokenHash: string;
};

/** Changes to a sign-in; `null` clears `pending`. */
export interface SignInSessionPatch {
  readonly state?: SignInState;
  readonly lastSeenAt?: Date;
  readonly authenticatedAt?: Date;
  readonly expiresAt?: Date;
  readonly pending?: JsonValue | null;
}

/**
 * The sign-ins of one tenant. Promises: a session is found only by the hash of its token and
 * only in its tenant; a revoked session is never returned as usable (callers check
 * `revokedAt`, which `revoke` sets once).
 */
export interface SignInSessionRepository {
  create(session: NewSignInSession): Promise<SignInSession>;
  findByTokenHash(tokenHash: string): Promise<SignInSession | undefined>;
  findById(id: string): Promise<SignInSession | undefined>;
  update(id: string, patch: SignInSessionPatch): Promise<void>;
  revoke(id: string, at: Date): Promise<void>;
  /** Revokes every open sign-in of the member, except `keep` if given; resolves with the count. */
  revokeAllOf(memberId: string, at: Date, keep?: string): Promise<number>;
  /**
   * Deletes the sign-ins that expired, or were revoked, before `before`; resolves with how
   * many. A deleted sign-in's token is refused like an expired one: it is no longer found.
   */
  sweep(before: Date): Promise<number>;
}
