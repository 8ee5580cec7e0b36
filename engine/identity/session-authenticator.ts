import { timingSafeEqual } from 'node:crypto';
import type { Principal } from '../contracts/principal.js';
import type { Member, SignInSession, TenantId } from '../contracts/storage-contract.js';
import { TetherError } from '../errors.js';
import type { Credentials, RequestAuthenticator } from '../http/request-authenticator.js';
import { audit, policyOf, type IdentityDeps } from './identity-deps.js';
import { addressAllowed } from './address-rules.js';
import { digest, parseSignInToken } from './sign-in-token.js';
import type { TenantPolicy } from './tenant-policy.js';

/** How often a busy sign-in's idle deadline is pushed forward (not on every request). */
const TOUCH_EVERY_MS = 30_000;
const SAFE_METHODS = new Set(['GET', 'HEAD']);

/** A sign-in as found for a request, with what it belongs to. */
export interface FoundSignIn {
  readonly session: SignInSession;
  readonly member: Member;
  readonly tenantId: TenantId;
  readonly policy: TenantPolicy;
}

/**
 * Authenticates requests by sign-in token: a bearer header for API clients, the session cookie
 * for browsers (then with the CSRF token on unsafe methods). A sign-in idle past the policy's
 * limit is ended; one older than the re-authentication interval must sign in again; a member
 * disabled or locked meanwhile loses it at once; the address list is checked on every request.
 */
export class SessionAuthenticator implements RequestAuthenticator {
  constructor(private readonly deps: IdentityDeps) {}

  async authenticate(
    credentials: Credentials,
    access: 'signed-in' | 'sign-in-step',
  ): Promise<Principal> {
    return this.principalOf(await this.find(credentials), access);
  }

  /**
   * The caller behind a sign-in known by its id (the gateway, from a ticket it redeemed or an
   * admission it checks again), with every check a token gets: not revoked, idle, due for
   * re-authentication, member disabled or locked, address list, and finished signing in.
   */
  async authenticateSignIn(tenantId: TenantId, signInId: string, ip: string): Promise<Principal> {
    const scope = this.deps.storage.forTenant(tenantId);
    const session = await scope.signIns.findById(signInId);
    if (!session || session.revokedAt) throw new TetherError('TETHER_E_SESSION_EXPIRED');
    return this.principalOf(await this.alive(tenantId, session, ip), 'signed-in');
  }

  private async principalOf(
    found: FoundSignIn,
    access: 'signed-in' | 'sign-in-step',
  ): Promise<Principal> {
    const { session, member, tenantId } = found;
    if (access === 'signed-in' && session.state !== 'active') {
      throw new TetherError('TETHER_E_SIGN_IN_INCOMPLETE', `Finish signing in: ${session.state}`);
    }
    await this.touch(found);
    return {
      tenantId,
      memberId: member.id,
      role: member.role,
      sessionId: session.id,
      via: 'sign-in',
      client: session.client,
      state: session.state,
    };
  }

  /** The live sign-in behind the credentials, or the reason there is none. */
  async find(credentials: Credentials): Promise<FoundSignIn> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(credentials.authorization ?? '')?.[1];
    const parsed = parseSignInToken(bearer ?? credentials.sessionCookie);
    if (!parsed) throw new TetherError('TETHER_E_UNAUTHORIZED');
    const scope = this.deps.storage.forTenant(parsed.tenantId);
    const session = await scope.signIns.findByTokenHash(parsed.hash);
    if (!session || session.revokedAt) throw new TetherError('TETHER_E_SESSION_EXPIRED');
    if (bearer === undefined) checkCsrf(session, credentials);
    if (bearer !== undefined && session.client !== 'api') {
      throw new TetherError('TETHER_E_UNAUTHORIZED', 'A browser sign-in goes with its cookie');
    }

    return this.alive(parsed.tenantId, session, credentials.ip);
  }

  private async alive(tenantId: TenantId, session: SignInSession, ip: string) {
    const member = await this.deps.storage.forTenant(tenantId).members.findById(session.memberId);
    const policy = await policyOf(this.deps.storage, tenantId);
    const found = { session, member: member as Member, tenantId, policy };
    await this.checkAlive(found, member, ip);
    return found;
  }

  private async checkAlive(found: FoundSignIn, member: Member | undefined, ip: string) {
    const now = this.deps.clock.nowMs();
    const { session, policy } = found;
    const reauthAt = session.authenticatedAt.getTime() + policy.session.reauthHours * 3600_000;
    const ended =
      !member || member.disabled || member.lockedAt
        ? 'account-unavailable'
        : session.expiresAt.getTime() <= now
          ? 'idle'
          : reauthAt <= now
            ? 're-authentication-due'
            : undefined;
    if (ended) {
      await this.end(found, ip, ended);
      const code = ended === 're-authentication-due' ? 'TETHER_E_REAUTH_REQUIRED' : undefined;
      throw new TetherError(code ?? 'TETHER_E_SESSION_EXPIRED');
    }
    if (!(await addressAllowed(this.deps.storage, found.tenantId, policy, member, ip))) {
      throw new TetherError('TETHER_E_IP_NOT_ALLOWED');
    }
  }

  private async end(found: FoundSignIn, ip: string, reason: string): Promise<void> {
    const { session, tenantId } = found;
    await this.deps.storage.forTenant(tenantId).signIns.revoke(session.id, this.deps.clock.now());
    await audit(this.deps, {
      tenantId,
      action: 'auth.signed-out',
      actor: { kind: 'system' },
      target: { kind: 'member', id: session.memberId },
      ip,
      details: { reason },
    });
    this.deps.logger.info({ tenant: tenantId, member: session.memberId, reason }, 'sign-in ended');
  }

  private async touch({ session, tenantId, policy }: FoundSignIn): Promise<void> {
    const now = this.deps.clock.now();
    if (now.getTime() - session.lastSeenAt.getTime() < TOUCH_EVERY_MS) return;
    const expiresAt = new Date(now.getTime() + policy.session.idleMinutes * 60_000);
    await this.deps.storage.forTenant(tenantId).signIns.update(session.id, {
      lastSeenAt: now,
      expiresAt,
    });
  }
}

/** A cookie sign-in must present its CSRF token on every method that changes something. */
function checkCsrf(session: SignInSession, credentials: Credentials): void {
  if (SAFE_METHODS.has(credentials.method.toUpperCase())) return;
  const given = credentials.csrfToken;
  if (!given || !session.csrfHash) throw new TetherError('TETHER_E_CSRF');
  const a = Buffer.from(digest(given), 'hex');
  const b = Buffer.from(session.csrfHash, 'hex');
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw new TetherError('TETHER_E_CSRF');
}
