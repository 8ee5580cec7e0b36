import type { PermissionId } from './permission-contract.js';
import type { TenantId } from './storage-contract.js';

/** What the end user answered to a consent prompt, or `revoked` when they withdrew a grant. */
export type ConsentDecision = 'granted' | 'denied' | 'revoked';

/**
 * The engine's record of the end user's consent: what the end user's side reported, permission
 * by permission. It is a record, never a gate: the end user's side asks and enforces consent
 * itself, from the technician's signed certificate, so a compromised engine cannot grant
 * anything. Promises: `decisions` returns the latest report per permission; once the session
 * ends every grant reads `revoked`.
 */
export interface Consent {
  /** The latest decision per permission for the session with public id `sessionRef`. */
  decisions(
    tenantId: TenantId,
    sessionRef: string,
  ): Promise<ReadonlyMap<PermissionId, ConsentDecision>>;
}

/** Token of the {@link Consent} contract. */
export const Consent = Symbol.for('tether.Consent');
