import { fromBase64 } from '../../sdk/crypto/bytes.js';
import type { JsonValue } from '../contracts/json-value.js';
import type { Principal } from '../contracts/principal.js';
import type { SupportSessionRecord, TenantId } from '../contracts/storage-contract.js';
import { isTetherError, TetherError } from '../errors.js';
import type { SessionAuthenticator } from '../identity/session-authenticator.js';
import { policyOf } from '../identity/identity-deps.js';
import {
  sessionControlTopic,
  type Admission,
  type AdmissionRequest,
  type ConsentReportEvent,
  type QueueWatch,
  type SessionGatewayPort,
} from './session-port.js';
import {
  END_USER_ID_PATTERN,
  endUserSecretMatches,
  technicianParticipantId,
} from './session-secrets.js';
import type { SessionService } from './session-service.js';
import { auditSession, type SessionsDeps } from './sessions-deps.js';
import { PresenceWriter } from './presence-writer.js';
import { GatewayTickets } from './gateway-tickets.js';
import { PERMISSION_ID_PATTERN } from '../contracts/permission-contract.js';

const GUID = /^[0-9a-f]{32}$/;
const SINGLE_PROMPT = 'single-prompt';

/** What a seat's check gives, before the storage numbers the connection. */
type SeatAdmission = Omit<Admission, 'connection' | 'seated'>;

/**
 * The sessions service as the gateway sees it: admission of both kinds of participant, their
 * comings and goings, the end of a session from inside it, consent reports and byte counts.
 * Every refusal of an admission is the same TETHER_E_NOT_ADMITTED, whatever the reason.
 */
export class SessionGateway implements SessionGatewayPort {
  constructor(
    private readonly deps: SessionsDeps,
    private readonly sessions: SessionService,
    private readonly authenticator: SessionAuthenticator,
    private readonly presence: PresenceWriter,
    private readonly tickets: GatewayTickets,
  ) {}

  async admit(request: AdmissionRequest): Promise<Admission> {
    try {
      return await this.tryAdmit(request);
    } catch (error) {
      // The reason stays in the log (as a code, never a credential); the client sees one code.
      const code = isTetherError(error) ? error.code : undefined;
      if (code === undefined || code === 'TETHER_E_STORAGE' || code === 'TETHER_E_INTERNAL') {
        this.deps.logger.error({ err: error }, 'admission failed unexpectedly');
      } else {
        this.deps.logger.debug({ code, role: request.credentials.kind }, 'admission refused');
      }
      throw new TetherError('TETHER_E_NOT_ADMITTED');
    }
  }

  async connected(admission: Admission): Promise<void> {
    const { tenantId, sessionRef, participantId } = admission;
    const repo = this.deps.storage.forTenant(tenantId).sessions;
    if (admission.role === 'end-user') await this.presence.connected(admission);
    const session = await repo.findByRef(sessionRef);
    if (!session || session.state === 'closed') return;
    if (await repo.markJoined(sessionRef, participantId, this.deps.clock.now())) {
      await auditSession(this.deps, {
        tenantId,
        action: 'session.joined',
        actor: actorOf(admission),
        session,
        details: { participantId, role: admission.role },
      });
      this.deps.logger.info(
        { tenant: tenantId, session: sessionRef, participant: participantId },
        'participant joined',
      );
      await this.deps.events.emit({ kind: 'joined', tenantId, session });
    }
    await this.activateIfReady(tenantId, session, admission);
  }

  async disconnected(admission: Admission): Promise<void> {
    if (admission.role === 'end-user') await this.presence.disconnected(admission);
  }

  async seen(admission: Admission): Promise<void> {
    if (admission.role === 'end-user') await this.presence.seen(admission);
  }

  async end(admission: Admission): Promise<void> {
    const { tenantId, sessionRef } = admission;
    const repo = this.deps.storage.forTenant(tenantId).sessions;
    const session = await repo.findByRef(sessionRef);
    if (!session || session.state === 'closed') return;
    if (admission.role === 'technician' && session.ownerMemberId !== admission.memberId) {
      await this.leave(tenantId, session, admission);
      return;
    }
    const reason = admission.role === 'end-user' ? 'ended-by-end-user' : 'ended-by-technician';
    await this.quietly(() => this.sessions.close(tenantId, session, reason, actorOf(admission)));
  }

  async report(admission: Admission, event: ConsentReportEvent, permission: string) {
    if (admission.role !== 'end-user' || !PERMISSION_ID_PATTERN.test(permission)) return;
    const { tenantId, sessionRef } = admission;
    const repo = this.deps.storage.forTenant(tenantId).sessions;
    const decision = DECISIONS[event];
    if (decision && !(await repo.recordConsent(sessionRef, permission, decision))) return;
    const session = await repo.findByRef(sessionRef);
    if (!session || (session.state === 'closed' && !decision)) return;
    await auditSession(this.deps, {
      tenantId,
      action: event,
      actor: actorOf(admission),
      session,
      details: { permission },
    });
    this.deps.logger.info({ tenant: tenantId, session: sessionRef, permission }, event);
  }

  countBytes(admission: Admission, bytes: number): void {
    this.presence.countBytes(admission, bytes);
  }

  async watchQueues(token: string, clientIp: string): Promise<QueueWatch> {
    try {
      return await this.watchOf(await this.technician(token, clientIp));
    } catch {
      throw refused();
    }
  }

  async recheckAdmission(admission: Admission, clientIp: string): Promise<Admission> {
    return this.refusing(async () => {
      const { tenantId, sessionRef, signInId } = admission;
      if (admission.role !== 'technician' || signInId === undefined) throw refused();
      const session = await this.deps.storage.forTenant(tenantId).sessions.findByRef(sessionRef);
      if (!session || session.state === 'closed') throw refused();
      const principal = await this.authenticator.authenticateSignIn(tenantId, signInId, clientIp);
      const seat = await this.seatOf(tenantId, session, principal);
      return numbered(seat, admission.connection);
    });
  }

  async recheckWatch(watch: QueueWatch, clientIp: string): Promise<QueueWatch> {
    const { tenantId, signInId } = watch;
    return this.refusing(async () =>
      this.watchOf(await this.authenticator.authenticateSignIn(tenantId, signInId, clientIp)),
    );
  }

  private async watchOf(principal: Principal): Promise<QueueWatch> {
    const members = this.deps.storage.forTenant(principal.tenantId).members;
    const member = await members.findById(principal.memberId);
    if (!member || member.disabled) throw refused();
    const groupIds = member.groupId ? [member.groupId] : [];
    const { tenantId, sessionId: signInId } = principal;
    return { tenantId, memberId: member.id, signInId, groupIds };
  }

  /**
   * Runs a periodic check: whatever says no is the one refusal the gateway knows; a failing
   * database is not a no (the gateway logs it and keeps the connection until the next check).
   */
  private async refusing<T>(check: () => Promise<T>): Promise<T> {
    try {
      return await check();
    } catch (error) {
      if (isTetherError(error, 'TETHER_E_STORAGE') || !isTetherError(error)) throw error;
      throw refused();
    }
  }

  private async tryAdmit(request: AdmissionRequest): Promise<Admission> {
    if (!GUID.test(request.sessionId) || !fromBase64(request.boxKey, 32)) throw refused();
    const where = await this.deps.storage.sessionLocator.byGuid(request.sessionId);
    if (!where) throw refused();
    const repo = this.deps.storage.forTenant(where.tenantId).sessions;
    const session = await repo.findByRef(where.ref);
    if (!session || session.state === 'closed') throw refused();
    const admission = await this.admitTo(where.tenantId, session, request);
    const connection = await repo.countConnection(session.ref, admission.participantId);
    if (connection === undefined) throw refused();
    const participants = await repo.participants(session.ref);
    const seated = participants.filter((p) => p.leftAt === undefined).map((p) => p.id);
    return numbered(admission, connection, seated);
  }

  private async admitTo(
    tenantId: TenantId,
    session: SupportSessionRecord,
    request: AdmissionRequest,
  ): Promise<SeatAdmission> {
    const repo = this.deps.storage.forTenant(tenantId).sessions;
    const { credentials } = request;
    if (credentials.kind === 'end-user') {
      if (!END_USER_ID_PATTERN.test(credentials.participantId)) throw refused();
      const seat = await repo.findParticipant(session.ref, credentials.participantId);
      const valid =
        seat?.role === 'end-user' &&
        seat.secretHash !== undefined &&
        typeof credentials.secret === 'string' &&
        endUserSecretMatches(credentials.secret, seat.secretHash);
      if (!valid) throw refused();
      const name = session.endUserName;
      return this.admission(tenantId, session, seat.id, 'end-user', { name });
    }
    return this.admitTechnician(tenantId, session, credentials.token, request.clientIp);
  }

  private async admitTechnician(
    tenantId: TenantId,
    session: SupportSessionRecord,
    token: string,
    ip: string,
  ): Promise<SeatAdmission> {
    const principal = await this.technician(token, ip);
    if (principal.tenantId !== tenantId) throw refused();
    return this.seatOf(tenantId, session, principal);
  }

  /** The technician's admission to the session, if they own it or were invited and stayed. */
  private async seatOf(
    tenantId: TenantId,
    session: SupportSessionRecord,
    principal: Principal,
  ): Promise<SeatAdmission> {
    const participantId = technicianParticipantId(principal.memberId);
    const seat = await this.deps.storage
      .forTenant(tenantId)
      .sessions.findParticipant(session.ref, participantId);
    const owner = session.ownerMemberId === principal.memberId;
    const collaborator = seat?.kind === 'collaborator' && seat.leftAt === undefined;
    if (!seat || seat.leftAt !== undefined || !(owner || collaborator)) throw refused();
    const granted = await this.deps.permission.groupPermissions(tenantId, principal.memberId);
    const policy = await policyOf(this.deps.storage, tenantId);
    const member = await this.deps.storage.forTenant(tenantId).members.findById(principal.memberId);
    return this.admission(tenantId, session, participantId, 'technician', {
      name: member?.displayName,
      memberId: principal.memberId,
      signInId: principal.sessionId,
      permissions: [...granted].sort(),
      policy: { singlePrompt: granted.has(SINGLE_PROMPT), chatText: policy.sessions.chatText },
    });
  }

  /**
   * The sign-in behind a token, checked exactly as the API checks a bearer token; or behind a
   * gateway ticket, which this uses up.
   */
  private async technician(token: string, ip: string): Promise<Principal> {
    if (typeof token !== 'string' || token.length > 200) throw refused();
    if (GatewayTickets.isTicket(token)) {
      const redeemed = await this.tickets.redeem(token);
      if (!redeemed) throw refused();
      return this.authenticator.authenticateSignIn(redeemed.tenantId, redeemed.signInId, ip);
    }
    return this.authenticator.authenticate(
      { authorization: `Bearer ${token}`, method: 'GET', ip },
      'signed-in',
    );
  }

  private admission(
    tenantId: TenantId,
    session: SupportSessionRecord,
    participantId: string,
    role: Admission['role'],
    extra: {
      name?: string | undefined;
      memberId?: string;
      signInId?: string;
      permissions?: string[];
      policy?: { [key: string]: JsonValue };
    } = {},
  ): SeatAdmission {
    const { name, ...technician } = extra;
    return {
      tenantId,
      sessionId: session.guid,
      sessionRef: session.ref,
      participantId,
      role,
      ...(name ? { name } : {}),
      ...technician,
      state: session.state,
    };
  }

  /** The end user's arrival makes an owned session active; so does a new owner's. */
  private async activateIfReady(
    tenantId: TenantId,
    session: SupportSessionRecord,
    admission: Admission,
  ): Promise<void> {
    const endUserArrives = admission.role === 'end-user' && session.state === 'waiting';
    const ownerArrives =
      admission.role === 'technician' &&
      session.state === 'transferred' &&
      session.ownerMemberId === admission.memberId;
    if (!session.ownerMemberId || !(endUserArrives || ownerArrives)) return;
    await this.quietly(() => this.deps.machine.transition(tenantId, session, { kind: 'connect' }));
  }

  /** A collaborator who ends the session only leaves it. */
  private async leave(tenantId: TenantId, session: SupportSessionRecord, admission: Admission) {
    const repo = this.deps.storage.forTenant(tenantId).sessions;
    if (!(await repo.markLeft(session.ref, admission.participantId, this.deps.clock.now()))) {
      return;
    }
    await this.deps.bus.publish(sessionControlTopic(session.guid), {
      t: 'removed',
      participantId: admission.participantId,
    });
    this.deps.logger.info({ tenant: tenantId, session: session.ref }, 'collaborator left');
  }

  /** A session that another node changed meanwhile is not an error for the gateway. */
  private async quietly(work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (isTetherError(error) && error.code === 'TETHER_E_SESSION_STATE') return;
      throw error;
    }
  }
}

const DECISIONS: Partial<Record<ConsentReportEvent, 'granted' | 'denied' | 'revoked'>> = {
  'consent.granted': 'granted',
  'consent.denied': 'denied',
  'consent.revoked': 'revoked',
};

function refused(): TetherError {
  return new TetherError('TETHER_E_NOT_ADMITTED');
}

/**
 * The admission of `seat`, as one literal with every field (absent ones undefined). The gateway
 * reads an admission for every frame it relays, and V8 (node 20) gives each object written as
 * `{ ...seat, connection }` a hidden class of its own: with thousands of connections, every read
 * of one missed V8's property caches and went through the runtime.
 */
function numbered(seat: SeatAdmission, connection: number, seated?: readonly string[]): Admission {
  const { tenantId, sessionId, sessionRef, participantId, role, name, memberId, signInId } = seat;
  const { permissions, policy, state } = seat;
  return {
    tenantId,
    sessionId,
    sessionRef,
    participantId,
    role,
    name,
    memberId,
    signInId,
    permissions,
    policy,
    state,
    seated,
    connection,
  };
}

function actorOf(admission: Admission) {
  return admission.role === 'technician'
    ? { kind: 'member' as const, id: admission.memberId }
    : { kind: 'anonymous' as const, label: admission.participantId };
}
