import type { ParticipantCertificateFields } from '../crypto/participant-certificate.js';
import type { EventHub } from './event-hub.js';
import { PeerLink, type PeerLinkHost } from './peer-link.js';
import { SessionClientError } from './session-client-error.js';
import type { SessionClientEvents, SessionPeer } from './session-client-types.js';
import type { SessionLogger } from './session-logger.js';

/** What the peers of one session client need from it. */
export interface SessionPeersHost {
  /** The link host for a new peer (my keys, the window, how frames go out and come in). */
  linkHost(): PeerLinkHost;
  /** The short authentication string with a peer's certificate. */
  sasWith(fields: ParticipantCertificateFields): Promise<string>;
  readonly logger: SessionLogger;
  readonly events: EventHub<SessionClientEvents>;
}

/**
 * The peers one session client knows: a {@link PeerLink} and a short authentication string per
 * peer, kept across reconnects (a peer that is back keeps its link, one that restarted gets new
 * keys), dropped when the peer leaves for good or the client ends. Emits `peer-joined` and
 * `peer-left`.
 */
export class SessionPeers {
  private readonly links = new Map<string, PeerLink>();
  private readonly sas = new Map<string, string>();

  constructor(private readonly host: SessionPeersHost) {}

  /** The link to `participantId`, or undefined. */
  link(participantId: string): PeerLink | undefined {
    return this.links.get(participantId);
  }

  /** The peers known now (connected or expected back). */
  all(): SessionPeer[] {
    return [...this.links.keys()].map((id) => this.peer(id)!);
  }

  /** The peer with `participantId`, or undefined. */
  peer(participantId: string): SessionPeer | undefined {
    const link = this.links.get(participantId);
    if (link === undefined) return undefined;
    const { fields } = link;
    return {
      participantId,
      role: fields.role,
      permissions: fields.permissions ?? [],
      policy: fields.policy ?? {},
      sas: this.sas.get(participantId)!,
      connected: link.isConnected,
      certificate: fields,
    };
  }

  /** A checked certificate of a peer arrived: a new peer, one back, or one restarted. */
  async upsert(fields: ParticipantCertificateFields): Promise<void> {
    const id = fields.participantId;
    let link = this.links.get(id);
    let change: 'new' | 'back' | 'restarted' = 'new';
    if (link === undefined) {
      link = await PeerLink.create(this.host.linkHost(), fields);
      this.links.set(id, link);
    } else {
      change = (await link.update(fields)) === 'restarted' ? 'restarted' : 'back';
    }
    if (change !== 'back') this.sas.set(id, await this.host.sasWith(fields));

    link.resume();
    this.host.logger.info({ participantId: id, role: fields.role, change }, 'peer joined');
    this.host.events.emit('peer-joined', { peer: this.peer(id)!, change });
  }

  /** A peer's connection closed; `gone` when it left the session for good. */
  left(participantId: string, gone: boolean): void {
    const link = this.links.get(participantId);
    if (link === undefined) return;
    if (gone) {
      link.close(new SessionClientError('peer-gone', `peer ${participantId} left the session`));
      this.links.delete(participantId);
      this.sas.delete(participantId);
    } else {
      link.disconnected();
    }
    this.host.logger.info({ participantId, gone }, 'peer left');
    this.host.events.emit('peer-left', { participantId, gone });
  }

  /**
   * After my (re)connect: a peer known from before that holds no place in the session now
   * (`seated`, from `ready`) and is not among the `connected` ones left for good while I was
   * away, and goes as if I had heard it leave. Without `seated` (an older engine) nothing
   * changes.
   */
  retain(
    seated: readonly string[] | undefined,
    connected: readonly ParticipantCertificateFields[],
  ): void {
    if (seated === undefined) return;
    const keep = new Set([...seated, ...connected.map((fields) => fields.participantId)]);
    for (const id of [...this.links.keys()]) if (!keep.has(id)) this.left(id, true);
  }

  /** My own connection dropped: every link waits to resume. */
  disconnected(): void {
    for (const link of this.links.values()) link.disconnected();
  }

  /** The client ended: every link fails what it still holds with `error`. */
  close(error: SessionClientError): void {
    for (const link of this.links.values()) link.close(error);
    this.links.clear();
  }
}
