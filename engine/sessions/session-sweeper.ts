import type { Clock } from '../contracts/clock-contract.js';
import type { Logger } from '../contracts/logger-contract.js';
import type {
  SessionLocation,
  Storage,
  SupportSessionRecord,
} from '../contracts/storage-contract.js';
import { isTetherError } from '../errors.js';
import type { PresenceWriter } from './presence-writer.js';
import type { SessionService } from './session-service.js';
import type { CloseReason } from './session-state-machine.js';

/** How often each node sweeps. */
export const SWEEP_EVERY_MS = 5_000;
const BATCH = 200;

/**
 * The grace sweeper, one per node: closes sessions whose end user has been gone longer than
 * the grace period (`connection-lost`) and waiting sessions whose code expired unused
 * (`code-expired`), writes out relayed byte counts and deletes ended rate-limit windows. A
 * node that has just started gives every session a whole grace period from its own start
 * first: it did not see those end users leave, and they may be reconnecting to it right now.
 */
export class SessionSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly startedMs: number;

  constructor(
    private readonly storage: Storage,
    private readonly sessions: SessionService,
    private readonly presence: PresenceWriter,
    private readonly clock: Clock,
    private readonly graceSeconds: number,
    private readonly logger: Logger,
  ) {
    this.startedMs = clock.nowMs();
  }

  start(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  /** Stops the timer, waits for a sweep under way and writes out what is pending. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
    await this.presence.flush();
  }

  /** One sweep; a sweep still running is not started twice. */
  sweep(): Promise<void> {
    this.running ??= this.sweepOnce().finally(() => (this.running = undefined));
    return this.running;
  }

  private async sweepOnce(): Promise<void> {
    try {
      await this.presence.flush();
      const now = this.clock.now();
      await this.storage.attemptWindows.sweep(now);
      const locator = this.storage.sessionLocator;
      for (const where of await locator.codeExpiredBefore(now, BATCH)) {
        await this.close(where, 'code-expired');
      }
      const graceMs = this.graceSeconds * 1000;
      if (now.getTime() - this.startedMs < graceMs) return;
      const cutoff = new Date(now.getTime() - graceMs);
      for (const where of await locator.endUserGoneBefore(cutoff, BATCH)) {
        await this.close(where, 'connection-lost', (s) => (s.endUserLastSeenAt ?? now) < cutoff);
      }
    } catch (error) {
      this.logger.error({ err: error }, 'session sweep failed');
    }
  }

  private async close(
    where: SessionLocation,
    reason: CloseReason,
    stillDue: (session: SupportSessionRecord) => boolean = () => true,
  ): Promise<void> {
    const session = await this.storage.forTenant(where.tenantId).sessions.findByRef(where.ref);
    if (!session || session.state === 'closed' || !stillDue(session)) return;
    try {
      await this.sessions.close(where.tenantId, session, reason, { kind: 'system' });
      this.presence.forget(session.ref);
    } catch (error) {
      // Another node closed or changed it meanwhile: the next sweep looks again.
      if (!isTetherError(error) || error.code !== 'TETHER_E_SESSION_STATE') throw error;
    }
  }
}
