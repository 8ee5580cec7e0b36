import type { Bus, BusMessage } from '../contracts/bus-contract.js';
import type { Disposable } from '../contracts/disposable.js';
import type { Logger } from '../contracts/logger-contract.js';
import type { ParticipantCertificate } from '../../sdk/crypto/participant-certificate.js';
import { sessionControlTopic, type SessionControlMessage } from '../sessions/session-port.js';
import { CLOSE } from './gateway-protocol.js';
import {
  directTopic,
  peersTopic,
  readPeerMessage,
  readPresentMessage,
  toBusMessage,
  type PeerMessage,
  type PresentMessage,
} from './peer-messages.js';

/** A connection as its session room sees it. */
export interface RoomMember {
  /** Set once admitted. */
  readonly participantId: string | undefined;
  /** Set once admitted; names this connection among the participant's connections. */
  readonly nonce: string | undefined;
  readonly isReady: boolean;
  /** The participant's connection number (Admission.connection) once admitted; 0 before. */
  readonly connection: number;
  readonly certificate: ParticipantCertificate | undefined;
  /** A peer connection is there (it may be a reconnect, with a new nonce). */
  learn(participantId: string, nonce: string, certificate: ParticipantCertificate): void;
  /** A peer connection closed. */
  forget(participantId: string, nonce: string, gone: boolean): void;
  /** The session changed state; `text` is the encoded `state` message. */
  noteState(message: SessionControlMessage & { t: 'state' }, text: string): void;
  /** Writes a relayed frame; a promise asks its sender to wait until it settles. */
  sendBinary(message: Uint8Array): Promise<void> | undefined;
  close(code: number, reason: string): void;
}

/**
 * One session's connections on this node, and the bus subscriptions they share: the session's
 * control and peer topics, and one direct topic per participant connected here. Everything a
 * connection learns about its peers comes through the bus, so it holds across nodes.
 */
export class SessionRoom {
  readonly members = new Set<RoomMember>();
  /** Resolves once the control and peer topics are subscribed. */
  readonly opened: Promise<void>;
  private readonly ready = new Map<string, RoomMember>();
  private readonly routes = new Map<string, Promise<Disposable>>();
  private readonly subscriptions: Promise<Disposable[]>;

  constructor(
    readonly sessionId: string,
    private readonly bus: Bus,
    private readonly logger: Logger,
    private readonly onEmpty: (room: SessionRoom) => void,
  ) {
    this.subscriptions = Promise.all([
      bus.subscribe(sessionControlTopic(sessionId), (message) => this.onControl(message)),
      bus.subscribe(peersTopic(sessionId), (message) => this.onPeers(message)),
    ]);
    this.opened = this.subscriptions.then(() => undefined);
  }

  /** Subscribes the participant's direct topic (once per participant on this node). */
  async route(participantId: string): Promise<void> {
    let route = this.routes.get(participantId);
    if (!route) {
      const topic = directTopic(this.sessionId, participantId);
      route = this.bus.subscribe(topic, (message) => this.onDirect(participantId, message));
      this.routes.set(participantId, route);
    }
    await route;
  }

  /** The member is ready: frames for its participant go to it; an older one here is replaced. */
  promote(member: RoomMember & { readonly participantId: string }): void {
    const older = this.ready.get(member.participantId);
    this.ready.set(member.participantId, member);
    if (older && older !== member) older.close(CLOSE.replaced, 'replaced');
  }

  /**
   * Hands a delivered envelope to the recipient here, else to the bus (dropped if nobody). A
   * promise asks the sender to wait: the recipient here is behind (RecipientFlow).
   */
  deliver(to: string, envelope: Buffer): Promise<void> | undefined {
    const local = this.ready.get(to);
    if (local) return local.sendBinary(envelope);
    this.bus.publish(directTopic(this.sessionId, to), envelope).catch((error: unknown) => {
      this.logger.error({ err: error }, 'relaying a frame over the bus failed');
    });
    return undefined;
  }

  /** Tells every node's connections of this session. */
  publishPeers(message: PeerMessage): Promise<void> {
    return this.bus.publish(peersTopic(this.sessionId), toBusMessage(message));
  }

  /** The member left; the last one out drops the room's subscriptions. */
  leave(member: RoomMember): void {
    if (!this.members.delete(member)) return;
    const id = member.participantId;
    if (id !== undefined && this.ready.get(id) === member) this.ready.delete(id);
    if (id !== undefined && ![...this.members].some((other) => other.participantId === id)) {
      const route = this.routes.get(id);
      this.routes.delete(id);
      void route?.then(
        (subscription) => subscription.dispose(),
        () => undefined,
      );
    }
    if (this.members.size === 0) this.onEmpty(this);
  }

  /** Drops every subscription. */
  async dispose(): Promise<void> {
    const routes = [...this.routes.values()];
    this.routes.clear();
    const all = await Promise.allSettled([this.subscriptions, ...routes]);
    for (const result of all) {
      if (result.status !== 'fulfilled') continue;
      const value = result.value;
      for (const subscription of Array.isArray(value) ? value : [value]) {
        await subscription.dispose();
      }
    }
  }

  private onControl(message: BusMessage): void {
    const control = message as SessionControlMessage | null;
    if (control?.t === 'state' && typeof control.state === 'string') return this.onState(control);
    if (control?.t === 'removed' && typeof control.participantId === 'string') {
      for (const member of [...this.members]) {
        if (member.participantId === control.participantId) member.close(CLOSE.removed, 'removed');
      }
      return;
    }
    this.logger.warn({}, 'dropped a malformed session control message');
  }

  private onState(control: SessionControlMessage & { t: 'state' }): void {
    const { state, reason } = control;
    const text = JSON.stringify(reason === undefined ? { t: 'state', state } : control);
    for (const member of this.members) member.noteState(control, text);
    if (state !== 'closed') return;
    for (const member of [...this.members]) member.close(CLOSE.sessionEnded, reason ?? 'closed');
  }

  private onPeers(message: BusMessage): void {
    const peer = readPeerMessage(message);
    if (!peer) return this.logger.warn({}, 'dropped a malformed peer message');
    if (peer.t === 'who') return this.answer(peer.participantId, peer.nonce);
    if (peer.t === 'left') {
      for (const member of this.members) {
        if (member.participantId !== peer.participantId) {
          member.forget(peer.participantId, peer.nonce, peer.gone);
        }
      }
      return;
    }
    for (const member of [...this.members]) this.onAnnounce(member, peer);
  }

  private onAnnounce(member: RoomMember, peer: PeerMessage & { t: 'announce' }): void {
    if (member.participantId !== peer.participantId) {
      return member.learn(peer.participantId, peer.nonce, peer.certificate);
    }
    if (!member.isReady || member.nonce === peer.nonce) return;
    // Two connections of one participant: the one opened later, by the storage's count, stays.
    if (member.connection < peer.connection) member.close(CLOSE.replaced, 'replaced');
  }

  /** Every ready connection here answers a joining connection of another participant. */
  private answer(asker: string, nonce: string): void {
    for (const [participantId, member] of this.ready) {
      if (participantId === asker || !member.nonce || !member.certificate) continue;
      const present: PresentMessage = {
        t: 'present',
        nonce,
        participantId,
        peerNonce: member.nonce,
        certificate: member.certificate,
      };
      this.bus
        .publish(directTopic(this.sessionId, asker), toBusMessage(present))
        .catch((error: unknown) => this.logger.error({ err: error }, 'answering who failed'));
    }
  }

  private onDirect(participantId: string, message: BusMessage): void {
    if (message instanceof Uint8Array) {
      this.ready.get(participantId)?.sendBinary(message);
      return;
    }
    const present = readPresentMessage(message);
    if (!present) return this.logger.warn({}, 'dropped a malformed direct message');
    for (const member of this.members) {
      if (member.nonce === present.nonce) {
        member.learn(present.participantId, present.peerNonce, present.certificate);
      }
    }
  }
}
