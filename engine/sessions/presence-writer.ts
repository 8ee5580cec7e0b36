import type { Clock } from '../contracts/clock-contract.js';
import type { Logger } from '../contracts/logger-contract.js';
import type { Storage, TenantId } from '../contracts/storage-contract.js';
import type { Admission } from './session-port.js';

/** A keepalive is written at most this often per session. */
export const SEEN_WRITE_EVERY_MS = 20_000;

/**
 * Writes the end user's presence (last seen, disconnected) and the relayed byte counts without
 * a database write per keepalive or per frame: `seen` is written at most every 20 s per
 * session, bytes are added up in memory and written out by `flush`.
 */
export class PresenceWriter {
  private readonly lastWrite = new Map<string, number>();
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
    await this.write(admission, this.clock.now());
    this.lastWrite.delete(admission.sessionRef);
  }

  async seen(admission: Admission): Promise<void> {
    const last = this.lastWrite.get(admission.sessionRef) ?? 0;
    if (this.clock.nowMs() - last < SEEN_WRITE_EVERY_MS) return;
    await this.write(admission, undefined);
  }

  countBytes(admission: Admission, bytes: number): void {
    if (!Number.isSafeInteger(bytes) || bytes <= 0) return;
    const entry = this.bytes.get(admission.sessionRef);
    if (entry) entry.count += bytes;
    else this.bytes.set(admission.sessionRef, { tenantId: admission.tenantId, count: bytes });
  }

  /** Writes out the byte counts gathered since the last flush. */
  async flush(): Promise<void> {
    const pending = [...this.bytes.entries()];
    this.bytes.clear();
    for (const [ref, { tenantId, count }] of pending) {
      try {
        await this.storage.forTenant(tenantId).sessions.addRelayedBytes(ref, count);
      } catch (error) {
        this.logger.warn({ err: error, session: ref }, 'relayed bytes not written');
      }
    }
  }

  /** Forgets a session's throttle (it closed). */
  forget(ref: string): void {
    this.lastWrite.delete(ref);
  }

  private async write(admission: Admission, disconnectedAt: Date | null | undefined) {
    const now = this.clock.now();
    this.lastWrite.set(admission.sessionRef, now.getTime());
    const seen =
      disconnectedAt === undefined ? { lastSeenAt: now } : { lastSeenAt: now, disconnectedAt };
    await this.storage
      .forTenant(admission.tenantId)
      .sessions.touchEndUser(admission.sessionRef, seen);
  }
}
