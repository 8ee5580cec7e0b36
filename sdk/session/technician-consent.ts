import type { Disposable } from '../../engine/contracts/disposable.js';
import { CONSENT_CHANNEL, parseConsentBody } from './consent-messages.js';
import { EventHub } from './event-hub.js';
import { randomId } from './random-id.js';
import type { SessionClient } from './session-client.js';
import { SessionClientError } from './session-client-error.js';
import { silentSessionLogger, type SessionLogger } from './session-logger.js';

interface Pending {
  readonly endUser: string;
  readonly permission: string;
  readonly resolve: (decision: 'granted' | 'denied') => void;
  readonly reject: (error: Error) => void;
}

/** The events of {@link TechnicianConsent}. */
export interface TechnicianConsentEvents {
  [name: string]: unknown;
  /** The end user withdrew `permission`. */
  revoked: { readonly endUser: string; readonly permission: string };
}

/**
 * The technician's side of consent: asks an end user for a permission and tracks what is
 * granted until the end user revokes it, leaves for good, or the session ends. It is for the
 * console's display only; the end user's side enforces consent itself.
 */
export class TechnicianConsent {
  private readonly pending = new Map<string, Pending>();
  private readonly granted = new Map<string, Set<string>>();
  private readonly events: EventHub<TechnicianConsentEvents>;
  private readonly subscriptions: Disposable[];
  private readonly logger: SessionLogger;

  constructor(
    private readonly client: SessionClient,
    options: { readonly logger?: SessionLogger } = {},
  ) {
    this.logger = options.logger ?? silentSessionLogger;
    this.events = new EventHub(this.logger);
    this.subscriptions = [
      client.onChannel(CONSENT_CHANNEL, (body, from) => this.onBody(body, from)),
      client.on('peer-left', ({ participantId, gone }) => gone && this.forget(participantId)),
      client.on('closed', () => this.forgetAll()),
    ];
  }

  /**
   * Asks end user `endUser` for `permission`, showing `prompt`; resolves with the end user's
   * decision (`denied` also when the certificate lacks the permission). Rejects with a
   * SessionClientError if the end user leaves for good or the client ends first.
   */
  request(endUser: string, permission: string, prompt: string): Promise<'granted' | 'denied'> {
    const id = randomId();
    const decided = new Promise<'granted' | 'denied'>((resolve, reject) => {
      this.pending.set(id, { endUser, permission, resolve, reject });
    });
    const body = { type: 'request', id, permission, prompt };
    this.client.sendJson(endUser, CONSENT_CHANNEL, body).catch((error: Error) => {
      this.pending.get(id)?.reject(error);
      this.pending.delete(id);
    });
    return decided;
  }

  /** Whether `endUser` granted `permission` and has not revoked it. */
  isGranted(endUser: string, permission: string): boolean {
    return this.granted.get(endUser)?.has(permission) === true;
  }

  /** Calls `listener` for each revoke until disposed. */
  on<K extends keyof TechnicianConsentEvents>(
    name: K,
    listener: (value: TechnicianConsentEvents[K]) => void,
  ): Disposable {
    return this.events.on(name, listener);
  }

  /** Stops listening; pending requests reject. */
  dispose(): void {
    for (const subscription of this.subscriptions) void subscription.dispose();
    this.forgetAll();
  }

  private onBody(body: Uint8Array, from: string): void {
    const message = parseConsentBody(body);
    if (message?.type === 'decision') {
      const pending = this.pending.get(message.id);
      if (pending?.endUser !== from || pending.permission !== message.permission) return;
      this.pending.delete(message.id);
      if (message.decision === 'granted') this.grant(from, message.permission);
      this.logger.info({ endUser: from, permission: message.permission }, 'consent answered');
      pending.resolve(message.decision);
    } else if (message?.type === 'revoke') {
      this.granted.get(from)?.delete(message.permission);
      this.logger.info({ endUser: from, permission: message.permission }, 'consent revoked');
      this.events.emit('revoked', { endUser: from, permission: message.permission });
    }
  }

  private grant(endUser: string, permission: string): void {
    let set = this.granted.get(endUser);
    if (set === undefined) this.granted.set(endUser, (set = new Set()));
    set.add(permission);
  }

  private forget(endUser: string, reason: 'peer-gone' | 'closed' = 'peer-gone'): void {
    this.granted.delete(endUser);
    for (const [id, pending] of this.pending) {
      if (pending.endUser !== endUser) continue;
      this.pending.delete(id);
      pending.reject(new SessionClientError(reason, 'no answer: the end user is gone'));
    }
  }

  private forgetAll(): void {
    const endUsers = new Set([...this.pending.values()].map((p) => p.endUser));
    for (const endUser of endUsers) this.forget(endUser, 'closed');
    this.granted.clear();
  }
}
