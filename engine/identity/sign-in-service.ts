import { timingSafeEqual } from 'node:crypto';
import type {
  Member,
  MemberCredentials,
  SignInClient,
  SignInSession,
  SignInState,
  Tenant,
} from '../contracts/storage-contract.js';
import { TetherError } from '../errors.js';
import { audit, policyOf, type IdentityDeps } from './identity-deps.js';
import { addressAllowed } from './address-rules.js';
import { IpAllowList } from './ip-allow-list.js';
import { passwordExpired } from './password-policy.js';
import { digest } from './sign-in-token.js';
import { openSignIn, secondFactorState } from './open-sign-in.js';
import type { TenantPolicy } from './tenant-policy.js';

/** What a client sends to sign in. */
export interface SignInRequest {
  readonly tenant: string;
  readonly email: string;
  readonly password: string;
  readonly client: SignInClient;
  readonly ip: string;
}

/** A sign-in made: the token to present from now on (and the CSRF token for a browser). */
export interface SignInResult {
  readonly token: string;
  readonly csrfToken?: string;
  readonly session: SignInSession;
  readonly member: Member;
  /** Second factors the member may use, when the state asks for one. */
  readonly methods: readonly string[];
}

/** The step a member goes on to after proving the password, by policy and credentials. */
export function nextState(
  member: Member,
  credentials: MemberCredentials,
  policy: TenantPolicy,
  now: Date,
): SignInState {
  const expired = passwordExpired(credentials.passwordChangedAt, policy.password, now);
  if (credentials.mustChangePassword || !credentials.passwordHash || expired) {
    return 'password-change-required';
  }
  return secondFactorState(member, policy);
}

/**
 * Password sign-in with lockout. An unknown tenant or account, a wrong password, a locked or
 * disabled account all get the same TETHER_E_SIGN_IN_FAILED after the same amount of work; the
 * audit log says which it was.
 */
export class SignInService {
  constructor(private readonly deps: IdentityDeps) {}

  async signIn(request: SignInRequest): Promise<SignInResult> {
    const tenant = await this.deps.storage.tenants.findByName(request.tenant);
    const member = tenant
      ? await this.deps.storage.forTenant(tenant.id).members.findByEmail(request.email)
      : undefined;
    const policy = tenant ? await policyOf(this.deps.storage, tenant.id) : undefined;
    // Before the account check, so that a refused address learns nothing of which accounts exist.
    if (tenant && policy) await this.checkAddress(tenant, member, policy, request);
    if (!tenant || !member || !policy) {
      await this.deps.hasher.verifyUnknown(request.password);
      if (tenant) await this.failed(tenant, undefined, request, 'unknown-account');
      throw new TetherError('TETHER_E_SIGN_IN_FAILED');
    }
    const current = await this.unlockIfDue(tenant, member, policy);
    const credentials = await this.credentials(tenant, current);
    const refusal = this.refusal(current);
    const proven = await this.proves(credentials, request.password);
    if (refusal || !proven) {
      await this.failed(tenant, member, request, refusal ?? 'wrong-password', policy);
      throw new TetherError('TETHER_E_SIGN_IN_FAILED');
    }
    // A group's own address list is checked once the password proved who is asking, so that
    // it tells nothing about which accounts exist.
    if (!(await addressAllowed(this.deps.storage, tenant.id, policy, current, request.ip))) {
      await this.failed(tenant, current, request, 'address-not-allowed');
      throw new TetherError('TETHER_E_IP_NOT_ALLOWED');
    }
    return this.succeeded(tenant, current, credentials, policy, request, proven);
  }

  /** Ends a sign-in. */
  async signOut(session: SignInSession, tenant: Tenant, ip: string, reason = 'signed-out') {
    await this.deps.storage.forTenant(tenant.id).signIns.revoke(session.id, this.deps.clock.now());
    await audit(this.deps, {
      tenantId: tenant.id,
      action: 'auth.signed-out',
      actor: { kind: 'member', id: session.memberId },
      ip,
      details: { reason },
    });
  }

  private async checkAddress(
    tenant: Tenant,
    member: Member | undefined,
    policy: TenantPolicy,
    request: SignInRequest,
  ): Promise<void> {
    const list = IpAllowList.parse(policy.ipAllowList, 'ipAllowList');
    if (list.allows(request.ip)) return;
    await this.failed(tenant, member, request, 'address-not-allowed');
    throw new TetherError('TETHER_E_IP_NOT_ALLOWED');
  }

  /** Clears a lock whose period has run out, so that counting starts afresh. */
  private async unlockIfDue(tenant: Tenant, member: Member, policy: TenantPolicy) {
    const minutes = policy.lockout.unlockAfterMinutes;
    if (!member.lockedAt || !minutes) return member;
    if (this.deps.clock.nowMs() < member.lockedAt.getTime() + minutes * 60_000) return member;
    const members = this.deps.storage.forTenant(tenant.id).members;
    await members.updateCredentials(member.id, { lockedAt: null, failedAttempts: 0 });
    await audit(this.deps, {
      tenantId: tenant.id,
      action: 'auth.account.unlocked',
      actor: { kind: 'system' },
      target: { kind: 'member', id: member.id },
      details: { reason: 'lock period over' },
    });
    const { lockedAt: _expired, ...unlocked } = member;
    return unlocked;
  }

  private async credentials(tenant: Tenant, member: Member): Promise<MemberCredentials> {
    const members = this.deps.storage.forTenant(tenant.id).members;
    const credentials = await members.credentials(member.id);
    if (!credentials) throw new TetherError('TETHER_E_SIGN_IN_FAILED');
    return credentials;
  }

  private refusal(member: Member): string | undefined {
    if (member.disabled) return 'disabled';
    return member.lockedAt ? 'locked' : undefined;
  }

  /** Whether the password proves the member: `password` or `one-time-secret`, else false. */
  private async proves(credentials: MemberCredentials, password: string) {
    if (credentials.passwordHash) {
      const result = await this.deps.hasher.verify(password, credentials.passwordHash);
      return result.ok ? (result.needsRehash ? 'rehash' : 'password') : false;
    }
    const expires = credentials.oneTimeSecretExpiresAt?.getTime() ?? 0;
    if (!credentials.oneTimeSecretHash || expires < this.deps.clock.nowMs()) {
      return this.deps.hasher.verifyUnknown(password);
    }
    await this.deps.hasher.verifyUnknown(password); // the same work as a password check
    const given = Buffer.from(digest(password), 'hex');
    const stored = Buffer.from(credentials.oneTimeSecretHash, 'hex');
    const same = given.length === stored.length && timingSafeEqual(given, stored);
    return same ? 'one-time-secret' : false;
  }

  private async failed(
    tenant: Tenant,
    member: Member | undefined,
    request: SignInRequest,
    reason: string,
    policy?: TenantPolicy,
  ): Promise<void> {
    const actor = member
      ? { kind: 'member' as const, id: member.id }
      : { kind: 'anonymous' as const, label: request.email.slice(0, 320) };
    let attempts: number | undefined;
    if (member && policy && reason === 'wrong-password') {
      const members = this.deps.storage.forTenant(tenant.id).members;
      const max = policy.lockout.maxAttempts;
      const counted = await members.recordFailedAttempt(member.id, max, this.deps.clock.now());
      attempts = counted.failedAttempts;
      if (counted.locked) await this.lockedOut(tenant, member, request.ip, attempts);
    }
    await audit(this.deps, {
      tenantId: tenant.id,
      action: 'auth.sign-in.failed',
      actor,
      ...(member?.groupId ? { nodeId: member.groupId } : {}),
      ip: request.ip,
      details: { reason, ...(attempts !== undefined ? { attempts } : {}) },
    });
    this.deps.logger.info({ tenant: tenant.id, reason }, 'sign-in failed');
  }

  private async lockedOut(tenant: Tenant, member: Member, ip: string, attempts: number) {
    await audit(this.deps, {
      tenantId: tenant.id,
      action: 'auth.account.locked',
      actor: { kind: 'system' },
      target: { kind: 'member', id: member.id },
      ip,
      details: { attempts },
    });
    this.deps.logger.info({ tenant: tenant.id, member: member.id }, 'account locked');
  }

  private async succeeded(
    tenant: Tenant,
    member: Member,
    credentials: MemberCredentials,
    policy: TenantPolicy,
    request: SignInRequest,
    proven: 'password' | 'rehash' | 'one-time-secret',
  ): Promise<SignInResult> {
    const now = this.deps.clock.now();
    const members = this.deps.storage.forTenant(tenant.id).members;
    const state =
      proven === 'one-time-secret'
        ? 'password-change-required'
        : nextState(member, credentials, policy, now);
    await members.updateCredentials(member.id, {
      failedAttempts: 0,
      lockedAt: null,
      ...(state === 'active' ? { lastSignInAt: now } : {}),
      ...(proven === 'rehash'
        ? { passwordHash: await this.deps.hasher.hash(request.password) }
        : {}),
      ...(proven === 'one-time-secret'
        ? { oneTimeSecretHash: null, oneTimeSecretExpiresAt: null, mustChangePassword: true }
        : {}),
    });
    const result = await this.open(tenant, member, state, policy, request);
    await audit(this.deps, {
      tenantId: tenant.id,
      action: 'auth.sign-in.succeeded',
      actor: { kind: 'member', id: member.id },
      ...(member.groupId ? { nodeId: member.groupId } : {}),
      ip: request.ip,
      details: { state, client: request.client, with: proven === 'rehash' ? 'password' : proven },
    });
    this.deps.logger.info({ tenant: tenant.id, member: member.id, state }, 'signed in');
    return result;
  }

  private async open(
    tenant: Tenant,
    member: Member,
    state: SignInState,
    policy: TenantPolicy,
    request: SignInRequest,
  ): Promise<SignInResult> {
    const client = { kind: request.client, ip: request.ip };
    const opened = await openSignIn(this.deps, tenant.id, member, state, policy, client);
    const methods = member.secondFactor !== 'none' ? [member.secondFactor] : [];
    // Offer at setup only what this engine can deliver: no mail module, no e-mail codes.
    const deliverable = (method: string) =>
      method === 'totp' || (method === 'email' ? !!this.deps.mailer : !!this.deps.sms);
    const offered =
      state === 'second-factor-setup-required'
        ? policy.secondFactor.methods.filter(deliverable)
        : methods;
    return { ...opened, member, methods: offered };
  }
}
