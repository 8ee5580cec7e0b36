import type { Principal } from '../contracts/principal.js';

/** The parts of a request that authentication reads. */
export interface Credentials {
  /** `Authorization` header. */
  readonly authorization?: string;
  /** The sign-in cookie's value. */
  readonly sessionCookie?: string;
  /** `X-CSRF-Token` header. */
  readonly csrfToken?: string;
  readonly method: string;
  readonly ip: string;
  /** The API key scope the route needs (`members:read`, `groups:write`), if it has one. */
  readonly scope?: string;
}

/**
 * Turns a request's credentials into the caller, or throws (401 for none or a dead sign-in,
 * 403 for a wrong CSRF token or address). `access` says whether a sign-in still between its
 * steps may pass.
 */
export interface RequestAuthenticator {
  authenticate(credentials: Credentials, access: 'signed-in' | 'sign-in-step'): Promise<Principal>;
}

/** Name of the cookie that carries a browser's sign-in token. */
export const SESSION_COOKIE = 'tether_session';
/** Name of the script-readable cookie that carries its CSRF token. */
export const CSRF_COOKIE = 'tether_csrf';
