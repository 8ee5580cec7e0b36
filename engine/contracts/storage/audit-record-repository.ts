import type { AuditQuery, AuditRecord } from '../audit-log-contract.js';

/** The newest record of a tenant's chain. */
export interface AuditHead {
  readonly seq: number;
  readonly hash: string;
}

/**
 * Where the audit log keeps a tenant's records. Promises: records are only ever added;
 * `append` runs `seal` with the current head while holding the tenant's chain, so appends from
 * several nodes at once are numbered without gaps or repeats, and stores the record it returns
 * together with the new head.
 */
export interface AuditRecordRepository {
  append(seal: (head: AuditHead | undefined) => AuditRecord): Promise<AuditRecord>;
  head(): Promise<AuditHead | undefined>;
  list(query?: AuditQuery): Promise<readonly AuditRecord[]>;
  /** Every record in `seq` order, read in batches, for verification. */
  walk(): AsyncIterable<AuditRecord>;
}
