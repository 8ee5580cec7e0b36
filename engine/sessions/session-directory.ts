import type { Consent, ConsentDecision } from '../contracts/consent-contract.js';
import type { Disposable } from '../contracts/disposable.js';
import type { Logger } from '../contracts/logger-contract.js';
import type { PermissionId } from '../contracts/permission-contract.js';
import type {
  Sessions,
  SupportSessionEvent,
  SupportSessionSummary,
} from '../contracts/sessions-contract.js';
import type { Storage, SupportSessionRecord, TenantId } from '../contracts/storage-contract.js';
import { policyOf } from '../identity/identity-deps.js';
import type { SessionEvents } from './session-events.js';
import { SESSION_REF_PATTERN } from './session-secrets.js';

/**
 * The Sessions and Consent contracts for plugins: summaries without GUID or credentials, the
 * session events of this node, and the consent record the end user's side reported.
 */
export class SessionDirectory implements Sessions, Consent {
  constructor(
    private readonly storage: Storage,
    private readonly events: SessionEvents,
    private readonly logger: Logger,
  ) {}

  async find(tenantId: TenantId, ref: string): Promise<SupportSessionSummary | undefined> {
    if (!SESSION_REF_PATTERN.test(ref)) return undefined;
    const session = await this.storage.forTenant(tenantId).sessions.findByRef(ref);
    return session ? this.summarize(tenantId, session) : undefined;
  }

  onEvent(handler: (event: SupportSessionEvent) => void): Disposable {
    return this.events.listen(async ({ kind, tenantId, session }) => {
      const summary = await this.summarize(tenantId, session);
      try {
        handler({ kind, session: summary });
      } catch (error) {
        this.logger.error({ err: error, kind, session: session.ref }, 'session handler failed');
      }
    });
  }

  async decisions(
    tenantId: TenantId,
    sessionRef: string,
  ): Promise<ReadonlyMap<PermissionId, ConsentDecision>> {
    if (!SESSION_REF_PATTERN.test(sessionRef)) return new Map();
    const session = await this.storage.forTenant(tenantId).sessions.findByRef(sessionRef);
    const decisions = Object.entries(session?.consent ?? {});
    // An ended session has no grant left, whatever a report raced with the end.
    if (session?.state === 'closed') return new Map(decisions.map(([id]) => [id, 'revoked']));
    return new Map(decisions);
  }

  /** What plugins may know of a session. */
  async summarize(
    tenantId: TenantId,
    session: SupportSessionRecord,
  ): Promise<SupportSessionSummary> {
    const participants = await this.storage.forTenant(tenantId).sessions.participants(session.ref);
    const technicians = participants.filter(
      (p) => p.role === 'technician' && p.memberId !== undefined,
    );
    const technicianIds = technicians.map((p) => p.memberId as string);
    const seatedTechnicianIds = technicians
      .filter((p) => p.leftAt === undefined)
      .map((p) => p.memberId as string);
    const policy = await policyOf(this.storage, tenantId);
    return {
      tenantId,
      ref: session.ref,
      state: session.state,
      ...(session.closeReason ? { closeReason: session.closeReason } : {}),
      ...(session.ownerMemberId ? { ownerMemberId: session.ownerMemberId } : {}),
      technicianIds,
      seatedTechnicianIds,
      ...(session.groupId ? { groupId: session.groupId } : {}),
      ...(session.endUserName ? { endUserName: session.endUserName } : {}),
      policy: { chatText: policy.sessions.chatText },
      createdAt: session.createdAt,
      ...(session.endedAt ? { endedAt: session.endedAt } : {}),
    };
  }
}
