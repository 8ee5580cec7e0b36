import type { Principal } from '../contracts/principal.js';
import type {
  Member,
  MemberCredentials,
  SignInSession,
  Tenant,
  TenantScope,
} from '../contracts/storage-contract.js';
import { TetherError } from '../errors.js';
import { audit, policyOf, type IdentityDeps } from './identity-deps.js';
import type { TenantPolicy } from './tenant-policy.js';

/** Everything the sign-in steps read about the caller, loaded once per request. */
export interface SignedInMember {
  readonly tenant: Tenant;
  readonly scope: TenantScope;
  readonly session: SignInSession;
  readonly member: Member;
  readonly credentials: MemberCredentials;
  readonly policy: TenantPolicy;
}

/** Loads the caller's tenant, sign-in, member, credentials and policy. */
export async function loadSignedIn(
  deps: IdentityDeps,
  principal: Principal,
): Promise<SignedInMember> {
  const tenant = await deps.storage.tenants.findById(principal.tenantId);
  const scope = deps.storage.forTenant(principal.tenantId);
  const [session, member, credentials] = await Promise.all([
    scope.signIns.findById(principal.sessionId),
    scope.members.findById(principal.memberId),
    scope.members.credentials(principal.memberId),
  ]);
  if (!tenant || !session || !member || !credentials) {
    throw new TetherError('TETHER_E_SESSION_EXPIRED');
  }
  const policy = await policyOf(deps.storage, principal.tenantId);
  return { tenant, scope, session, member, credentials, policy };
}

/** Counts a failed proof (password or code) toward the lockout, and ends the sign-in if locked. */
export async function countFailure(deps: IdentityDeps, caller: SignedInMember): Promise<void> {
  const { scope, member, policy, session } = caller;
  const now = deps.clock.now();
  const counted = await scope.members.recordFailedAttempt(
    member.id,
    policy.lockout.maxAttempts,
    now,
  );
  if (!counted.locked) return;
  await scope.signIns.revokeAllOf(member.id, now);
  await audit(deps, {
    tenantId: caller.tenant.id,
    action: 'auth.account.locked',
    actor: { kind: 'system' },
    target: { kind: 'member', id: member.id },
    details: { attempts: counted.failedAttempts, during: session.state },
  });
}
