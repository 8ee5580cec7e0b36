import type { Disposable } from '../contracts/disposable.js';
import type { Logger } from '../contracts/logger-contract.js';
import type { SupportSessionEvent } from '../contracts/sessions-contract.js';
import type { SupportSessionRecord, TenantId } from '../contracts/storage-contract.js';

/** What happened to a session, as the sessions service reports it to its listeners. */
export interface SessionHappening {
  readonly kind: SupportSessionEvent['kind'];
  readonly tenantId: TenantId;
  readonly session: SupportSessionRecord;
}

/**
 * The in-process fan-out of session events on this node. Listeners run after the change is
 * stored, one by one; a listener that throws is logged and the others still hear of it.
 */
export class SessionEvents {
  private readonly listeners = new Set<(happening: SessionHappening) => Promise<void> | void>();

  constructor(private readonly logger: Logger) {}

  /** Adds a listener until disposed. */
  listen(listener: (happening: SessionHappening) => Promise<void> | void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  /** Tells every listener; resolves once all have run. */
  async emit(happening: SessionHappening): Promise<void> {
    for (const listener of [...this.listeners]) {
      try {
        await listener(happening);
      } catch (error) {
        this.logger.error(
          { err: error, session: happening.session.ref, kind: happening.kind },
          'session event listener failed',
        );
      }
    }
  }
}
