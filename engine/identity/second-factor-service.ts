import { randomInt, timingSafeEqual } from 'node:crypto';
import type { JsonValue } from '../contracts/json-value.js';
import type { Principal } from '../contracts/principal.js';
import type { SecondFactorMethod, SignInState } from '../contracts/storage-contract.js';
import { TetherError } from '../errors.js';
import { audit, type IdentityDeps } from './identity-deps.js';
import { digest } from './sign-in-token.js';
import { countFailure, loadSignedIn, type SignedInMember } from './signed-in-member.js';
import type { TotpSetup } from './totp.js';

const CODE_LIFETIME_MS = 10 * 60_000;
const RESEND_AFTER_MS = 30_000;
const MAX_SENDS = 5;
const MEMBER_TOTP = 'member-totp';
const PENDING_TOTP = 'pending-totp';

/** A code sent by e-mail or text message, kept only as its digest. */
interface SentCode {
  readonly hash: string;
  readonly expiresAt: number;
  readonly sentAt: number;
  readonly sends: number;
  /** At SMS setup: the number the code went to, stored once the code proves it. */
  readonly phone?: string;
}

/** A factor whose codes the engine sends. */
type SentMethod = 'email' | 'sms';

/** What a sign-in keeps while a second-factor step is under way. */
interface Pending {
  readonly totp?: string;
  readonly email?: SentCode;
  readonly sms?: SentCode;
}

/** A code to check and what it is for. */
export interface SecondFactorProof {
  readonly method: 'totp' | SentMethod;
  readonly code: string;
  readonly ip: string;
}

/**
 * The second factor: TOTP (set up with a QR code, codes never accepted twice) or a code sent
 * by e-mail or text message. Setting one up is the step a policy demands before the sign-in
 * completes; proving it completes the sign-in. Wrong codes count toward the lockout like wrong
 * passwords.
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
    this.requireSentStep(caller, 'email');
    const code = await this.issueCode(caller, 'email');
    await mailer.send({
      to: caller.member.email,
      subject: `Your ${this.deps.issuer} sign-in code`,
      text:
        `Your sign-in code is ${code}. It is valid for 10 minutes. If you did not try to ` +
        'sign in, tell your administrator.',
    });
    return { sentTo: maskEmail(caller.member.email) };
  }

  /**
   * Sends a six-digit code by text message, with the e-mail code's limits. At setup it goes to
   * `phone` (E.164), which is stored only once the code proves it; later it goes to the number
   * on record and `phone` must be absent, so a password alone cannot send the code elsewhere.
   */
  async sendSmsCode(principal: Principal, phone?: string): Promise<{ sentTo: string }> {
    const caller = await loadSignedIn(this.deps, principal);
    const sms = this.deps.sms;
    if (!sms) throw new TetherError('TETHER_E_FORBIDDEN', 'Text-message codes are not set up here');
    this.requireSentStep(caller, 'sms');
    const settingUp = caller.session.state === 'second-factor-setup-required';
    const to = settingUp ? setupNumber(phone) : this.numberOnRecord(caller, phone);

    const code = await this.issueCode(caller, 'sms', settingUp ? to : undefined);
    await sms.send(to, `Your ${this.deps.issuer} sign-in code is ${code}. Valid for 10 minutes.`);
    return { sentTo: maskPhone(to) };
  }

  /** Proves the second factor; the sign-in completes. */
  async verify(principal: Principal, proof: SecondFactorProof): Promise<SignInState> {
    const caller = await loadSignedIn(this.deps, principal);
    if (proof.method !== 'totp') return this.verifySent(caller, proof, proof.method);
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

  private async verifySent(caller: SignedInMember, proof: SecondFactorProof, method: SentMethod) {
    this.requireSentStep(caller, method);
    const pending = pendingOf(caller)[method];
    const fresh = pending && pending.expiresAt > this.deps.clock.nowMs();
    const given = Buffer.from(digest(proof.code), 'hex');
    const same = fresh && timingSafeEqual(given, Buffer.from(pending.hash, 'hex'));
    if (!same) return this.wrongCode(caller);

    const settingUp = caller.session.state === 'second-factor-setup-required';
    if (settingUp) {
      await caller.scope.members.updateCredentials(caller.member.id, {
        secondFactor: method,
        ...(method === 'sms' && pending.phone ? { phone: pending.phone } : {}),
      });
    }
    const action = settingUp ? 'auth.second-factor.set-up' : 'auth.second-factor.passed';
    return this.complete(caller, proof.ip, action, method);
  }

  /**
   * Makes a code and keeps its digest in the sign-in before it goes out, so a code that reached
   * the member always verifies. A send the gateway then refuses still counts toward the limits:
   * it reached the gateway, and each one costs money (and invites SMS pumping).
   */
  private async issueCode(caller: SignedInMember, method: SentMethod, phone?: string) {
    const now = this.deps.clock.nowMs();
    const previous = pendingOf(caller)[method];
    if (previous && (now - previous.sentAt < RESEND_AFTER_MS || previous.sends >= MAX_SENDS)) {
      throw new TetherError('TETHER_E_RATE_LIMITED');
    }

    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const sent: SentCode = {
      hash: digest(code),
      expiresAt: now + CODE_LIFETIME_MS,
      sentAt: now,
      sends: (previous?.sends ?? 0) + 1,
      ...(phone ? { phone } : {}),
    };
    await this.setPending(caller, { ...pendingOf(caller), [method]: sent });
    return code;
  }

  private numberOnRecord(caller: SignedInMember, phone: string | undefined): string {
    if (phone !== undefined) {
      const line = 'body.phone: not accepted here; the code goes to the number on record';
      throw new TetherError('TETHER_E_VALIDATION', line, { details: { field: 'body.phone' } });
    }
    const stored = caller.credentials.phone;
    if (!stored) {
      const line = 'No phone number is on record; ask an administrator to reset the second factor';
      throw new TetherError('TETHER_E_FORBIDDEN', line);
    }
    return stored;
  }

  private requireSetup(caller: SignedInMember, method: SecondFactorMethod): void {
    if (caller.session.state !== 'second-factor-setup-required') {
      throw new TetherError('TETHER_E_SIGN_IN_INCOMPLETE', 'This sign-in sets up no second factor');
    }
    if (!(caller.policy.secondFactor.methods as readonly string[]).includes(method)) {
      throw new TetherError('TETHER_E_VALIDATION', `method: ${method} is not allowed by policy`);
    }
  }

  private requireSentStep(caller: SignedInMember, method: SentMethod): void {
    const { state } = caller.session;
    if (state === 'second-factor-setup-required') return this.requireSetup(caller, method);
    if (state !== 'second-factor-required' || caller.member.secondFactor !== method) {
      const name = method === 'email' ? 'e-mail' : 'SMS';
      throw new TetherError('TETHER_E_VALIDATION', `method: ${name} is not this sign-in's step`);
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

/** E.164: a plus, a country code that does not start with 0, at most 15 digits in all. */
export const E164 = /^\+[1-9]\d{6,14}$/;

function setupNumber(phone: string | undefined): string {
  if (phone === undefined || !E164.test(phone)) {
    const line = 'body.phone: expected an E.164 number such as +4915112345678';
    throw new TetherError('TETHER_E_VALIDATION', line, { details: { field: 'body.phone' } });
  }
  return phone;
}

/** `+4915112345678` → `+49••••••78`; the bullets do not tell the length. */
function maskPhone(phone: string): string {
  return `${phone.slice(0, 3)}••••••${phone.slice(-2)}`;
}
