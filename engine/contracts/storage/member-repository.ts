import type { Page, PageRequest } from './paging.js';
import type { TenantId } from './tenant-directory.js';

/** The roles of the organisation tree, from the top down. */
export type MemberRole =
  'master-account-holder' | 'master-administrator' | 'administrator' | 'technician';

/** A person who signs in to a tenant. Secrets never leave the repository. */
export interface Member {
  readonly id: string;
  readonly tenantId: TenantId;
  readonly email: string;
  readonly displayName: string;
  readonly role: MemberRole;
  /** A disabled member cannot sign in; their sign-ins end. */
  readonly disabled: boolean;
  /** Set after too many failed attempts; cleared by an administrator or after the lock period. */
  readonly lockedAt?: Date;
  /** The second factor the member set up. */
  readonly secondFactor: SecondFactorMethod;
  /** The technician group the member belongs to; absent at the top of the tree. */
  readonly groupId?: string;
  /** The member's id at the tenant's SAML identity provider (NameID). */
  readonly ssoId?: string;
  /** Set by an administrator: single sign-on is refused for this member. */
  readonly ssoDisabled: boolean;
  readonly createdAt: Date;
}

/** Profile changes an administrator makes; `groupId: null` moves the member to the top. */
export interface MemberChange {
  readonly displayName?: string;
  readonly role?: MemberRole;
  readonly groupId?: string | null;
  readonly ssoId?: string | null;
  readonly ssoDisabled?: boolean;
}

/** Second factors a member can sign in with. */
export type SecondFactorMethod = 'none' | 'totp' | 'email' | 'sms';

/**
 * What sign-in needs and no other reader sees. `totpSecret` is sealed under the tenant's key by
 * the caller before it is stored; the repository never sees it in the clear.
 */
export interface MemberCredentials {
  readonly passwordHash?: string;
  readonly passwordChangedAt?: Date;
  readonly mustChangePassword: boolean;
  readonly oneTimeSecretHash?: string;
  readonly oneTimeSecretExpiresAt?: Date;
  readonly failedAttempts: number;
  readonly totpSecret?: string;
  /** The 30-second step of the last TOTP code accepted, so a code cannot be replayed. */
  readonly totpLastStep?: number;
  readonly phone?: string;
}

/** Changes to a member's credentials and state; `null` clears a field. */
export type CredentialsPatch = {
  readonly [K in keyof Omit<MemberCredentials, 'failedAttempts'>]?: MemberCredentials[K] | null;
} & {
  readonly failedAttempts?: number;
  readonly lockedAt?: Date | null;
  readonly secondFactor?: SecondFactorMethod;
  readonly disabled?: boolean;
  readonly lastSignInAt?: Date;
};

/** What is needed to create a member; `oneTimeSecretHash` is a SHA-256 hex digest. */
export interface NewMember {
  readonly email: string;
  readonly displayName: string;
  readonly role: MemberRole;
  readonly groupId?: string;
  readonly oneTimeSecretHash?: string;
  readonly oneTimeSecretExpiresAt?: Date;
}

/**
 * Members of one tenant. Promises: every read and write is confined to the tenant the repository
 * was made for; e-mail addresses are unique within a tenant, compared case-insensitively.
 */
export interface MemberRepository {
  create(member: NewMember): Promise<Member>;
  findById(id: string): Promise<Member | undefined>;
  findByEmail(email: string): Promise<Member | undefined>;
  findBySsoId(ssoId: string): Promise<Member | undefined>;
  list(page?: PageRequest): Promise<Page<Member>>;
  /** Members of the given groups (none: members outside any group). */
  listInGroups(groupIds: readonly string[], page?: PageRequest): Promise<Page<Member>>;
  count(): Promise<number>;
  /** Changes profile fields; false when no such member exists. */
  update(id: string, change: MemberChange): Promise<boolean>;
  /** The member's credentials; undefined for an unknown id. */
  credentials(id: string): Promise<MemberCredentials | undefined>;
  /** Applies `patch`; resolves false when no such member exists. */
  updateCredentials(id: string, patch: CredentialsPatch): Promise<boolean>;
  /**
   * Counts one failed attempt atomically (two nodes counting at once both count) and locks the
   * member when the count reaches `lockAt`. Resolves with the new count and whether it locked.
   */
  recordFailedAttempt(id: string, lockAt: number, now: Date): Promise<FailedAttempt>;
}

/** The result of counting a failed attempt. */
export interface FailedAttempt {
  readonly failedAttempts: number;
  readonly locked: boolean;
}
