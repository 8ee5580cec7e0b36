import type { Principal } from '../contracts/principal.js';
import type { SignInState } from '../contracts/storage-contract.js';
import { TetherError } from '../errors.js';
import { audit, type IdentityDeps } from './identity-deps.js';
import { checkPassword } from './password-policy.js';
import { nextState } from './sign-in-service.js';
import { countFailure, loadSignedIn } from './signed-in-member.js';

/** A new password, and the old one when the sign-in is complete. */
export interface PasswordChange {
  readonly currentPassword?: string;
  readonly newPassword: string;
  readonly ip: string;
}

/**
 * Changes a member's own password. A complete sign-in must prove the current password again (a
 * wrong one counts toward the lockout); a sign-in that is only allowed to set a password (first
 * sign-in with the one-time secret, an expired or reset password) needs only the new one. Every
 * other sign-in of the member ends.
 */
export class PasswordChangeService {
  constructor(private readonly deps: IdentityDeps) {}

  async change(principal: Principal, change: PasswordChange): Promise<SignInState> {
    const caller = await loadSignedIn(this.deps, principal);
    const { tenant, scope, session, member, credentials, policy } = caller;
    if (session.state !== 'active' && session.state !== 'password-change-required') {
      throw new TetherError('TETHER_E_SIGN_IN_INCOMPLETE', `Finish signing in: ${session.state}`);
    }
    if (session.state === 'active') {
      const current = change.currentPassword ?? '';
      const proven = credentials.passwordHash
        ? (await this.deps.hasher.verify(current, credentials.passwordHash)).ok
        : false;
      if (!proven) {
        await countFailure(this.deps, caller);
        throw new TetherError('TETHER_E_SIGN_IN_FAILED', 'The current password is wrong');
      }
    }
    checkPassword(change.newPassword, policy.password, {
      email: member.email,
      displayName: member.displayName,
      tenantName: tenant.name,
    });

    const now = this.deps.clock.now();
    const passwordHash = await this.deps.hasher.hash(change.newPassword);
    await scope.members.updateCredentials(member.id, {
      passwordHash,
      passwordChangedAt: now,
      mustChangePassword: false,
      failedAttempts: 0,
    });
    const ended = await scope.signIns.revokeAllOf(member.id, now, session.id);
    const updated = {
      ...credentials,
      passwordHash,
      passwordChangedAt: now,
      mustChangePassword: false,
    };
    const state = nextState(member, updated, policy, now);
    await scope.signIns.update(session.id, { state, authenticatedAt: now });
    await audit(this.deps, {
      tenantId: tenant.id,
      action: 'auth.password.changed',
      actor: { kind: 'member', id: member.id },
      target: { kind: 'member', id: member.id },
      ip: change.ip,
      details: { otherSignInsEnded: ended },
    });
    this.deps.logger.info({ tenant: tenant.id, member: member.id }, 'password changed');
    return state;
  }
}
