import type { Disposable } from './disposable.js';
import type { JsonValue } from './json-value.js';
import type { TenantId } from './storage-contract.js';

/** Where a support session is in its life. */
export type SupportSessionState = 'waiting' | 'active' | 'on-hold' | 'transferred' | 'closed';

/** What plugins may know of a support session: never its GUID, never a credential. */
export interface SupportSessionSummary {
  readonly tenantId: TenantId;
  /** The session's public id, as lists and the API show it. */
  readonly ref: string;
  readonly state: SupportSessionState;
  /** Why it closed, once closed (`ended-by-technician`, `ended-by-end-user`, `expired`, ...). */
  readonly closeReason?: string;
  /** The technician holding the session now, if any. */
  readonly ownerMemberId?: string;
  /** Every technician who has taken part: owners past and present and collaborators. */
  readonly technicianIds: readonly string[];
  /**
   * The technicians of `technicianIds` who hold a place now (the owner and collaborators):
   * not those transferred away or who left. At the end, those who held one when it closed.
   */
  readonly seatedTechnicianIds: readonly string[];
  /** The group whose queue the session sits in or came from, if any. */
  readonly groupId?: string;
  readonly endUserName?: string;
  /** The tenant's session policy as it applies to this session (`chatText`: store or omit). */
  readonly policy: { readonly [key: string]: JsonValue };
  readonly createdAt: Date;
  readonly endedAt?: Date;
}

/** A change in a session's life, as plugins hear of it. */
export interface SupportSessionEvent {
  readonly kind: 'created' | 'joined' | 'state-changed' | 'transferred' | 'ended';
  readonly session: SupportSessionSummary;
}

/**
 * Read access to support sessions for plugins (chat transcripts, CRM posting, recording).
 * Promises: only sessions of the tenant asked for are found; events arrive after the change is
 * stored, on the node where it happened.
 */
export interface Sessions {
  /** The session with public id `ref` in `tenantId`, or undefined. */
  find(tenantId: TenantId, ref: string): Promise<SupportSessionSummary | undefined>;
  /** Calls `handler` for each session event until disposed. */
  onEvent(handler: (event: SupportSessionEvent) => void): Disposable;
}

/** Token of the {@link Sessions} contract. */
export const Sessions = Symbol.for('tether.Sessions');
