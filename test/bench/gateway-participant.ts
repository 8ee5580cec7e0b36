import nacl from 'tweetnacl';
import type WebSocket from 'ws';
import type { GatewayCredentials } from '../../engine/sessions/session-port.js';
import {
  deriveChannelKeys,
  FrameOpener,
  FrameSealer,
  frameDirection,
  verifyCertificate,
  type ParticipantCertificateFields,
} from '../../sdk/crypto/index.js';
import { DEFAULT_WINDOW } from '../../sdk/session/outbound-records.js';
import { encodeControl } from '../../sdk/session/session-record.js';
import { openWebSocket, sendBinary } from './baseline-pairs.js';
import { SendWindow } from './send-window.js';

/** How a bench participant authenticates on the gateway (docs/protocol.md, `auth`). */
export interface GatewayAuth {
  readonly sessionId: string;
  readonly credentials: GatewayCredentials;
  /** For an end user: the engine key the join answered, which `ready` must repeat. */
  readonly engineKey?: string;
}

/** How a participant takes part in flow control; neither by default. */
export interface ParticipantFlow {
  /** Acknowledge the DATA records received, as the session client does. */
  readonly acknowledge?: boolean;
  /** Keep the client's send window, filled by sends and emptied by the peer's ACKs. */
  readonly windowed?: boolean;
}

interface PeerChannel {
  readonly boxKey: string;
  readonly sealer: FrameSealer;
  readonly opener: FrameOpener;
  /** `0x01 ‖ len ‖ peer id`, the relay envelope's header for frames to this peer. */
  readonly envelopeHeader: Buffer;
  /** Only for a `windowed` sender: without ACKs coming back it would only ever grow. */
  readonly window: SendWindow | undefined;
  sequence: number;
  /** The last DATA seq this peer sent me, and whether its ACK is on its way. */
  received: number;
  ackQueued: boolean;
}

const BENCH_CHANNEL = Buffer.from('bench', 'ascii');
const DATA = 0x01;
const ACK = 0x02;
/** Record header of a DATA record on the bench channel: type, seq (4), len (1), channel. */
export const DATA_HEADER_BYTES = 6 + BENCH_CHANNEL.length;

/**
 * The bench's own client of the gateway protocol, written straight on `ws` and sdk/crypto: it
 * authenticates, verifies the peers' certificates against the engine key, derives the pairwise
 * keys and sends and receives sealed DATA records in the relay envelope. It keeps no resend
 * queue: the bench measures the relay, not recovery. A receiver that `acknowledge`s sends ACKs
 * as the session client does (one per peer per macrotask), and a `windowed` sender keeps the
 * client's window, waiting for `room`; the round trips (one message a second) use neither.
 */
export class GatewayParticipant {
  participantId = '';
  private engineKey: Uint8Array | undefined;
  private readonly keyPair = nacl.box.keyPair();
  private readonly peers = new Map<string, PeerChannel>();
  private readonly peerWaiters: Array<(peerId: string) => void> = [];
  private onDataHandler: (from: string, body: Buffer) => void = () => undefined;
  /** Frames the openers dropped, and records that were not DATA of the bench channel. */
  dropped = 0;
  closeCode: number | undefined;

  private constructor(
    private readonly socket: WebSocket,
    private readonly auth: GatewayAuth,
    private readonly flow: ParticipantFlow,
  ) {}

  /** Connects, authenticates and resolves once `ready` arrived (within `timeoutMs`). */
  static async connect(
    url: string,
    ca: string,
    auth: GatewayAuth,
    timeoutMs: number,
    flow: ParticipantFlow = {},
  ) {
    const socket = await openWebSocket(url, ca);
    const participant = new GatewayParticipant(socket, auth, flow);
    await participant.authenticate(timeoutMs);
    return participant;
  }

  /** The first peer with keys; resolves at once when one is there already. */
  firstPeer(timeoutMs: number): Promise<string> {
    const known = [...this.peers.keys()][0];
    if (known !== undefined) return Promise.resolve(known);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no peer arrived in time')), timeoutMs);
      this.peerWaiters.push((peerId) => {
        clearTimeout(timer);
        resolve(peerId);
      });
    });
  }

  /** Seals `body` as the next DATA record for `peerId` and sends it in the relay envelope. */
  send(peerId: string, body: Buffer): Promise<void> {
    const record = Buffer.allocUnsafe(DATA_HEADER_BYTES + body.length);
    body.copy(record, DATA_HEADER_BYTES);
    return this.sendRecord(peerId, record);
  }

  /**
   * Like {@link send} with `record.subarray(DATA_HEADER_BYTES)` as the body, writing the record
   * header over the first bytes of `record` instead of copying the body after a new header.
   * `record` may be reused once this returns: it is sealed (copied, encrypted) at once.
   */
  sendRecord(peerId: string, record: Buffer): Promise<void> {
    const peer = this.peers.get(peerId);
    if (!peer) return Promise.reject(new Error(`no keys for the peer ${peerId}`));
    record[0] = DATA;
    record.writeUInt32BE(++peer.sequence, 1);
    record[5] = BENCH_CHANNEL.length;
    BENCH_CHANNEL.copy(record, 6);

    peer.window?.sent(record.length);
    return this.sendSealed(peer, record);
  }

  /**
   * Resolves once `peerId`'s window has room for `bytes` more, or after `timeoutMs`; at once
   * when this sender is not `windowed`, false for an unknown peer.
   */
  room(peerId: string, bytes: number, timeoutMs: number): Promise<boolean> {
    const peer = this.peers.get(peerId);
    if (!peer) return Promise.resolve(false);
    return peer.window?.room(bytes, timeoutMs) ?? Promise.resolve(true);
  }

  /** Calls `handler` with the body of every DATA record a peer sends. */
  onData(handler: (from: string, body: Buffer) => void): void {
    this.onDataHandler = handler;
  }

  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  close(): void {
    this.socket.terminate();
  }

  private authenticate(timeoutMs: number): Promise<void> {
    const { socket, auth } = this;
    socket.on('close', (code) => (this.closeCode = code));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no ready in time')), timeoutMs);
      socket.once('close', (code, reason) => {
        clearTimeout(timer);
        reject(new Error(`the gateway closed with ${code} ${reason.toString('utf8')}`));
      });
      socket.on('message', (data: Buffer, isBinary) => {
        try {
          if (isBinary) return this.onFrame(data);
          if (!this.onText(data)) return;
          clearTimeout(timer);
          resolve();
        } catch (error) {
          // A message the bench cannot accept ends this participant; the run reports it.
          clearTimeout(timer);
          reject(error as Error);
          socket.terminate();
        }
      });
      const boxKey = Buffer.from(this.keyPair.publicKey).toString('base64');
      const { sessionId, credentials } = auth;
      socket.send(JSON.stringify({ t: 'auth', v: 1, sessionId, boxKey, credentials }));
    });
  }

  /** Handles one text message; true when it was `ready`. */
  private onText(data: Buffer): boolean {
    const message = JSON.parse(data.toString('utf8')) as GatewayMessage;
    if (message.t === 'ready') {
      this.onReady(message);
      return true;
    }
    if (message.t === 'peer') this.addPeer(message.certificate);
    if (message.t === 'peer-left' && message.gone) this.peers.delete(message.participantId);
    return false;
  }

  private onReady(ready: Extract<GatewayMessage, { t: 'ready' }>): void {
    if (this.auth.engineKey !== undefined && ready.engineKey !== this.auth.engineKey) {
      throw new Error('ready carries another engine key than the join');
    }
    this.engineKey = Buffer.from(ready.engineKey, 'base64');
    this.participantId = ready.participantId;
    for (const certificate of ready.peers) this.addPeer(certificate);
  }

  private addPeer(certificate: unknown): void {
    if (!this.engineKey) throw new Error('a peer arrived before ready');
    const fields = verifyCertificate(this.engineKey, certificate, new Date());
    this.checkPeer(fields);
    const known = this.peers.get(fields.participantId);
    if (known && known.boxKey === fields.boxKey) return;

    const keys = deriveChannelKeys({
      sessionId: this.auth.sessionId,
      myParticipantId: this.participantId,
      mySecretKey: this.keyPair.secretKey,
      peerParticipantId: fields.participantId,
      peerBoxKey: Buffer.from(fields.boxKey, 'base64'),
    });
    const me = this.participantId;
    const peer = fields.participantId;
    const sealer = new FrameSealer(keys.sendKey, this.auth.sessionId, frameDirection(me, peer));
    const opener = new FrameOpener(keys.receiveKey, this.auth.sessionId, frameDirection(peer, me));
    const to = Buffer.from(peer, 'ascii');
    const envelopeHeader = Buffer.concat([Buffer.from([0x01, to.length]), to]);
    this.peers.set(peer, {
      boxKey: fields.boxKey,
      sealer,
      opener,
      envelopeHeader,
      window: this.flow.windowed ? new SendWindow(DEFAULT_WINDOW) : undefined,
      sequence: 0,
      received: 0,
      ackQueued: false,
    });
    for (const waiter of this.peerWaiters.splice(0)) waiter(peer);
  }

  private sendSealed(peer: PeerChannel, record: Uint8Array): Promise<void> {
    // The sealer writes the envelope header and the frame into one buffer: no copy after it.
    return sendBinary(this.socket, asBuffer(peer.sealer.seal(record, peer.envelopeHeader)));
  }

  /** Acknowledges `seq` of `peer`, coalesced as the session client does. */
  private queueAck(peer: PeerChannel, seq: number): void {
    peer.received = seq;
    if (peer.ackQueued) return;
    peer.ackQueued = true;
    setImmediate(() => {
      peer.ackQueued = false;
      this.sendSealed(peer, encodeControl('ack', peer.received)).catch(() => undefined);
    });
  }

  private checkPeer(fields: ParticipantCertificateFields): void {
    if (fields.sessionId !== this.auth.sessionId) throw new Error('a peer of another session');
    if (fields.participantId === this.participantId) throw new Error('my own certificate');
    const myRole = this.auth.credentials.kind;
    if (fields.role === myRole) throw new Error(`a ${myRole} peer of a ${myRole}`);
  }

  private onFrame(data: Buffer): void {
    if (data.length < 2 || data[0] !== 0x01) return void this.dropped++;
    const from = data.toString('ascii', 2, 2 + data[1]!);
    const peer = this.peers.get(from);
    const opened = peer?.opener.open(data.subarray(2 + data[1]!));
    if (!opened?.ok) return void this.dropped++;

    const record = asBuffer(opened.plaintext);
    if (record[0] === ACK && record.length === 5)
      return peer!.window?.acknowledged(record.readUInt32BE(1));
    if (record[0] !== DATA || record.length < DATA_HEADER_BYTES) return void this.dropped++;
    if (this.flow.acknowledge) this.queueAck(peer!, record.readUInt32BE(1));
    this.onDataHandler(from, record.subarray(DATA_HEADER_BYTES));
  }
}

/** `bytes` as a Buffer: itself when it is one already (node's backends return Buffers). */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

type GatewayMessage =
  | {
      readonly t: 'ready';
      readonly participantId: string;
      readonly engineKey: string;
      readonly peers: readonly unknown[];
    }
  | { readonly t: 'peer'; readonly certificate: unknown }
  | { readonly t: 'peer-left'; readonly participantId: string; readonly gone?: boolean }
  | { readonly t: 'state' | 'queue' | 'watching' };
