/**
 * SAML assertions already used to sign in, so that a captured response cannot be replayed.
 * Promises: `remember` answers true once per assertion id and tenant, false ever after (until
 * the record has expired and been swept), even from several nodes at once.
 */
export interface SsoAssertionRepository {
  remember(assertionId: string, expiresAt: Date): Promise<boolean>;
  /** Deletes what expired before `now`; resolves with how many. */
  sweep(now: Date): Promise<number>;
}

/** An integrator's API key; the key itself is shown once and stored only as a hash. */
export interface ApiKey {
  readonly id: string;
  /** The member it acts for: it never reaches more than they do. */
  readonly memberId: string;
  readonly name: string;
  /** Such as `members:read`, `audit:read`, `groups:write`. */
  readonly scopes: readonly string[];
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly revokedAt?: Date;
  readonly lastUsedAt?: Date;
}

/** The API keys of one tenant. Promises: found only by hash, only in the tenant. */
export interface ApiKeyRepository {
  create(
    key: Omit<ApiKey, 'id' | 'revokedAt' | 'lastUsedAt'> & { keyHash: string },
  ): Promise<ApiKey>;
  findByHash(keyHash: string): Promise<ApiKey | undefined>;
  findById(id: string): Promise<ApiKey | undefined>;
  list(): Promise<readonly ApiKey[]>;
  revoke(id: string, at: Date): Promise<boolean>;
  touch(id: string, at: Date): Promise<void>;
}
