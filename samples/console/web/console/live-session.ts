import {
  SessionClient,
  TechnicianConsent,
  type SessionPeer,
  type SessionState,
} from '../../../../sdk/session/browser.js';
import { gatewayTicket } from './gateway-ticket.js';

/** Where a consent request stands, as the console shows it. */
export type ConsentStatus = 'asking' | 'granted' | 'denied' | 'revoked' | 'failed';

/** Everything a session view shows about the live connection, at one moment. */
export interface LiveSnapshot {
  readonly phase: 'connecting' | 'ready' | 'reconnecting' | 'ended';
  readonly state?: SessionState;
  readonly stateReason?: string;
  /** The end user, once their certificate arrived. */
  readonly endUser?: SessionPeer;
  /** Other technicians in the session (collaborators, or the owner when I collaborate). */
  readonly technicians: readonly SessionPeer[];
  /** The permissions my own certificate carries: all the end user's side will ever allow. */
  readonly myPermissions: readonly string[];
  readonly consent: Readonly<Record<string, ConsentStatus>>;
  /** How the client ended: the gateway's close code and reason. */
  readonly ended?: { readonly code: number; readonly reason: string };
}

const RECONNECT = { initialDelayMs: 250, maxDelayMs: 5000, maxAttempts: 20 };

/**
 * One support session the console takes part in: the end-to-end session client on the
 * gateway (admitted by single-use tickets, a fresh one for each reconnection), the
 * technician's side of consent, and a snapshot of both for the view to render.
 */
export class LiveSession {
  readonly client: SessionClient;
  readonly consent: TechnicianConsent;
  /** Aborted when the session ends or the console drops it; panels listen to it. */
  readonly lifetime = new AbortController();
  private snapshot: LiveSnapshot = {
    phase: 'connecting',
    technicians: [],
    myPermissions: [],
    consent: {},
  };
  private readonly listeners = new Set<() => void>();

  private constructor(
    readonly ref: string,
    sessionId: string,
    ticket: { ticket: string; gatewayUrl: string; engineKey: string },
  ) {
    this.client = new SessionClient({
      url: ticket.gatewayUrl,
      engineKey: ticket.engineKey,
      sessionId,
      credentials: { kind: 'technician', token: ticket.ticket },
      renewCredentials: async () => ({ kind: 'technician', token: (await gatewayTicket()).ticket }),
      reconnect: RECONNECT,
    });
    this.consent = new TechnicianConsent(this.client);
    this.wire();
  }

  /** Connects to session `ref` (GUID `sessionId`); resolves once admitted. */
  static async open(ref: string, sessionId: string): Promise<LiveSession> {
    const session = new LiveSession(ref, sessionId, await gatewayTicket());
    await session.client.connect();
    return session;
  }

  get current(): LiveSnapshot {
    return this.snapshot;
  }

  /** Calls `listener` after every change; returns what stops it. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The end user's participant id, once they are known. */
  endUserId(): string | undefined {
    return this.snapshot.endUser?.participantId;
  }

  /** Asks the end user for `permission` with `prompt`; the snapshot follows the answer. */
  async ask(permission: string, prompt: string): Promise<void> {
    const endUser = this.endUserId();
    if (endUser === undefined) return;
    this.setConsent(permission, 'asking');
    try {
      this.setConsent(permission, await this.consent.request(endUser, permission, prompt));
    } catch {
      this.setConsent(permission, 'failed');
    }
  }

  /** Leaves the session on this page without ending it (sign-out, or the view is closed). */
  leave(): void {
    this.client.close();
  }

  private wire(): void {
    const { client } = this;
    client.on('ready', () => this.update({ phase: 'ready', ...this.people() }));
    client.on('reconnecting', () => this.update({ phase: 'reconnecting' }));
    client.on('peer-joined', () => this.update(this.people()));
    client.on('peer-left', () => this.update(this.people()));
    client.on('state', ({ state, reason }) => this.update({ state, stateReason: reason }));
    client.on('closed', (ended) => {
      this.lifetime.abort();
      this.consent.dispose();
      this.update({ phase: 'ended', ended, ...this.people() });
    });
    this.consent.on('revoked', ({ permission }) => this.setConsent(permission, 'revoked'));
  }

  private people(): Pick<LiveSnapshot, 'endUser' | 'technicians' | 'myPermissions'> {
    const peers = this.client.peers();
    return {
      endUser: peers.find((peer) => peer.role === 'end-user'),
      technicians: peers.filter((peer) => peer.role === 'technician'),
      myPermissions: this.client.certificate?.permissions ?? [],
    };
  }

  private setConsent(permission: string, status: ConsentStatus): void {
    this.update({ consent: { ...this.snapshot.consent, [permission]: status } });
  }

  private update(change: Partial<LiveSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    for (const listener of [...this.listeners]) listener();
  }
}
