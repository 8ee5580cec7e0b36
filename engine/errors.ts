/**
 * The one catalogue of Tether's errors. Every error a client, an operator or a plugin author can
 * meet has a stable code here, the HTTP status it maps to and whether its message may reach a
 * client. `docs/errors.md` lists the same codes; a test keeps the two in step.
 */

/** What the catalogue knows of one error code. */
export interface ErrorSpec {
  /** HTTP status the error maps to when it ends a request. */
  readonly status: number;
  /** Message used when the thrower gives none. */
  readonly message: string;
  /** Whether the message may reach a client; when false the client sees the default message. */
  readonly expose: boolean;
}

function spec(status: number, message: string, expose = true): ErrorSpec {
  return { status, message, expose };
}

export const ERROR_CATALOGUE = {
  TETHER_E_INTERNAL: spec(500, 'Internal error', false),
  TETHER_E_NOT_FOUND: spec(404, 'No such resource'),
  TETHER_E_METHOD_NOT_ALLOWED: spec(405, 'Method not allowed on this resource'),
  TETHER_E_BAD_JSON: spec(400, 'The request body is not valid JSON'),
  TETHER_E_VALIDATION: spec(400, 'The request is not valid'),
  TETHER_E_BODY_TOO_LARGE: spec(413, 'The request body is too large'),
  TETHER_E_UNSUPPORTED_MEDIA_TYPE: spec(415, 'The request body must be application/json'),
  TETHER_E_UNAUTHORIZED: spec(401, 'Authentication required'),
  TETHER_E_NOT_READY: spec(503, 'The engine is not ready'),
  TETHER_E_CONFIG: spec(500, 'Invalid configuration', false),
  TETHER_E_STORAGE: spec(500, 'Storage failure', false),
  TETHER_E_TENANT_REQUIRED: spec(500, 'A tenant-owned query was made without a tenant', false),
  TETHER_E_CONFLICT: spec(409, 'The resource already exists'),
  TETHER_E_KEY_STORE: spec(500, 'Key store failure', false),
  TETHER_E_KEY_NOT_FOUND: spec(404, 'No such key'),
  TETHER_E_DECRYPT: spec(500, 'Encrypted data failed authentication', false),
  TETHER_E_MODULE: spec(500, 'An engine module failed to load', false),
  TETHER_E_CONTRACT_UNAVAILABLE: spec(500, 'No module provides this contract', false),
  TETHER_E_PLUGIN_MANIFEST: spec(500, 'Invalid plugin manifest', false),
  TETHER_E_PLUGIN_LOAD: spec(500, 'The plugin could not be loaded', false),
  TETHER_E_PLUGIN_DUPLICATE: spec(500, 'Two plugins have the same name', false),
  TETHER_E_PLUGIN_ENGINE_RANGE: spec(500, 'The plugin does not support this engine', false),
  TETHER_E_PLUGIN_DEPENDENCY_MISSING: spec(500, 'A plugin it needs is missing', false),
  TETHER_E_PLUGIN_DEPENDENCY_CYCLE: spec(500, 'Plugins need each other in a cycle', false),
  TETHER_E_PLUGIN_ACTIVATE_FAILED: spec(500, 'The plugin failed to activate', false),
  TETHER_E_PLUGIN_ACTIVATE_TIMEOUT: spec(500, 'The plugin did not activate in time', false),
  TETHER_E_PLUGIN_DEACTIVATE_TIMEOUT: spec(500, 'The plugin did not stop in time', false),
  TETHER_E_PLUGIN_UNDECLARED_CONTRACT: spec(500, 'The plugin did not declare this contract', false),
  TETHER_E_PLUGIN_DISPOSED: spec(500, 'The plugin is no longer active', false),
  TETHER_E_ROUTE_CONFLICT: spec(500, 'A route with this method and path exists', false),
  TETHER_E_FORBIDDEN: spec(403, 'Not allowed'),
  TETHER_E_SIGN_IN_FAILED: spec(401, 'Wrong e-mail or password, or the account is locked'),
  TETHER_E_SECOND_FACTOR_FAILED: spec(401, 'The code is wrong or has expired'),
  TETHER_E_SESSION_EXPIRED: spec(401, 'The sign-in has ended; sign in again'),
  TETHER_E_REAUTH_REQUIRED: spec(401, 'Sign in again to continue'),
  TETHER_E_SIGN_IN_INCOMPLETE: spec(403, 'Finish signing in first'),
  TETHER_E_CSRF: spec(403, 'The CSRF token is missing or wrong'),
  TETHER_E_IP_NOT_ALLOWED: spec(403, 'Not allowed from this address'),
  TETHER_E_PASSWORD_POLICY: spec(400, 'The password does not meet the policy'),
  TETHER_E_SSO_FAILED: spec(401, 'Single sign-on failed'),
  TETHER_E_SSO_DISABLED: spec(403, 'Single sign-on is disabled for this account'),
  TETHER_E_RATE_LIMITED: spec(429, 'Too many attempts; try again later'),
  TETHER_E_LOCKED_SETTING: spec(403, 'A higher administrator locked this setting'),
  TETHER_E_MAIL: spec(502, 'The mail could not be sent', false),
  TETHER_E_SMS: spec(502, 'The text message could not be sent', false),
  TETHER_E_AUDIT: spec(500, 'The audit log failed', false),
  TETHER_E_JOIN_CODE: spec(404, 'The join code is wrong, used or expired'),
  TETHER_E_SESSION_STATE: spec(409, 'The session cannot do that in its present state'),
  TETHER_E_SESSION_TAKEN: spec(409, 'Another technician already picked up this session'),
  TETHER_E_NOT_ADMITTED: spec(403, 'Not a participant of this session'),
  TETHER_E_DESKTOP: spec(500, 'The desktop could not be opened', false),
} as const satisfies Record<string, ErrorSpec>;

/** A stable error code from the catalogue. */
export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/**
 * An anticipated failure with a stable code. Anything thrown that is not a TetherError is a bug
 * and reaches a client only as TETHER_E_INTERNAL.
 */
export class TetherError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly expose: boolean;
  /** Machine-readable details safe for a client when `expose` is true (e.g. the bad field). */
  readonly details?: Readonly<Record<string, unknown>>;

  constructor(
    code: ErrorCode,
    message?: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    const known = ERROR_CATALOGUE[code];
    super(message ?? known.message, { cause: options.cause });
    this.name = 'TetherError';
    this.code = code;
    this.status = known.status;
    this.expose = known.expose;
    this.details = options.details;
  }

  /** The message a client may see: the real one when exposable, else the catalogue's. */
  get publicMessage(): string {
    return this.expose ? this.message : ERROR_CATALOGUE[this.code].message;
  }
}

/** True when `error` is a TetherError, optionally with the given code. */
export function isTetherError(error: unknown, code?: ErrorCode): error is TetherError {
  return error instanceof TetherError && (code === undefined || error.code === code);
}

/**
 * A mistake in code that calls the engine (wrong argument, wrong order of calls), as opposed to
 * bad input from outside. It is never mapped to a 4xx: it is a bug to fix.
 */
export class ProgrammerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProgrammerError';
  }
}
