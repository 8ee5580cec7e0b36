import type { SupportSessionRecord, TenantId } from '../contracts/storage-contract.js';
import { TetherError } from '../errors.js';
import type { AppletTicketFile } from '../../sdk/session/applet-ticket.js';
import { AttemptLimiter } from './attempt-limiter.js';
import {
  endUserSecretHash,
  joinCodeHash,
  newEndUserParticipantId,
  newEndUserSecret,
  newSessionGuid,
  newSessionRef,
} from './session-secrets.js';
import type { SessionService } from './session-service.js';
import { auditSession, gatewayUrlOf, type SessionsDeps } from './sessions-deps.js';
import type { JoinedSession } from '../../sdk/session/joined-session.js';

/** How long a downloaded applet ticket may be used to (re)connect: twelve hours. */
const TICKET_LIFETIME_MS = 12 * 60 * 60 * 1000;

const CODE = /^\d{6}$/;
const WRONG_CODES_PER_WINDOW = 10;
const ARRIVALS_PER_WINDOW = 20;
const WINDOW_MS = 10 * 60_000;

/** What an end user gets on joining (the credentials for the gateway), and where it is. */
export interface EndUserJoin extends JoinedSession {
  readonly tenantId: TenantId;
  readonly ref: string;
}

/**
 * How end users get into a session: with a join code (single use, expiring, rate limited per
 * address, every bad code the same TETHER_E_JOIN_CODE), or unasked into a group's queue.
 */
export class JoinService {
  private readonly wrongCodes: AttemptLimiter;
  private readonly arrivals: AttemptLimiter;

  constructor(
    private readonly deps: SessionsDeps,
    private readonly sessions: SessionService,
  ) {
    const { attemptWindows } = deps.storage;
    const limiter = (scope: string, max: number) =>
      new AttemptLimiter(attemptWindows, deps.clock, scope, max, WINDOW_MS);
    this.wrongCodes = limiter('join-code', WRONG_CODES_PER_WINDOW);
    this.arrivals = limiter('arrival', ARRIVALS_PER_WINDOW);
  }

  /**
   * Uses up a join code; of two joins with one code exactly one gets in. Every try counts
   * against the address until it turns out right, so concurrent guesses count too.
   */
  async join(code: string, name: string | undefined, ip: string): Promise<EndUserJoin> {
    await this.wrongCodes.take(ip);
    const hash = joinCodeHash(code);
    const where = CODE.test(code)
      ? await this.deps.storage.sessionLocator.byJoinCodeHash(hash)
      : undefined;
    const now = this.deps.clock.now();
    const repo = where && this.deps.storage.forTenant(where.tenantId).sessions;
    if (!where || !repo || !(await repo.useJoinCode(where.ref, hash, now))) {
      throw new TetherError('TETHER_E_JOIN_CODE');
    }
    await this.wrongCodes.giveBack(ip);
    const session = (await repo.findByRef(where.ref)) as SupportSessionRecord;
    return this.seatEndUser(where.tenantId, session, name, ip, 'code');
  }

  /**
   * The applet download: the same join, signed as a ticket for the applet to pin. The ticket is
   * good for as long as a participant certificate, so the applet can start again from it after a
   * reboot; the session itself still closes when its end user stays away past the grace period.
   */
  async joinApplet(code: string, name: string | undefined, ip: string): Promise<AppletTicketFile> {
    const joined = await this.join(code, name, ip);
    const expiresAt = new Date(this.deps.clock.nowMs() + TICKET_LIFETIME_MS).toISOString();
    return this.deps.signingKey.signTicket({
      server: this.deps.settings.publicUrl(),
      sessionId: joined.sessionId,
      participantId: joined.participantId,
      secret: joined.secret,
      engineKey: joined.engineKey,
      expiresAt,
    });
  }

  /** An end user arriving unasked: a new session waits in the group's queue. */
  async arrive(groupId: string, name: string, ip: string): Promise<EndUserJoin> {
    await this.arrivals.take(ip);
    const tenantId = await this.deps.storage.sessionLocator.tenantOfGroup(groupId);
    if (!tenantId) throw new TetherError('TETHER_E_NOT_FOUND', 'No such queue');
    const session = await this.sessions.insert(tenantId, (now) => ({
      ref: newSessionRef(),
      guid: newSessionGuid(),
      groupId,
      endUserName: name,
      endUserLastSeenAt: now,
      createdAt: now,
    }));
    await auditSession(this.deps, {
      tenantId,
      action: 'session.created',
      actor: { kind: 'anonymous', label: name },
      session,
      ip,
      details: { by: 'queue arrival' },
    });
    this.deps.logger.info({ tenant: tenantId, session: session.ref }, 'session arrived in queue');
    await this.deps.events.emit({ kind: 'created', tenantId, session });
    const joined = await this.seatEndUser(tenantId, session, undefined, ip, 'queue');
    await this.deps.machine.publishQueue(tenantId, session, 'arrived');
    return joined;
  }

  private async seatEndUser(
    tenantId: TenantId,
    session: SupportSessionRecord,
    name: string | undefined,
    ip: string,
    via: 'code' | 'queue',
  ): Promise<EndUserJoin> {
    const repo = this.deps.storage.forTenant(tenantId).sessions;
    const participantId = newEndUserParticipantId();
    const secret = newEndUserSecret();
    await repo.putParticipant({
      id: participantId,
      sessionRef: session.ref,
      role: 'end-user',
      kind: 'end-user',
      secretHash: endUserSecretHash(secret),
    });
    if (name) await repo.setEndUserName(session.ref, name);
    const graceMs = this.deps.settings.graceSeconds * 1000;
    const expiresAt = new Date(this.deps.clock.nowMs() + graceMs).toISOString();
    this.deps.logger.info({ tenant: tenantId, session: session.ref, via, ip }, 'end user seated');
    return {
      tenantId,
      ref: session.ref,
      sessionId: session.guid,
      participantId,
      secret,
      engineKey: this.deps.signingKey.publicKey(),
      gatewayUrl: gatewayUrlOf(this.deps.settings.publicUrl()),
      expiresAt,
    };
  }
}
