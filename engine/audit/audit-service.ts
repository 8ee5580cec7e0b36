import type {
  AuditEvent,
  AuditLog,
  AuditQuery,
  AuditRecord,
  AuditVerification,
} from '../contracts/audit-log-contract.js';
import type { Clock } from '../contracts/clock-contract.js';
import type { KeyStore } from '../contracts/key-store-contract.js';
import type { Logger } from '../contracts/logger-contract.js';
import type { Storage, TenantId } from '../contracts/storage-contract.js';
import { sealRecord, verifyChain } from './audit-chain.js';

/** KeyStore id of the key the audit chain is signed with; it never enters the database. */
export const AUDIT_KEY_ID = 'engine:audit';

/**
 * The audit log on the engine's storage: records are sealed into each tenant's chain under a
 * key from the KeyStore. Appends to one tenant are queued in this process so they do not race
 * one another; across nodes the repository's head lock orders them.
 */
export class AuditService implements AuditLog {
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly storage: Storage,
    private readonly keys: KeyStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async append(event: AuditEvent): Promise<AuditRecord> {
    const key = await this.keys.dataKey(AUDIT_KEY_ID);
    const repository = this.storage.forTenant(event.tenantId).audit;
    const appended = this.queued(event.tenantId, () =>
      repository.append((head) => sealRecord(key, head, event, this.clock.now())),
    );
    const record = await appended;
    this.logger.debug({ tenant: event.tenantId, seq: record.seq, action: event.action }, 'audit');
    return record;
  }

  list(tenantId: TenantId, query?: AuditQuery): Promise<readonly AuditRecord[]> {
    return this.storage.forTenant(tenantId).audit.list(query);
  }

  async verify(tenantId: TenantId): Promise<AuditVerification> {
    const key = await this.keys.dataKey(AUDIT_KEY_ID);
    const audit = this.storage.forTenant(tenantId).audit;
    const head = await audit.head();
    return verifyChain(key, tenantId, audit.walk(), head);
  }

  private queued<T>(tenantId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(tenantId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch((error: unknown) => error);
    this.queues.set(tenantId, settled);
    void settled.then(() => {
      if (this.queues.get(tenantId) === settled) this.queues.delete(tenantId);
    });
    return next;
  }
}
