import nacl from 'tweetnacl';
import type { Disposable } from '../../engine/contracts/disposable.js';
import type { JsonValue } from '../../engine/contracts/json-value.js';
import { fromBase64, toBase64, utf8 } from '../crypto/bytes.js';
import { shortAuthenticationStringAsync } from '../crypto/async-channel-keys.js';
import { KeyAgreementError } from '../crypto/key-schedule.js';
import type { ParticipantCertificateFields } from '../crypto/participant-certificate.js';
import {
  checkCertificate,
  checkOwnCertificate,
  type CertificateExpectation,
} from './certificate-checks.js';
import { ChannelHandlers } from './channel-handlers.js';
import { EventHub } from './event-hub.js';
import type {
  ConsentReportEvent,
  GatewayCredentials,
  SessionState,
} from './gateway-credentials.js';
import { decodeEnvelope } from './gateway-envelope.js';
import { parseGatewayMessage, type ReadyMessage } from './gateway-messages.js';
import { windowLimits } from './outbound-records.js';
import type { PeerLinkHost } from './peer-link.js';
import { ReconnectBackoff } from './reconnect-backoff.js';
import { SessionClientError } from './session-client-error.js';
import { CERTIFICATE_REFUSED_CODE, endedError, FINAL_CODES } from './session-close-codes.js';
import { SessionPeers } from './session-peers.js';
import { FrameCounts } from './frame-counts.js';
import { silentSessionLogger, type SessionLogger } from './session-logger.js';
import { CHANNEL_PATTERN } from './session-record.js';
import type {
  SessionClientEvents,
  SessionClientOptions,
  SessionClosed,
  SessionPeer,
  SessionClientStats,
} from './session-client-types.js';
import { binaryData, WEB_SOCKET_OPEN, type WebSocketLike } from './web-socket-like.js';

export type * from './session-client-types.js';

/** The largest record body: what fits a 1 MiB gateway message with every header around it. */
export const MAX_RECORD_BODY_BYTES = 1024 * 1024 - 1024;

export { CERTIFICATE_REFUSED_CODE } from './session-close-codes.js';

type Status = 'idle' | 'connecting' | 'ready' | 'waiting' | 'closed';

/**
 * One participant's end-to-end session over the engine's gateway (protocol.md): authenticates
 * with an ephemeral X25519 key made once per client life, checks every certificate against
 * the pinned engine key, derives per-peer keys, and carries DATA records to each peer in order
 * and exactly once across dropped connections and gateway restarts. Runs in Node and browsers.
 */
export class SessionClient {
  private status: Status = 'idle';
  /** Connections attempted so far; every one after the first may need renewed credentials. */
  private opened = 0;
  private socket: WebSocketLike | undefined;
  private me: ParticipantCertificateFields | undefined;
  private sessionState: SessionState | undefined;
  private inbox: Promise<void> = Promise.resolve();
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private ready: { promise: Promise<void>; resolve(): void; reject(e: Error): void } | undefined;
  private closedWith: SessionClosed | undefined;
  private readonly boxKeys = nacl.box.keyPair();
  private readonly boxKey = toBase64(this.boxKeys.publicKey);
  private readonly engineKey: Uint8Array;
  private readonly peerLinks: SessionPeers;
  private readonly handlers: ChannelHandlers;
  private readonly reports: { event: ConsentReportEvent; permission: string }[] = [];
  private readonly events: EventHub<SessionClientEvents>;
  private readonly backoff: ReconnectBackoff;
  private readonly logger: SessionLogger;
  private readonly counts = new FrameCounts();

  constructor(private readonly options: SessionClientOptions) {
    const key = fromBase64(options.engineKey, 32);
    if (key === undefined) throw new TypeError('engineKey must be a base64 Ed25519 public key');
    this.engineKey = key;
    this.logger = options.logger ?? silentSessionLogger;
    this.events = new EventHub(this.logger);
    this.handlers = new ChannelHandlers(this.logger);
    this.backoff = new ReconnectBackoff(options.reconnect);
    this.peerLinks = new SessionPeers({
      linkHost: () => this.linkHost(),
      sasWith: (fields) => this.sasWith(fields),
      logger: this.logger,
      events: this.events,
    });
  }

  /** Connects (once); resolves on the first `ready`, rejects if the client ends before it. */
  connect(): Promise<void> {
    if (this.ready === undefined) {
      let resolve!: () => void;
      let reject!: (e: Error) => void;
      const promise = new Promise<void>((yes, no) => ((resolve = yes), (reject = no)));
      this.ready = { promise, resolve, reject };
      if (this.status === 'closed') reject(endedError(this.closedWith));
    }
    if (this.status === 'idle') {
      this.status = 'connecting';
      this.open();
    }
    return this.ready.promise;
  }

  /** Calls `listener` for each `name` event until disposed. */
  on<K extends keyof SessionClientEvents>(
    name: K,
    listener: (value: SessionClientEvents[K]) => void,
  ): Disposable {
    return this.events.on(name, listener);
  }

  /** Calls `handler` for each record delivered on `channel`, until disposed. */
  onChannel(channel: string, handler: (body: Uint8Array, from: string) => void): Disposable {
    return this.handlers.on(channel, handler);
  }

  /**
   * Sends `body` on `channel` to peer `to`; resolves once the peer acknowledged it, and waits
   * first while the window towards that peer is full. Rejects with a SessionClientError when
   * the peer is unknown or leaves for good, or the client ends.
   */
  send(to: string, channel: string, body: Uint8Array): Promise<void> {
    if (this.status === 'closed') return Promise.reject(endedError(this.closedWith));
    if (!CHANNEL_PATTERN.test(channel)) {
      return Promise.reject(new SessionClientError('bad-channel', 'bad channel name'));
    }
    if (body.length > MAX_RECORD_BODY_BYTES) {
      return Promise.reject(new SessionClientError('too-big', 'the record body is too big'));
    }
    const link = this.peerLinks.link(to);
    if (link === undefined) {
      return Promise.reject(new SessionClientError('unknown-peer', `no peer ${to}`));
    }
    return link.send(channel, body);
  }

  /** {@link send} of `value` as UTF-8 JSON. */
  sendJson(to: string, channel: string, value: JsonValue): Promise<void> {
    return this.send(to, channel, utf8(JSON.stringify(value)));
  }

  /** End users: reports a consent event to the engine (queued while disconnected). */
  report(event: ConsentReportEvent, permission: string): void {
    this.reports.push({ event, permission });
    if (this.reports.length > 256) this.reports.shift();
    this.flushReports();
  }

  /** Asks the engine to end the session for everyone; the gateway then closes with 4100. */
  end(): void {
    if (this.socketOpen()) this.socket!.send(JSON.stringify({ t: 'end' }));
  }

  /** Ends this client at once, without ending the session (it may join again later). */
  close(): void {
    this.finish(1000, 'closed-by-client');
  }

  /** My verified certificate, once ready. */
  get certificate(): ParticipantCertificateFields | undefined {
    return this.me;
  }

  get participantId(): string | undefined {
    return this.me?.participantId;
  }

  /** The session state as the gateway last said. */
  get state(): SessionState | undefined {
    return this.sessionState;
  }

  /** How it ended, once it has. */
  get closed(): SessionClosed | undefined {
    return this.closedWith;
  }

  /** The peers known now (connected or expected back). */
  peers(): SessionPeer[] {
    return this.peerLinks.all();
  }

  /** The peer with `participantId`, or undefined. */
  peer(participantId: string): SessionPeer | undefined {
    return this.peerLinks.peer(participantId);
  }

  /** Frames opened and dropped by reason. */
  stats(): SessionClientStats {
    return this.counts.stats();
  }

  private open(): void {
    const renew = this.options.renewCredentials;
    if (this.opened === 0 || renew === undefined) return this.openWith(this.options.credentials);
    renew().then(
      (credentials) => {
        if (this.status === 'closed') return;
        if (credentials.kind !== this.options.credentials.kind) {
          return this.finish(1000, 'renewed credentials of another kind');
        }
        this.openWith(credentials);
      },
      (error: unknown) => {
        this.logger.warn({ err: String(error) }, 'could not renew the credentials');
        if (this.status !== 'closed') this.scheduleReconnect(1006);
      },
    );
  }

  private openWith(credentials: GatewayCredentials): void {
    this.opened++;
    this.logger.info({ attempt: this.backoff.attempts }, 'connecting to the gateway');
    let socket: WebSocketLike;
    try {
      socket = this.options.webSocket(this.options.url);
    } catch (error) {
      this.logger.warn({ err: String(error) }, 'could not open a WebSocket');
      return this.scheduleReconnect(1006);
    }
    this.socket = socket;
    socket.binaryType = 'arraybuffer';
    const auth = { t: 'auth', v: 1, sessionId: this.options.sessionId, boxKey: this.boxKey };
    socket.onopen = () => socket.send(JSON.stringify({ ...auth, credentials }));
    socket.onmessage = (event) => this.onSocketMessage(socket, event.data);
    socket.onclose = (event) => this.onSocketClose(socket, event.code, event.reason);
    socket.onerror = () => this.logger.debug({}, 'WebSocket error; its close follows');
  }

  private onSocketMessage(socket: WebSocketLike, data: unknown): void {
    if (socket !== this.socket) return;
    if (typeof data === 'string') {
      this.inbox = this.inbox.then(() => this.onText(data)).catch((e) => this.onFailure(e));
      return;
    }
    const bytes = binaryData(data);
    if (bytes === undefined) return this.counts.countDrop('bad-envelope');
    this.inbox = this.inbox.then(() => this.onBinary(bytes)).catch((e) => this.onFailure(e));
  }

  private onBinary(bytes: Uint8Array): void {
    if (this.status === 'closed') return;
    const envelope = decodeEnvelope(bytes);
    if (envelope === undefined) return this.counts.countDrop('bad-envelope');
    const link = this.peerLinks.link(envelope.participantId);
    if (link === undefined) return this.counts.countDrop('unknown-peer');
    link.receive(envelope.frame);
  }

  private async onText(text: string): Promise<void> {
    if (this.status === 'closed') return;
    const message = parseGatewayMessage(text);
    if (message === undefined) return this.logger.debug({}, 'ignored a gateway message');
    if (message.t === 'ready') return this.onReady(message);
    if (message.t === 'peer') return this.onPeer(message.certificate);
    if (message.t === 'peer-left') return this.peerLinks.left(message.participantId, message.gone);
    this.setState(message.state, message.reason);
  }

  private async onReady(message: ReadyMessage): Promise<void> {
    const mine = { ...this.expectation(), boxKey: this.boxKey };
    const me = checkOwnCertificate(message, mine, this.options.credentials, this.me);
    this.me = me;
    const peers = message.peers.map((c) => checkCertificate(c, this.peerExpectation()));

    for (const fields of peers) await this.peerLinks.upsert(fields);
    this.peerLinks.retain(message.seated, peers);
    this.status = 'ready';
    this.backoff.reset();
    this.logger.info({ participantId: me.participantId, peers: peers.length }, 'ready');
    this.setState(message.state);
    this.flushReports();
    this.events.emit('ready', { participantId: me.participantId, role: me.role });
    this.ready?.resolve();
  }

  private async onPeer(certificate: unknown): Promise<void> {
    if (this.me === undefined) return;
    await this.peerLinks.upsert(checkCertificate(certificate, this.peerExpectation()));
  }

  private setState(state: SessionState, reason?: string): void {
    if (state === this.sessionState) return;
    this.sessionState = state;
    this.logger.info({ state, reason }, 'session state');
    this.events.emit('state', { state, reason });
  }

  private onSocketClose(socket: WebSocketLike, code: number, reason: string): void {
    if (socket !== this.socket) return;
    this.socket = undefined;
    this.peerLinks.disconnected();
    if (this.status === 'closed') return;

    const final = FINAL_CODES.get(code);
    if (final !== undefined) return this.finish(code, reason || final);
    this.scheduleReconnect(code);
  }

  private scheduleReconnect(code: number): void {
    const delayMs = this.backoff.next();
    if (delayMs === undefined) return this.finish(1006, 'unreachable');
    this.status = 'waiting';
    const attempt = this.backoff.attempts;
    this.logger.info({ code, attempt, delayMs }, 'connection dropped; reconnecting');
    this.events.emit('reconnecting', { attempt, delayMs, code });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.status !== 'closed') this.open();
    }, delayMs);
  }

  private onFailure(error: unknown): void {
    if (error instanceof KeyAgreementError) {
      return this.finish(CERTIFICATE_REFUSED_CODE, 'certificate refused: weak-peer-key');
    }
    if (error instanceof SessionClientError && error.reason === 'certificate-refused') {
      this.logger.warn({ why: error.message }, 'refused a certificate; ending');
      return this.finish(CERTIFICATE_REFUSED_CODE, error.message);
    }
    this.logger.warn({ err: String(error) }, 'a gateway message failed');
  }

  private finish(code: number, reason: string): void {
    if (this.status === 'closed') return;
    this.status = 'closed';
    this.closedWith = { code, reason };
    if (this.reconnectTimer !== undefined) clearTimeout(this.reconnectTimer);
    const socket = this.socket;
    this.socket = undefined;
    if (socket !== undefined) socket.close(code === CERTIFICATE_REFUSED_CODE ? 1008 : 1000);

    const error = endedError(this.closedWith);
    this.peerLinks.close(error);
    this.logger.info({ code, reason }, 'session client ended');
    this.ready?.reject(error);
    this.ready?.promise.catch(() => undefined);
    this.events.emit('closed', { code, reason });
  }

  private expectation(): CertificateExpectation {
    const now = this.options.now?.() ?? new Date();
    return { engineKey: this.engineKey, sessionId: this.options.sessionId, now };
  }

  private peerExpectation(): CertificateExpectation {
    const role = this.options.expectedPeerRole;
    return { ...this.expectation(), notParticipantId: this.me!.participantId, role };
  }

  private sasWith(fields: ParticipantCertificateFields): Promise<string> {
    const peerKey = fromBase64(fields.boxKey, 32)!;
    const { sessionId, backend } = this.options;
    return shortAuthenticationStringAsync(sessionId, this.boxKeys.publicKey, peerKey, backend);
  }

  private linkHost(): PeerLinkHost {
    const { options } = this;
    return {
      sessionId: options.sessionId,
      myParticipantId: this.me!.participantId,
      mySecretKey: this.boxKeys.secretKey,
      backend: options.backend,
      window: windowLimits(options.window),
      retransmitMs: options.retransmitMs ?? 1000,
      transmit: (envelope) => this.transmit(envelope),
      deliver: (from, channel, body) => this.deliver(from, channel, body),
      opened: () => this.counts.countOpened(),
      dropped: (reason) => this.counts.countDrop(reason),
      failed: (error) => this.logger.warn({ err: String(error) }, 'a frame step failed'),
    };
  }

  private transmit(envelope: Uint8Array): boolean {
    if (!this.socketOpen()) return false;
    this.socket!.send(envelope);
    return true;
  }

  private deliver(from: string, channel: string, body: Uint8Array): void {
    this.events.emit('message', { channel, body, from });
    this.handlers.deliver(from, channel, body);
  }

  private flushReports(): void {
    if (this.status !== 'ready' || !this.socketOpen()) return;
    for (const report of this.reports.splice(0)) {
      this.socket!.send(JSON.stringify({ t: 'report', ...report }));
    }
  }

  private socketOpen(): boolean {
    return this.socket !== undefined && this.socket.readyState === WEB_SOCKET_OPEN;
  }
}
