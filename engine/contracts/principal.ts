import type { MemberRole, SignInClient, SignInState, TenantId } from './storage-contract.js';

/** Who is calling, as the engine authenticated them for this request. */
export interface Principal {
  readonly tenantId: TenantId;
  readonly memberId: string;
  readonly role: MemberRole;
  /** The sign-in's id, or the API key's. */
  readonly sessionId: string;
  /** How the caller authenticated. */
  readonly via: 'sign-in' | 'api-key';
  readonly client: SignInClient;
  /** `active` unless the caller is still between the steps of signing in. */
  readonly state: SignInState;
}
