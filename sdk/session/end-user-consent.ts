import type { Disposable } from '../../engine/contracts/disposable.js';
import { PERMISSION_ID_PATTERN } from '../../engine/contracts/permission-contract.js';
import {
  CONSENT_CHANNEL,
  parseConsentBody,
  type ConsentDecisionBody,
  type ConsentRequestBody,
} from './consent-messages.js';
import type { SessionClient, SessionPeer } from './session-client.js';
import { silentSessionLogger, type SessionLogger } from './session-logger.js';

/** What the end user is asked about one request. */
export interface ConsentQuestion {
  readonly permission: string;
  /** The technician's wording, to show as the technician's (it is not verified text). */
  readonly prompt: string;
  /** The requesting technician, as its verified certificate describes it. */
  readonly technician: SessionPeer;
}

/** How the applet asks its user. */
export interface EndUserConsentOptions {
  /** Asks the user about one permission; true grants it. A throw counts as a denial. */
  ask(question: ConsentQuestion): Promise<boolean>;
  /**
   * Asks once per technician, when its certificate's `policy.singlePrompt` is true, whether to
   * grant every permission its certificate carries; true makes those standing grants.
   * Without it, every request is asked on its own.
   */
  askSinglePrompt?(question: {
    readonly technician: SessionPeer;
    readonly permissions: readonly string[];
  }): Promise<boolean>;
  readonly logger?: SessionLogger;
}

/**
 * The end user's side of consent (protocol.md): answers technicians' requests, asking the user
 * unless the VERIFIED certificate of the requester lacks the permission (then it denies with
 * `not-permitted` without asking) or a single prompt already granted it; reports every event
 * to the engine; revokes on request; and clears every grant when the session ends or a
 * technician leaves for good. {@link isAllowed} is the gate every action handler must call.
 */
export class EndUserConsent {
  private readonly grants = new Map<string, Set<string>>();
  private readonly standing = new Map<string, 'accepted' | 'declined'>();
  private readonly subscriptions: Disposable[];
  private queue: Promise<void> = Promise.resolve();
  private readonly logger: SessionLogger;

  constructor(
    private readonly client: SessionClient,
    private readonly options: EndUserConsentOptions,
  ) {
    this.logger = options.logger ?? silentSessionLogger;
    this.subscriptions = [
      client.onChannel(CONSENT_CHANNEL, (body, from) => this.onBody(body, from)),
      client.on('peer-left', ({ participantId, gone }) => gone && this.clear(participantId)),
      client.on('state', ({ state }) => state === 'closed' && this.clearAll()),
      client.on('closed', () => this.clearAll()),
    ];
  }

  /**
   * Whether technician `technicianId` may act under `permission` now: its verified certificate
   * carries the permission AND the end user granted it and did not revoke it, and the session
   * is active (not on hold, being transferred or closed).
   */
  isAllowed(technicianId: string, permission: string): boolean {
    // On hold, transferred or closed, nobody acts, whatever was granted.
    if (this.client.state !== 'active') return false;
    const peer = this.client.peer(technicianId);
    if (peer === undefined || peer.role !== 'technician') return false;
    if (!peer.permissions.includes(permission)) return false;
    return this.grants.get(technicianId)?.has(permission) === true;
  }

  /**
   * Withdraws `permission` from every technician, tells them, and reports it. A name that is no
   * permission id (PERMISSION_ID_PATTERN) was never granted: nothing is sent.
   */
  async revoke(permission: string): Promise<void> {
    if (!PERMISSION_ID_PATTERN.test(permission)) return;
    const holders = [...this.grants].filter(([, set]) => set.delete(permission));
    this.client.report('consent.revoked', permission);
    this.logger.info({ permission }, 'consent revoked');
    await Promise.all(
      holders.map(([technicianId]) =>
        this.client
          .sendJson(technicianId, CONSENT_CHANNEL, { type: 'revoke', permission })
          .catch((error: unknown) => this.logger.warn({ err: String(error) }, 'revoke unsent')),
      ),
    );
  }

  /** Stops answering requests and drops every grant. */
  dispose(): void {
    for (const subscription of this.subscriptions) void subscription.dispose();
    this.clearAll();
  }

  private onBody(body: Uint8Array, from: string): void {
    const message = parseConsentBody(body);
    if (message?.type !== 'request') {
      return this.logger.debug({ from }, 'ignored a consent body');
    }
    // One request at a time, so a single prompt is never asked twice at once.
    this.queue = this.queue
      .then(() => this.answer(message, from))
      .catch((error: unknown) => this.logger.warn({ err: String(error) }, 'consent failed'));
  }

  private async answer(request: ConsentRequestBody, from: string): Promise<void> {
    const technician = this.client.peer(from);
    if (technician?.role !== 'technician') return;
    const { permission } = request;
    if (!technician.permissions.includes(permission)) {
      return this.decide(request, from, false, 'not-permitted');
    }
    if (this.grants.get(from)?.has(permission)) return this.decide(request, from, true);
    if (await this.singlePromptGrants(technician, permission))
      return this.decide(request, from, true);

    this.client.report('consent.asked', permission);
    const question = { permission, prompt: request.prompt, technician };
    const yes = await this.options.ask(question).catch(() => false);
    await this.decide(request, from, yes === true);
  }

  /**
   * Asks the single prompt the first time a technician whose policy allows it requests
   * anything; true when the user accepted it now (every permission of the certificate is then
   * granted). Later requests are answered by the grants alone, so a revoke still holds.
   */
  private async singlePromptGrants(technician: SessionPeer, permission: string) {
    const id = technician.participantId;
    const { askSinglePrompt } = this.options;
    if (technician.policy.singlePrompt !== true || askSinglePrompt === undefined) return false;
    if (this.standing.has(id)) return false;

    this.client.report('consent.asked', permission);
    const question = { technician, permissions: technician.permissions };
    const yes = (await askSinglePrompt(question).catch(() => false)) === true;
    this.standing.set(id, yes ? 'accepted' : 'declined');
    if (!yes) return false;
    for (const other of technician.permissions) {
      if (other !== permission) this.client.report('consent.granted', other);
    }
    this.grantsOf(id, technician.permissions);
    return true;
  }

  private async decide(
    request: ConsentRequestBody,
    from: string,
    granted: boolean,
    why?: string,
  ): Promise<void> {
    if (this.client.peer(from) === undefined || this.client.closed !== undefined) return;
    const { id, permission } = request;
    if (granted) this.grantsOf(from, [permission]);
    this.client.report(granted ? 'consent.granted' : 'consent.denied', permission);
    this.logger.info({ technician: from, permission, granted, why }, 'consent decided');
    const body: ConsentDecisionBody = {
      type: 'decision',
      id,
      permission,
      decision: granted ? 'granted' : 'denied',
      ...(why ? { why } : {}),
    };
    await this.client.sendJson(from, CONSENT_CHANNEL, { ...body });
  }

  private grantsOf(technicianId: string, permissions: readonly string[]): void {
    let set = this.grants.get(technicianId);
    if (set === undefined) this.grants.set(technicianId, (set = new Set()));
    for (const permission of permissions) set.add(permission);
  }

  private clear(technicianId: string): void {
    this.grants.delete(technicianId);
    this.standing.delete(technicianId);
  }

  private clearAll(): void {
    this.grants.clear();
    this.standing.clear();
  }
}
