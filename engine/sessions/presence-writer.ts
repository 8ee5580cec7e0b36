import type { Clock } from '../contracts/clock-contract.js';
import type { Logger } from '../contracts/logger-contract.js';
import type { Storage, TenantId } from '../contracts/storage-contract.js';
import type { Admission } from './session-port.js';

/**
 * Writes the end user's presence (last seen, disconnected) and the relayed byte counts without
 * a database write per keepalive or per frame: connecting and leaving are written at once;
 * keepalives and bytes are gathered in memory and written out by `flush` (the sweeper's, every
 * few seconds), a tenant's keepalives in one UPDATE and its byte counts in a few.
 */
export class PresenceWriter {
  private readonly seenRefs = new Map<TenantId, Set<string>>();
  private readonly bytes = new Map<string, { tenantId: TenantId; count: number }>();

  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async connected(admission: Admission): Promise<void> {
    await this.write(admission, null);
  }

  async disconnected(admission: Admission): Promise<void> {
    this.seenRefs.get(admission.tenantId)?.delete(admission.sessionRef);
    await this.write(admission, this.clock.now());
  }

  /** The end user answered a keepalive; written at the next flush. */
  async seen(admission: Admission): Promise<void> {
    const refs = this.seenRefs.get(admission.tenantId) ?? new Set<string>();
    this.seenRefs.set(admission.tenantId, refs.add(admission.sessionRef));
  }

  countBytes(admission: Admission, bytes: number): void {
    if (!Number.isSafeInteger(bytes) || bytes <= 0) return;
    this.addBytes(admission.sessionRef, admission.tenantId, bytes);
  }

  /** Writes out the keepalives and byte counts gathered since the last flush. */
  async flush(): Promise<void> {
    await this.flushSeen();
    await this.flushBytes();
  }

  /** Forgets a session (it closed). */
  forget(ref: string): void {
    for (const refs of this.seenRefs.values()) refs.delete(ref);
  }

  private async flushSeen(): Promise<void> {
    const pending = [...this.seenRefs.entries()];
    this.seenRefs.clear();
    const now = this.clock.now();
    for (const [tenantId, refs] of pending) {
      try {
        await this.storage.forTenant(tenantId).sessions.markEndUsersSeen([...refs], now);
      } catch (error) {
        this.logger.warn({ err: error, sessions: refs.size }, 'keepalives not written');
      }
    }
  }

  private async flushBytes(): Promise<void> {
    const pending = [...this.bytes.entries()];
    this.bytes.clear();
    const byTenant = new Map<TenantId, Map<string, number>>();
    for (const [ref, { tenantId, count }] of pending) {
      const counts = byTenant.get(tenantId) ?? new Map<string, number>();
      byTenant.set(tenantId, counts.set(ref, count));
    }
    for (const [tenantId, counts] of byTenant) {
      try {
        await this.storage.forTenant(tenantId).sessions.addRelayedBytesMany(counts);
      } catch (error) {
        // Kept for the next flush rather than lost.
        for (const [ref, count] of counts) this.addBytes(ref, tenantId, count);
        this.logger.warn({ err: error, sessions: counts.size }, 'relayed bytes not written');
      }
    }
  }

  private addBytes(ref: string, tenantId: TenantId, count: number): void {
    const entry = this.bytes.get(ref);
    if (entry) entry.count += count;
    else this.bytes.set(ref, { tenantId, count });
  }

  private async write(admission: Admission, disconnectedAt: Date | null) {
    await this.storage.forTenant(admission.tenantId).sessions.touchEndUser(admission.sessionRef, {
      lastSeenAt: this.clock.now(),
      disconnectedAt,
    });
  }
}
