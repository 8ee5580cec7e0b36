import { randomInt, timingSafeEqual } from 'node:crypto';
import type { JsonValue } from '../contracts/json-value.js';
import type { Principal } from '../contracts/principal.js';
import type { SecondFactorMethod, SignInState } from '../contracts/storage-contract.js';
import { TetherError } from '../errors.js';
import { audit, type IdentityDeps } from './identity-deps.js';
import { digest } from './sign-in-token.js';
import { countFailure, loadSignedIn, type SignedInMember } from './signed-in-member.js';
import type { TotpSetup } from './totp.js';

const EMAIL_CODE_LIFETIME_MS = 10 * 60_000;
const EMAIL_RESEND_AFTER_MS = 30_000;
const EMAIL_MAX_SENDS = 5;
const MEMBER_TOTP = 'member-totp';
const PENDING_TOTP = 'pending-totp';

/** What a sign-in keeps while a second-factor step is under way. */
interface Pending {
  readonly totp?: string;
  readonly email?: { hash: string; expiresAt: number; sentAt: number; sends: number };
}

/** A code to check and what it is for. */
export interface SecondFactorProof {
  readonly method: 'totp' | 'email';
  readonly code: string;
  readonly ip: string;
}

/**
 * The second factor: TOTP (set up with a QR code, codes never accepted twice) or a code sent
 * by e-mail. Setting one up is the step a policy demands before the sign-in completes; proving
 * it completes the sign-in. Wrong codes count toward the lockout like wrong passwords.
 */
export class SecondFactorService {
  constructor(private readonly deps: IdentityDeps) {}

  /** Starts TOTP setup: a new secret, kept sealed in the sign-in until confirmed. */
  async beginTotp(principal: Principal): Promise<TotpSetup & { secret: string }> {
    const caller = await loadSignedIn(this.deps, principal);
    this.requireSetup(caller, 'totp');
    const secret = this.deps.totp.newSecret();
    const sealed = await this.deps.cipher.seal(caller.tenant.id, PENDING_TOTP, secret);
    await this.setPending(caller, { ...pendingOf(caller), totp: sealed });
    const setup = await this.deps.totp.setup(secret, caller.member.email, this.deps.issuer);
    return { ...setup, secret };
  }

  /** Confirms TOTP setup with a first code; the sign-in completes. */
  async confirmTotp(principal: Principal, code: string, ip: string): Promise<SignInState> {
    const caller = await loadSignedIn(this.deps, principal);
    this.requireSetup(caller, 'totp');
    const pending = pendingOf(caller).totp;
    if (!pending) throw new TetherError('TETHER_E_VALIDATION', 'Start the TOTP setup first');
    const secret = await this.deps.cipher.open(caller.tenant.id, PENDING_TOTP, pending);
    const check = this.deps.totp.verify(secret, code, this.deps.clock.now());
    if (!check.ok) return this.wrongCode(caller);
    await caller.scope.members.updateCredentials(caller.member.id, {
      totpSecret: await this.deps.cipher.seal(caller.tenant.id, MEMBER_TOTP, secret),
      totpLastStep: check.step,
      secondFactor: 'totp',
    });
    return this.complete(caller, ip, 'auth.second-factor.set-up', 'totp');
  }

  /** Sends a six-digit code to the member's e-mail, at most every 30 s and 5 times a sign-in. */
  async sendEmailCode(principal: Principal): Promise<{ sentTo: string }> {
    const caller = await loadSignedIn(this.deps, principal);
    const mailer = this.deps.mailer;
    if (!mailer) throw new TetherError('TETHER_E_FORBIDDEN', 'E-mail codes are not set up here');
    this.requireEmailStep(caller);
    const now = this.deps.clock.nowMs();
    const previous = pendingOf(caller).email;
    if (
      previous &&
      (now - previous.sentAt < EMAIL_RESEND_AFTER_MS || previous.sends >= EMAIL_MAX_SENDS)
    ) {
      throw new TetherError('TETHER_E_RATE_LIMITED');
    }
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const email = { hash: digest(code), expiresAt: now + EMAIL_CODE_LIFETIME_MS, sentAt: now };
    await this.setPending(caller, {
      ...pendingOf(caller),
      email: { ...email, sends: (previous?.sends ?? 0) + 1 },
    });
    await mailer.send({
      to: caller.member.email,
      subject: `Your ${this.deps.issuer} sign-in code`,
      text:
        `Your sign-in code is ${code}. It is valid for 10 minutes. If you did not try to ` +
        'sign in, tell your administrator.',
    });
    return { sentTo: maskEmail(caller.member.email) };
  }

  /** Proves the second factor; the sign-in completes. */
  async verify(principal: Principal, proof: SecondFactorProof): Promise<SignInState> {
    const caller = await loadSignedIn(this.deps, principal);
    if (proof.method === 'email') return this.verifyEmail(caller, proof);
    if (
      caller.session.state !== 'second-factor-required' ||
      caller.member.secondFactor !== 'totp'
    ) {
      throw new TetherError('TETHER_E_VALIDATION', "method: TOTP is not this sign-in's step");
    }
    const sealed = caller.credentials.totpSecret;
    const secret = sealed ? await this.deps.cipher.open(caller.tenant.id, MEMBER_TOTP, sealed) : '';
    const check = this.deps.totp.verify(
      secret,
      proof.code,
      this.deps.clock.now(),
      caller.credentials.totpLastStep,
    );
    if (!check.ok) return this.wrongCode(caller);
    await caller.scope.members.updateCredentials(caller.member.id, { totpLastStep: check.step });
    return this.complete(caller, proof.ip, 'auth.second-factor.passed', 'totp');
  }

  private async verifyEmail(caller: SignedInMember, proof: SecondFactorProof) {
    this.requireEmailStep(caller);
    const pending = pendingOf(caller).email;
    const fresh = pending && pending.expiresAt > this.deps.clock.nowMs();
    const given = Buffer.from(digest(proof.code), 'hex');
    const same = fresh && timingSafeEqual(given, Buffer.from(pending.hash, 'hex'));
    if (!same) return this.wrongCode(caller);
    const settingUp = caller.session.state === 'second-factor-setup-required';
    if (settingUp) {
      await caller.scope.members.updateCredentials(caller.member.id, { secondFactor: 'email' });
    }
    const action = settingUp ? 'auth.second-factor.set-up' : 'auth.second-factor.passed';
    return this.complete(caller, proof.ip, action, 'email');
  }

  private requireSetup(caller: SignedInMember, method: SecondFactorMethod): void {
    if (caller.session.state !== 'second-factor-setup-required') {
      throw new TetherError('TETHER_E_SIGN_IN_INCOMPLETE', 'This sign-in sets up no second factor');
    }
    if (!(caller.policy.secondFactor.methods as readonly string[]).includes(method)) {
      throw new TetherError('TETHER_E_VALIDATION', `method: ${method} is not allowed by policy`);
    }
  }

  private requireEmailStep(caller: SignedInMember): void {
    const { state } = caller.session;
    if (state === 'second-factor-setup-required') return this.requireSetup(caller, 'email');
    if (state !== 'second-factor-required' || caller.member.secondFactor !== 'email') {
      throw new TetherError('TETHER_E_VALIDATION', "method: e-mail is not this sign-in's step");
    }
  }

  private async wrongCode(caller: SignedInMember): Promise<never> {
    await countFailure(this.deps, caller);
    await audit(this.deps, {
      tenantId: caller.tenant.id,
      action: 'auth.second-factor.failed',
      actor: { kind: 'member', id: caller.member.id },
    });
    throw new TetherError('TETHER_E_SECOND_FACTOR_FAILED');
  }

  private async complete(
    caller: SignedInMember,
    ip: string,
    action: string,
    method: string,
  ): Promise<SignInState> {
    const now = this.deps.clock.now();
    await caller.scope.signIns.update(caller.session.id, {
      state: 'active',
      authenticatedAt: now,
      pending: null,
    });
    await caller.scope.members.updateCredentials(caller.member.id, {
      failedAttempts: 0,
      lastSignInAt: now,
    });
    await audit(this.deps, {
      tenantId: caller.tenant.id,
      action,
      actor: { kind: 'member', id: caller.member.id },
      ip,
      details: { method },
    });
    return 'active';
  }

  private async setPending(caller: SignedInMember, pending: Pending): Promise<void> {
    await caller.scope.signIns.update(caller.session.id, {
      pending: pending as unknown as JsonValue,
    });
  }
}

function pendingOf(caller: SignedInMember): Pending {
  return (caller.session.pending ?? {}) as Pending;
}

/** `ada.lovelace@example.com` → `a***@example.com`. */
function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}***@${domain}`;
}
