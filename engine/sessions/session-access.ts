import type { Principal } from '../contracts/principal.js';
import type {
  Member,
  SessionParticipant,
  SupportSessionRecord,
  TenantId,
} from '../contracts/storage-contract.js';
import { TetherError } from '../errors.js';
import { ADMIN_ROLES, reachOf, type Reach } from '../identity/admin-reach.js';
import type { SessionsDeps } from './sessions-deps.js';
import { SESSION_REF_PATTERN, technicianParticipantId } from './session-secrets.js';

/** A caller's relation to one session. */
export interface SessionAccess {
  readonly tenantId: TenantId;
  readonly session: SupportSessionRecord;
  readonly member: Member;
  readonly participants: readonly SessionParticipant[];
  /** The caller owns the session now. */
  readonly isOwner: boolean;
  /** The caller is an invited collaborator who has not lost their place. */
  readonly isCollaborator: boolean;
  /** The caller administers the group of the session (or the whole tenant). */
  readonly administers: boolean;
}

/** The caller's member record; a vanished or disabled member is refused. */
export async function callerMember(deps: SessionsDeps, principal: Principal): Promise<Member> {
  const member = await deps.storage
    .forTenant(principal.tenantId)
    .members.findById(principal.memberId);
  if (!member || member.disabled) throw new TetherError('TETHER_E_FORBIDDEN');
  return member;
}

/** The groups whose sessions the caller sees: their own group and, for administrators, reach. */
export async function visibleGroups(
  deps: SessionsDeps,
  principal: Principal,
  member: Member,
): Promise<{ readonly all: boolean; readonly groupIds: readonly string[] }> {
  const reach = ADMIN_ROLES.includes(principal.role)
    ? await reachOf(deps.storage, principal)
    : undefined;
  const groups = new Set(reach?.groups ?? []);
  if (member.groupId) groups.add(member.groupId);
  return { all: reach?.whole ?? false, groupIds: [...groups] };
}

/**
 * The session `ref` as the caller may see it: their own, one they take part in, one of their
 * group's, or one in their administrative reach. Anything else, another tenant's included, is
 * "not found", never "forbidden".
 */
export async function accessOf(
  deps: SessionsDeps,
  principal: Principal,
  ref: string,
): Promise<SessionAccess> {
  const missing = new TetherError('TETHER_E_NOT_FOUND', 'No such session');
  if (!SESSION_REF_PATTERN.test(ref)) throw missing;
  const repo = deps.storage.forTenant(principal.tenantId).sessions;
  const session = await repo.findByRef(ref);
  if (!session) throw missing;
  const member = await callerMember(deps, principal);
  const participants = await repo.participants(ref);
  const mine = participants.find((p) => p.id === technicianParticipantId(member.id));
  const reach = ADMIN_ROLES.includes(principal.role)
    ? await reachOf(deps.storage, principal)
    : undefined;
  const administers = reachCovers(reach, session);
  const visible =
    administers ||
    mine !== undefined ||
    session.ownerMemberId === member.id ||
    session.createdByMemberId === member.id ||
    (member.groupId !== undefined && session.groupId === member.groupId);
  if (!visible) throw missing;
  return {
    tenantId: principal.tenantId,
    session,
    member,
    participants,
    isOwner: session.ownerMemberId === member.id,
    isCollaborator: mine?.kind === 'collaborator' && mine.leftAt === undefined,
    administers,
  };
}

function reachCovers(reach: Reach | undefined, session: SupportSessionRecord): boolean {
  if (!reach) return false;
  return reach.whole || (session.groupId !== undefined && reach.groups.has(session.groupId));
}

/** Only the owner may do this. */
export function requireOwner(access: SessionAccess): void {
  if (!access.isOwner) {
    throw new TetherError('TETHER_E_FORBIDDEN', 'Only the technician who owns the session');
  }
}
