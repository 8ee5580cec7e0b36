import {
  EndUserConsent,
  SessionClient,
  type ConsentQuestion,
  type SessionClosed,
  type SessionPeer,
  type SessionState,
} from '../../../../sdk/session/browser.js';
import type { JoinedSession } from '../../../../sdk/session/joined-session.js';

/** A permission the end user granted and has not withdrawn. */
export interface Grant {
  readonly permission: string;
  readonly technician: SessionPeer;
}

/** A question put to the end user now: one permission, or all at once (the single prompt). */
export type ConsentAsk =
  | { readonly kind: 'one'; readonly question: ConsentQuestion }
  | {
      readonly kind: 'all';
      readonly technician: SessionPeer;
      readonly permissions: readonly string[];
    };

/** Where the connection stands, as the page shows it. */
export type Connection = 'connecting' | 'connected' | 'reconnecting' | 'ended';

/** Everything the session screen renders, as one immutable value. */
export interface JoinSnapshot {
  readonly connection: Connection;
  readonly state: SessionState | undefined;
  /** The technicians whose certificates arrived, connected or expected back. */
  readonly technicians: readonly SessionPeer[];
  readonly grants: readonly Grant[];
  readonly asking: ConsentAsk | undefined;
  /** How it ended, once it has; `reason` is the session's close reason when the engine gave one. */
  readonly ended: SessionClosed | undefined;
}

/** How long the page waits for the engine to confirm an end before it closes on its own. */
const END_CONFIRM_MS = 5000;

/**
 * The end user's browser session: the session client, consent answered by asking the person
 * through the page, and a snapshot of it all for rendering. Grants are read back from
 * EndUserConsent itself (`isAllowed`), so the list never claims more than the gate allows.
 */
export class JoinSession {
  readonly client: SessionClient;
  readonly consent: EndUserConsent;
  /** The end user's participant id in this session. */
  readonly participantId: string;
  private connection: Connection = 'connecting';
  private asking: { ask: ConsentAsk; resolve: (yes: boolean) => void } | undefined;
  private readonly listeners = new Set<() => void>();
  private current: JoinSnapshot;

  constructor(joined: JoinedSession) {
    this.participantId = joined.participantId;
    this.client = new SessionClient({
      url: joined.gatewayUrl,
      engineKey: joined.engineKey,
      sessionId: joined.sessionId,
      credentials: { kind: 'end-user', participantId: joined.participantId, secret: joined.secret },
      expectedPeerRole: 'technician',
    });
    this.consent = new EndUserConsent(this.client, {
      ask: (question) => this.ask({ kind: 'one', question }),
      askSinglePrompt: ({ technician, permissions }) =>
        this.ask({ kind: 'all', technician, permissions }),
    });
    this.current = this.compute();
    this.listen();
  }

  /** Connects; a failure shows as the end of the session, with its reason. */
  start(): void {
    this.client.connect().catch(() => this.changed());
  }

  snapshot(): JoinSnapshot {
    return this.current;
  }

  /** Calls `listener` after every change; answers the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The person's answer to the question on screen. */
  answer(yes: boolean): void {
    const pending = this.asking;
    this.asking = undefined;
    pending?.resolve(yes);
    // EndUserConsent records the grant right after the answer resolves: read it back then.
    setTimeout(() => this.changed(), 0);
    this.changed();
  }

  /** Withdraws a permission from every technician. */
  async revoke(permission: string): Promise<void> {
    await this.consent.revoke(permission);
    this.changed();
  }

  /**
   * Ends the session for everyone. Without a connection to tell the engine, or when it does
   * not confirm in time, the page leaves on its own and the grace period closes the session.
   */
  end(): void {
    if (this.client.closed !== undefined) return;
    if (this.connection !== 'connected') return this.client.close();
    this.client.end();
    setTimeout(() => this.client.closed ?? this.client.close(), END_CONFIRM_MS);
  }

  /** Drops everything: the page is going away. */
  dispose(): void {
    this.answer(false);
    this.consent.dispose();
    if (this.client.closed === undefined) this.client.close();
    this.listeners.clear();
  }

  private ask(ask: ConsentAsk): Promise<boolean> {
    if (this.client.closed !== undefined) return Promise.resolve(false);
    this.asking?.resolve(false);
    return new Promise((resolve) => {
      this.asking = { ask, resolve };
      this.changed();
    });
  }

  private listen(): void {
    const { client } = this;
    client.on('ready', () => this.setConnection('connected'));
    client.on('reconnecting', () => this.setConnection('reconnecting'));
    client.on('peer-joined', () => this.changed());
    client.on('peer-left', () => this.changed());
    client.on('state', ({ state }) => {
      if (state !== 'active') this.answer(false);
      this.changed();
    });
    client.on('closed', () => {
      this.answer(false);
      this.setConnection('ended');
    });
  }

  private setConnection(connection: Connection): void {
    if (this.connection !== 'ended') this.connection = connection;
    this.changed();
  }

  private changed(): void {
    this.current = this.compute();
    for (const listener of [...this.listeners]) listener();
  }

  private compute(): JoinSnapshot {
    const technicians = this.client.peers().filter((peer) => peer.role === 'technician');
    const grants = technicians.flatMap((technician) =>
      technician.permissions
        .filter((permission) => this.consent.isAllowed(technician.participantId, permission))
        .map((permission) => ({ permission, technician })),
    );
    return {
      connection: this.connection,
      state: this.client.state,
      technicians,
      grants,
      asking: this.asking?.ask,
      ended: this.client.closed,
    };
  }
}
