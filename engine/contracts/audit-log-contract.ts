import type { JsonValue } from './json-value.js';
import type { TenantId } from './storage-contract.js';

/** Who did something: a member, an API key, the engine itself, or an anonymous caller. */
export interface AuditActor {
  readonly kind: 'member' | 'api-key' | 'system' | 'anonymous';
  /** Member or API key id; absent for `system` and `anonymous`. */
  readonly id?: string;
  /** What the actor called themselves, such as the e-mail typed at a failed sign-in. */
  readonly label?: string;
}

/** One thing that happened, as a caller reports it. */
export interface AuditEvent {
  readonly tenantId: TenantId;
  /** Dotted verb such as `auth.sign-in.succeeded` or `group.permission.changed`. */
  readonly action: string;
  readonly actor: AuditActor;
  /** What it was done to (`member`, `group`, `policy`, ...) and its id. */
  readonly target?: { readonly kind: string; readonly id?: string };
  /** The node of the organisation tree it happened in, for reports by node. */
  readonly nodeId?: string;
  /** The client address, as the engine resolved it. */
  readonly ip?: string;
  /** State before and after an administrative change; never secrets. */
  readonly before?: JsonValue;
  readonly after?: JsonValue;
  /** Anything else worth keeping (a reason, a method); never secrets or message bodies. */
  readonly details?: JsonValue;
}

/** An event as the log keeps it: numbered within its tenant and chained to the one before. */
export interface AuditRecord extends AuditEvent {
  /** 1, 2, 3, ... within the tenant, without gaps. */
  readonly seq: number;
  readonly at: Date;
  /** `hash` of the record before (64 zeros for the first). */
  readonly prevHash: string;
  /** HMAC-SHA-256 (hex) over this record's canonical form and `prevHash`. */
  readonly hash: string;
}

/** Filters of an audit query; every bound is optional and inclusive. */
export interface AuditQuery {
  readonly from?: Date;
  readonly to?: Date;
  readonly actions?: readonly string[];
  readonly nodeIds?: readonly string[];
  readonly actorId?: string;
  /** Records with `seq` greater than this (paging). */
  readonly afterSeq?: number;
  /** 1 to 1000; 100 by default. */
  readonly limit?: number;
}

/** The outcome of checking a tenant's chain. */
export interface AuditVerification {
  readonly tenantId: TenantId;
  readonly checked: number;
  /** The first record that does not hold, and why; absent when the chain is whole. */
  readonly firstBad?: { readonly seq: number; readonly reason: string };
}

/**
 * The append-only, hash-chained audit log. Promises: records are never changed or removed
 * through this contract; appends within a tenant are numbered without gaps even from several
 * nodes at once; each record's hash covers its content and the previous hash under a key kept
 * outside the database, so an edited, inserted or deleted row is detected by `verify`.
 */
export interface AuditLog {
  append(event: AuditEvent): Promise<AuditRecord>;
  list(tenantId: TenantId, query?: AuditQuery): Promise<readonly AuditRecord[]>;
  verify(tenantId: TenantId): Promise<AuditVerification>;
}

/** Token of the {@link AuditLog} contract. */
export const AuditLog = Symbol.for('tether.AuditLog');
