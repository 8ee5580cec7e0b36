import type { AuditActor } from '../contracts/audit-log-contract.js';
import type { Principal } from '../contracts/principal.js';
import type {
  Member,
  NewSupportSession,
  SupportSessionRecord,
  TenantId,
} from '../contracts/storage-contract.js';
import { isTetherError, TetherError } from '../errors.js';
import { accessOf, callerMember, requireOwner, type SessionAccess } from './session-access.js';
import {
  joinCodeHash,
  newJoinCode,
  newSessionGuid,
  newSessionRef,
  technicianParticipantId,
} from './session-secrets.js';
import type { CloseReason } from './session-state-machine.js';
import { auditSession, type SessionsDeps } from './sessions-deps.js';

const CREATE_ATTEMPTS = 8;

/** A session just made, with the join code shown only now. */
export interface CreatedSession {
  readonly session: SupportSessionRecord;
  readonly joinCode: string;
}

/** Where a transfer goes: to a technician, or into a group's queue. */
export type TransferTarget = { readonly memberId: string } | { readonly groupId: string };

const memberActor = (principal: Principal): AuditActor => ({
  kind: principal.via === 'api-key' ? 'api-key' : 'member',
  id: principal.via === 'api-key' ? principal.sessionId : principal.memberId,
});

/**
 * What technicians and administrators do with support sessions: make them, pick them up from
 * a queue, transfer them, invite collaborators, hold, resume and end them. Every action is
 * audited by the session's public id; the state changes go through the state machine.
 */
export class SessionService {
  constructor(private readonly deps: SessionsDeps) {}

  /** Stores a new session, a new row with a fresh ref, GUID and code on each clash. */
  async insert(tenantId: TenantId, make: (now: Date) => NewSupportSession) {
    const repo = this.deps.storage.forTenant(tenantId).sessions;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await repo.create(make(this.deps.clock.now()));
      } catch (error) {
        if (!isTetherError(error) || error.code !== 'TETHER_E_CONFLICT') throw error;
        if (attempt >= CREATE_ATTEMPTS) throw error;
      }
    }
  }

  /** A session owned by the caller, waiting for its end user, and its join code. */
  async create(principal: Principal, endUserName: string | undefined, ip: string) {
    const member = await callerMember(this.deps, principal);
    const minutes = this.deps.settings.joinCodeMinutes;
    let joinCode = '';
    const session = await this.insert(principal.tenantId, (now) => {
      joinCode = newJoinCode();
      return {
        ref: newSessionRef(),
        guid: newSessionGuid(),
        ownerMemberId: member.id,
        createdByMemberId: member.id,
        ...(member.groupId ? { groupId: member.groupId } : {}),
        ...(endUserName ? { endUserName } : {}),
        joinCodeHash: joinCodeHash(joinCode),
        joinCodeExpiresAt: new Date(now.getTime() + minutes * 60_000),
        createdAt: now,
      };
    });
    await this.seat(principal.tenantId, session, member, 'owner');
    const actor = memberActor(principal);
    await auditSession(this.deps, {
      tenantId: principal.tenantId,
      action: 'session.created',
      actor,
      session,
      ip,
      details: { by: 'technician' },
    });
    this.deps.logger.info({ tenant: principal.tenantId, session: session.ref }, 'session created');
    await this.deps.events.emit({ kind: 'created', tenantId: principal.tenantId, session });
    return { session, joinCode } satisfies CreatedSession;
  }

  /** Takes a queued session: exactly one of several technicians trying at once wins. */
  async pickUp(principal: Principal, ref: string, ip: string): Promise<SupportSessionRecord> {
    const access = await accessOf(this.deps, principal, ref);
    const { session, member } = access;
    if (!member.groupId || member.groupId !== session.groupId) {
      throw new TetherError('TETHER_E_FORBIDDEN', "Only members of the queue's group");
    }
    const after = await this.deps.machine.transition(access.tenantId, session, {
      kind: 'pick-up',
      memberId: member.id,
    });
    await this.seat(access.tenantId, after, member, 'owner');
    await this.record(access, principal, 'session.picked-up', after, ip);
    return after;
  }

  /** Hands the session to another technician, or into a group's queue. */
  async transfer(principal: Principal, ref: string, target: TransferTarget, ip: string) {
    const access = await accessOf(this.deps, principal, ref);
    requireOwner(access);
    await this.requirePermission(access, 'transfer-sessions');
    const scope = this.deps.storage.forTenant(access.tenantId);
    let after: SupportSessionRecord;
    if ('memberId' in target) {
      const to = await this.colleague(access, target.memberId);
      after = await this.deps.machine.transition(access.tenantId, access.session, {
        kind: 'transfer-to-member',
        memberId: to.id,
      });
      await this.seat(access.tenantId, after, to, 'owner');
    } else {
      const group = await scope.groups.findById(target.groupId);
      if (!group) throw new TetherError('TETHER_E_NOT_FOUND', 'No such group');
      after = await this.deps.machine.transition(access.tenantId, access.session, {
        kind: 'transfer-to-group',
        groupId: group.id,
      });
    }
    await this.record(access, principal, 'session.transferred', after, ip, { to: { ...target } });
    return after;
  }

  /** Lets another technician join with their own permissions. */
  async invite(principal: Principal, ref: string, memberId: string, ip: string) {
    const access = await accessOf(this.deps, principal, ref);
    requireOwner(access);
    await this.requirePermission(access, 'collaboration');
    if (access.session.state === 'closed') {
      throw new TetherError('TETHER_E_SESSION_STATE', 'The session has ended');
    }
    const colleague = await this.colleague(access, memberId);
    await this.seat(access.tenantId, access.session, colleague, 'collaborator');
    await this.record(access, principal, 'session.collaborator-invited', access.session, ip, {
      memberId: colleague.id,
    });
    return access.session;
  }

  async hold(principal: Principal, ref: string, ip: string) {
    const access = await accessOf(this.deps, principal, ref);
    requireOwner(access);
    const after = await this.deps.machine.transition(access.tenantId, access.session, {
      kind: 'hold',
    });
    await this.record(access, principal, 'session.on-hold', after, ip);
    return after;
  }

  async resume(principal: Principal, ref: string, ip: string) {
    const access = await accessOf(this.deps, principal, ref);
    requireOwner(access);
    const after = await this.deps.machine.transition(access.tenantId, access.session, {
      kind: 'resume',
    });
    await this.record(access, principal, 'session.resumed', after, ip);
    return after;
  }

  /** Ends the session: its owner, or an administrator whose reach covers it. */
  async end(principal: Principal, ref: string, note: string | undefined, ip: string) {
    const access = await accessOf(this.deps, principal, ref);
    const reason: CloseReason = access.isOwner
      ? 'ended-by-technician'
      : access.administers
        ? 'ended-by-administrator'
        : forbidden();
    return this.close(access.tenantId, access.session, reason, memberActor(principal), {
      ip,
      note,
    });
  }

  /** Closes a session for any reason and audits it; every close goes through here. */
  async close(
    tenantId: TenantId,
    session: SupportSessionRecord,
    reason: CloseReason,
    actor: AuditActor,
    extra: { readonly ip?: string; readonly note?: string } = {},
  ): Promise<SupportSessionRecord> {
    const after = await this.deps.machine.transition(tenantId, session, { kind: 'close', reason });
    await auditSession(this.deps, {
      tenantId,
      action: 'session.ended',
      actor,
      session: after,
      ...(extra.ip ? { ip: extra.ip } : {}),
      details: extra.note ? { reason, note: extra.note } : { reason },
    });
    return after;
  }

  /** Gives a technician their place in the session. */
  async seat(
    tenantId: TenantId,
    session: SupportSessionRecord,
    member: Member,
    kind: 'owner' | 'collaborator',
  ): Promise<void> {
    await this.deps.storage.forTenant(tenantId).sessions.putParticipant({
      id: technicianParticipantId(member.id),
      sessionRef: session.ref,
      role: 'technician',
      kind,
      memberId: member.id,
    });
  }

  private async colleague(access: SessionAccess, memberId: string): Promise<Member> {
    const members = this.deps.storage.forTenant(access.tenantId).members;
    const found = await members.findById(memberId);
    if (!found || found.disabled) throw new TetherError('TETHER_E_NOT_FOUND', 'No such member');
    if (found.id === access.session.ownerMemberId) {
      throw new TetherError('TETHER_E_VALIDATION', 'memberId: already owns the session');
    }
    return found;
  }

  private async requirePermission(access: SessionAccess, permission: string): Promise<void> {
    const granted = await this.deps.permission.hasGroupPermission(
      access.tenantId,
      access.member.id,
      permission,
    );
    if (!granted) throw new TetherError('TETHER_E_FORBIDDEN', `Needs the ${permission} permission`);
  }

  private record(
    access: SessionAccess,
    principal: Principal,
    action: string,
    session: SupportSessionRecord,
    ip: string,
    details?: { readonly [key: string]: string | { readonly [key: string]: string } },
  ): Promise<void> {
    return auditSession(this.deps, {
      tenantId: access.tenantId,
      action,
      actor: memberActor(principal),
      session,
      ip,
      ...(details ? { details } : {}),
    });
  }
}

function forbidden(): never {
  throw new TetherError('TETHER_E_FORBIDDEN', 'Only the owner or an administrator');
}
