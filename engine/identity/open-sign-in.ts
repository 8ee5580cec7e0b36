import type {
  Member,
  SignInClient,
  SignInSession,
  SignInState,
  TenantId,
} from '../contracts/storage-contract.js';
import type { IdentityDeps } from './identity-deps.js';
import { digest, newCsrfToken, newSignInToken } from './sign-in-token.js';
import { secondFactorRequired, type TenantPolicy } from './tenant-policy.js';

/**
 * How long an ended sign-in (expired or revoked) stays stored: long enough that a token coming
 * back after a weekend still gets its idle-logoff audit entry, short enough that the table holds
 * only recent sign-ins.
 */
const ENDED_SIGN_IN_KEEP_MS = 7 * 24 * 3600_000;

/** A sign-in just made: the token to present from now on, and a browser's CSRF token. */
export interface OpenedSignIn {
  readonly token: string;
  readonly csrfToken?: string;
  readonly session: SignInSession;
}

/** The step after the first factor, as far as the second factor goes. */
export function secondFactorState(member: Member, policy: TenantPolicy): SignInState {
  if (member.secondFactor !== 'none') return 'second-factor-required';
  if (secondFactorRequired(policy, member.role)) return 'second-factor-setup-required';
  return 'active';
}

/**
 * Makes a sign-in in `state` for a member who proved the first factor (a password, or an
 * identity provider's assertion): a fresh token stored only as its hash, a CSRF token for a
 * browser, and the idle deadline of the tenant's policy.
 */
export async function openSignIn(
  deps: IdentityDeps,
  tenantId: TenantId,
  member: Member,
  state: SignInState,
  policy: TenantPolicy,
  client: { readonly kind: SignInClient; readonly ip: string },
): Promise<OpenedSignIn> {
  const now = deps.clock.now();
  const token = newSignInToken(tenantId);
  const csrfToken = client.kind === 'browser' ? newCsrfToken() : undefined;
  const signIns = deps.storage.forTenant(tenantId).signIns;
  // Each new sign-in first deletes the tenant's sign-ins that ended over a week ago.
  await signIns.sweep(new Date(now.getTime() - ENDED_SIGN_IN_KEEP_MS));
  const session = await signIns.create({
    tokenHash: token.hash,
    memberId: member.id,
    client: client.kind,
    state,
    ...(csrfToken ? { csrfHash: digest(csrfToken) } : {}),
    createdAt: now,
    lastSeenAt: now,
    authenticatedAt: now,
    expiresAt: new Date(now.getTime() + policy.session.idleMinutes * 60_000),
    ip: client.ip,
  });
  return { token: token.token, csrfToken, session };
}
