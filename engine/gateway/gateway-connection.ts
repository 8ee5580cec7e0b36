import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { WebSocket, type RawData } from 'ws';
import { isTetherError } from '../errors.js';
import {
  queueTopic,
  type Admission,
  type SessionControlMessage,
  type SessionGatewayPort,
} from '../sessions/session-port.js';
import type { ParticipantCertificate } from '../../sdk/crypto/participant-certificate.js';
import { certificateFields } from './certificate-fields.js';
import {
  CLOSE,
  closeText,
  MAX_TEXT_BYTES,
  parseClientMessage,
  type ClientMessage,
} from './gateway-protocol.js';
import type { GatewayContext } from './gateway-context.js';
import type { QueueSink } from './queue-watchers.js';
import { ReceiverFragments } from './receiver-fragments.js';
import { FrameRelay } from './frame-relay.js';
import type { RoomMember, SessionRoom } from './session-room.js';
import { SignInRecheck } from './sign-in-recheck.js';

type Phase = 'pending' | 'admitting' | 'joining' | 'ready' | 'watching' | 'closed';
type AuthMessage = ClientMessage & { t: 'auth' };
type StateMessage = SessionControlMessage & { t: 'state' };

/**
 * One WebSocket on `/gateway`, from the upgrade to the close: in-band authentication, then
 * either a session participant (relay, `end`, `report`, peers) or a queue watcher. State is
 * kept small: an idle connection holds its socket, its admission and its certificate.
 */
export class GatewayConnection implements RoomMember, QueueSink {
  participantId: string | undefined;
  nonce: string | undefined;
  certificate: ParticipantCertificate | undefined;
  connection = 0;
  /** Cleared by each keepalive ping, set by each pong. */
  alive = true;
  private phase: Phase = 'pending';
  /** The consent reports of this connection, one after the other. */
  private reporting: Promise<void> | undefined;
  /** Technicians and watchers: asks again whether the sign-in still holds (signed out, ...). */
  private readonly recheck: SignInRecheck;
  private kind = 'pending';
  private admission: Admission | undefined;
  private room: SessionRoom | undefined;
  private learned: Map<string, string> | undefined;
  private pendingPeers: Map<string, ParticipantCertificate> | undefined;
  private joinState: StateMessage | undefined;
  /** Made on the first frame relayed from or to this connection. */
  private frames: FrameRelay | undefined;
  private authTimer: NodeJS.Timeout | undefined;
  private ending: number | undefined;
  private connectedCall: Promise<void> | undefined;
  private watched: readonly string[] | undefined;

  constructor(
    private readonly ws: WebSocket,
    private readonly clientIp: string,
    private readonly context: GatewayContext,
  ) {
    ws.binaryType = 'nodebuffer';
    const fragments = ReceiverFragments.of(ws);
    ws.on('message', (data, isBinary) => {
      this.onMessage(data, isBinary);
      fragments?.reset();
    });
    ws.on('pong', () => this.onPong());
    ws.on('error', (error) => this.onError(error));
    ws.on('close', (code) => this.finish(code));
    this.authTimer = setTimeout(
      () => this.close(CLOSE.authTimeout, 'auth-timeout'),
      context.authTimeoutMs,
    );
    context.metrics.gatewayConnections.inc({ kind: this.kind });
    this.recheck = new SignInRecheck(context.recheckMs, {
      gone: () => this.close(CLOSE.notAdmitted, 'signed-out'),
      failed: (error) => this.logError(error, 'sign-in check failed'),
    });
  }

  /** True once closed; read again after each await, since the socket may close meanwhile. */
  get isClosed(): boolean {
    return this.phase === 'closed';
  }

  get isReady(): boolean {
    return this.phase === 'ready';
  }

  /** Ends a connection that did not answer the last ping, else pings it. */
  keepalive(): void {
    if (!this.alive) return this.ws.terminate();
    this.alive = false;
    this.ws.ping();
  }

  /** Closes with `code`; the reason becomes the close text (cut to 123 bytes). */
  close(code: number, reason: string): void {
    if (this.isClosed) return;
    this.ending = code;
    this.finish(code);
    this.ws.close(code, closeText(reason));
  }

  /** Resolves once the socket is closed (the gateway waits for this when it stops). */
  whenClosed(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => this.ws.once('close', () => resolve()));
  }

  /** Drops the socket at once. */
  terminate(): void {
    this.ws.terminate();
  }

  sendText(text: string): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(text);
  }

  /** Sends a relayed frame (or drops it); a promise asks the sender to wait (RecipientFlow). */
  sendBinary(message: Uint8Array): Promise<void> | undefined {
    if (this.ws.readyState !== WebSocket.OPEN) return undefined;
    return this.framePath().deliver(message);
  }

  learn(participantId: string, nonce: string, certificate: ParticipantCertificate): void {
    if (participantId === this.participantId || this.learned?.get(participantId) === nonce) {
      return;
    }
    (this.learned ??= new Map()).set(participantId, nonce);
    if (this.phase === 'ready') return this.sendJson({ t: 'peer', certificate });
    (this.pendingPeers ??= new Map()).set(participantId, certificate);
  }

  forget(participantId: string, nonce: string, gone: boolean): void {
    if (this.learned?.get(participantId) !== nonce) return;
    this.learned.delete(participantId);
    if (this.phase === 'ready') return this.sendJson({ t: 'peer-left', participantId, gone });
    this.pendingPeers?.delete(participantId);
  }

  noteState(message: StateMessage, text: string): void {
    if (this.phase === 'ready') return this.sendText(text);
    this.joinState = message;
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (this.isClosed) return;
    const bytes = data as Buffer;
    if (isBinary) {
      if (this.phase === 'ready') return this.relay(bytes);
      return this.close(CLOSE.badMessage, 'binary before ready');
    }
    const message =
      bytes.length > MAX_TEXT_BYTES ? undefined : parseClientMessage(bytes.toString());
    if (!message) return this.close(CLOSE.badMessage, 'bad-message');
    this.handle(message);
  }

  private handle(message: ClientMessage): void {
    if (this.phase === 'pending' && message.t === 'auth') return void this.authenticate(message);
    if (this.phase === 'pending' && message.t === 'watch') return void this.watch(message.token);
    if (this.phase === 'ready' && message.t === 'end') {
      return void this.call('end', (port, admission) => port.end(admission));
    }
    if (this.phase === 'ready' && message.t === 'report' && this.kind === 'end-user') {
      const { event, permission } = message;
      // Reports are recorded in the order the end user's side sent them.
      const record = () =>
        this.call('report', (port, admission) => port.report(admission, event, permission));
      this.reporting = (this.reporting ?? Promise.resolve()).then(record);
      return;
    }
    this.close(CLOSE.badMessage, `unexpected ${message.t}`);
  }

  private relay(envelope: Buffer): void {
    if (!this.framePath().forward(envelope)) this.close(CLOSE.badMessage, 'bad-frame');
  }

  /** Only once admitted and in the room: frames flow only then. */
  private framePath(): FrameRelay {
    return (this.frames ??= new FrameRelay(this.ws, this.admission!, this.room!, this.context));
  }

  private async authenticate(message: AuthMessage): Promise<void> {
    this.begin();
    const room = this.context.rooms.enter(message.sessionId, this);
    this.room = room;
    try {
      await room.opened;
      const admission = this.isClosed ? undefined : await this.admit(message);
      if (!admission || this.isClosed) return;
      if (admission.sessionId !== room.sessionId)
        return this.close(CLOSE.notAdmitted, 'not-admitted');
      if (admission.role === 'technician') {
        this.recheck.start(() => this.context.port().recheckAdmission(admission, this.clientIp));
      }
      await this.join(admission, message.boxKey);
    } catch (error) {
      this.fail(error);
    }
  }

  private async admit(message: AuthMessage): Promise<Admission | undefined> {
    const { sessionId, boxKey, credentials } = message;
    try {
      return await this.context
        .port()
        .admit({ sessionId, boxKey, credentials, clientIp: this.clientIp });
    } catch (error) {
      if (!isTetherError(error, 'TETHER_E_NOT_ADMITTED')) throw error;
      this.close(CLOSE.notAdmitted, 'not-admitted');
      return undefined;
    }
  }

  private async join(admission: Admission, boxKey: string): Promise<void> {
    this.admission = admission;
    this.participantId = admission.participantId;
    this.connection = admission.connection;
    this.nonce = randomBytes(9).toString('base64url');
    this.learned?.delete(admission.participantId);
    this.pendingPeers?.delete(admission.participantId);
    this.certificate = this.context.signingKey().issue(certificateFields(admission, boxKey));
    this.phase = 'joining';
    this.setKind(admission.role);

    await this.room!.route(admission.participantId);
    await this.room!.publishPeers({
      t: 'who',
      participantId: admission.participantId,
      nonce: this.nonce,
    });
    await delay(this.context.peerWaitMs);
    if (this.isClosed) return;
    await this.becomeReady(admission);
  }

  private async becomeReady(admission: Admission): Promise<void> {
    const { participantId, role, sessionRef } = admission;
    this.phase = 'ready';
    this.room!.promote(this as this & { participantId: string });
    const peers = [...(this.pendingPeers?.values() ?? [])];
    this.pendingPeers = undefined;
    const state = this.joinState?.state ?? admission.state;
    this.joinState = undefined;
    const engineKey = this.context.signingKey().publicKey();
    this.sendJson({
      t: 'ready',
      participantId,
      role,
      certificate: this.certificate,
      engineKey,
      state,
      peers,
      ...(admission.seated ? { seated: admission.seated } : {}),
    });
    this.context.logger.info(
      { session: sessionRef, role, participant: participantId },
      'participant connected',
    );

    const { nonce, connection, certificate } = this as {
      nonce: string;
      connection: number;
      certificate: ParticipantCertificate;
    };
    await this.room!.publishPeers({ t: 'announce', participantId, nonce, connection, certificate });
    this.connectedCall = this.context
      .port()
      .connected(admission)
      .catch((error: unknown) => this.logError(error, 'recording the connection failed'));
  }

  private async watch(token: string): Promise<void> {
    this.begin();
    try {
      const watch = await this.context.port().watchQueues(token, this.clientIp);
      if (this.isClosed) return;
      this.phase = 'watching';
      this.setKind('watcher');
      this.recheck.start(() => this.context.port().recheckWatch(watch, this.clientIp));
      this.watched = watch.groupIds.map((groupId) => queueTopic(watch.tenantId, groupId));
      await this.context.watchers.add(this, this.watched);
      if (this.isClosed) return;
      this.sendJson({ t: 'watching', groupIds: watch.groupIds });
      this.context.logger.info({ groups: watch.groupIds.length }, 'queue watcher connected');
    } catch (error) {
      if (isTetherError(error, 'TETHER_E_NOT_ADMITTED'))
        return this.close(CLOSE.notAdmitted, 'not-admitted');
      this.fail(error);
    }
  }

  private begin(): void {
    this.phase = 'admitting';
    clearTimeout(this.authTimer);
    this.authTimer = undefined;
  }

  private async call(
    what: string,
    run: (port: SessionGatewayPort, admission: Admission) => Promise<void>,
  ) {
    const admission = this.admission!;
    try {
      await run(this.context.port(), admission);
    } catch (error) {
      this.logError(error, `${what} failed`);
    }
  }

  private onPong(): void {
    this.alive = true;
    this.recheck.runIfDue();
    if (this.phase !== 'ready') return;
    void this.call('seen', (port, admission) => port.seen(admission));
  }

  private onError(error: Error): void {
    const code = (error as { code?: string }).code ?? '';
    if (code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') return this.finish(CLOSE.tooBig);
    if (code === 'WS_ERR_INVALID_UTF8') return this.finish(1007);
    if (code.startsWith('WS_ERR_')) return this.finish(1002);
    this.context.logger.debug({ err: error }, 'gateway socket error');
  }

  private fail(error: unknown): void {
    this.logError(error, 'gateway connection failed');
    this.close(CLOSE.internal, 'internal');
  }

  private logError(error: unknown, message: string): void {
    this.context.logger.error({ err: error, session: this.admission?.sessionRef }, message);
  }

  /** Everything a close sets off, once: metrics, the log line, leaving the room and peers. */
  private finish(code: number): void {
    if (this.isClosed) return;
    const was = this.phase;
    this.phase = 'closed';
    clearTimeout(this.authTimer);
    const { metrics, logger } = this.context;
    metrics.gatewayConnections.dec({ kind: this.kind });
    metrics.gatewayCloses.inc({ code: String(code) });
    logger.info(
      { code, session: this.admission?.sessionRef, role: this.kind },
      'connection closed',
    );
    this.context.finished(this);
    if (this.watched) this.context.watchers.remove(this, this.watched);
    this.room?.leave(this);
    if (was === 'ready') this.departed();
  }

  /** A ready participant's connection closed: peers hear of it, the sessions service too. */
  private departed(): void {
    const admission = this.admission!;
    if (this.ending === CLOSE.replaced) return;
    if (this.ending !== CLOSE.sessionEnded) {
      const left = {
        t: 'left' as const,
        participantId: admission.participantId,
        nonce: this.nonce!,
        gone: this.ending === CLOSE.removed,
      };
      this.room!.publishPeers(left).catch((error: unknown) =>
        this.logError(error, 'announcing a departure failed'),
      );
    }
    const port = this.context.port();
    void (this.connectedCall ?? Promise.resolve())
      .then(() => port.disconnected(admission))
      .catch((error: unknown) => this.logError(error, 'recording the disconnection failed'));
  }

  private setKind(kind: string): void {
    this.context.metrics.gatewayConnections.dec({ kind: this.kind });
    this.kind = kind;
    this.context.metrics.gatewayConnections.inc({ kind });
  }

  private sendJson(message: object): void {
    this.sendText(JSON.stringify(message));
  }
}
