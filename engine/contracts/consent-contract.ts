import type { PermissionId } from './permission-contract.js';

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
 * The end user's consent, the second yes of every action beyond chat. Promises: `ask` puts
 * the request to the end user (or answers from a standing single-prompt grant where the
 * technician's group allows one) and a revoked or ended session answers `denied`; `revokeAll`
 * withdraws every grant of the session at once. The end user's side enforces it again.
 */
export interface Consent {
  ask(request: ConsentRequest): Promise<ConsentDecision>;
  revokeAll(sessionId: string): Promise<void>;
}

/** Token of the {@link Consent} contract. */
export const Consent = Symbol.for('tether.Consent');
