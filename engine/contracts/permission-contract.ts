/** A permission's id, such as `remote-control` or a plugin's `lens.camera`. */
export type PermissionId = string;

/** What the end user answered to a consent prompt. */
export type ConsentDecision = 'granted' | 'denied';

/** One question put to the end user before an action. */
export interface ConsentRequest {
  readonly sessionId: string;
  readonly permission: PermissionId;
  /** The plain words shown to the end user, from the plugin's manifest. */
  readonly prompt: string;
}

/**
 * The two yeses that every action beyond chat needs: the technician group's permission and the
 * end user's consent. Promises: `hasGroupPermission` reflects the group matrix with inheritance
 * and locks; `consent` asks the end user (or answers from a standing single-prompt grant) and a
 * revoked or ended session answers `denied`. The end user's side checks both again before it
 * acts, from signed data; this contract is never the only gate.
 */
export interface Permission {
  hasGroupPermission(technicianId: string, permission: PermissionId): Promise<boolean>;
  consent(request: ConsentRequest): Promise<ConsentDecision>;
  /** Withdraws every grant of the session at once. */
  revokeAll(sessionId: string): Promise<void>;
}

/** Token of the {@link Permission} contract. */
export const Permission = Symbol.for('tether.Permission');
