import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import nacl from 'tweetnacl';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { JsonValue } from '../../engine/contracts/json-value.js';
import {
  signCertificate,
  type ParticipantCertificate,
  type ParticipantCertificateFields,
  type ParticipantRole,
} from '../../sdk/crypto/index.js';
import type { GatewayCredentials, SessionState } from '../../sdk/session/index.js';

/** Who a set of credentials admits. */
export interface RelayAdmission {
  readonly credentials: GatewayCredentials;
  readonly participantId: string;
  readonly role: ParticipantRole;
  readonly permissions?: readonly string[];
  readonly policy?: { readonly [key: string]: JsonValue };
}

/** One relayed frame as the relay saw it, for a test's tamper hook. */
export interface RelayedFrame {
  readonly from: string;
  readonly to: string;
  readonly frame: Buffer;
  /** How many frames from `from` to `to` came before this one. */
  readonly index: number;
}

/** Every message the relay received or sent, with the participant it came from or went to. */
export interface RecordedMessage {
  readonly direction: 'in' | 'out';
  readonly participantId: string | undefined;
  readonly data: Buffer;
}

interface Connection {
  readonly socket: WebSocket;
  admission?: RelayAdmission;
  certificate?: ParticipantCertificate;
}

/** How to start a relay. */
export interface RelayGatewayOptions {
  readonly sessionId: string;
  readonly admissions: readonly RelayAdmission[];
  /** Listen with TLS (wss) with this identity instead of plain ws. */
  readonly tls?: { readonly cert: string; readonly key: string };
  readonly state?: SessionState;
}

/**
 * A real WebSocket server on 127.0.0.1 playing the gateway's side of protocol.md for tests of
 * the session client, while the real gateway is built elsewhere: admits by a table, issues
 * certificates signed with its own test Ed25519 key, relays binary envelopes, sends ready,
 * peer, peer-left and state, and can drop connections, restart on the same port, tamper with
 * frames (drop, replay, alter, truncate through `tamper`) and record every byte.
 */
export class RelayGateway {
  /** Ed25519 key pair the relay signs certificates with; engineKey is its public half. */
  readonly signingKeys = nacl.sign.keyPair();
  readonly recorded: RecordedMessage[] = [];
  readonly reports: { participantId: string; event: unknown; permission: unknown }[] = [];
  /** Changes each frame into the frames to deliver instead (none: dropped). */
  tamper: ((frame: RelayedFrame) => Uint8Array[]) | undefined;
  /** Signs certificates; a test may replace it to sign with another key or alter fields. */
  certify: (fields: ParticipantCertificateFields) => ParticipantCertificate;
  private server: Server | undefined;
  private wss: WebSocketServer | undefined;
  private port = 0;
  private state: SessionState;
  private readonly connections = new Map<string, Connection>();
  private readonly sockets = new Set<WebSocket>();
  private readonly frameCounts = new Map<string, number>();

  private constructor(private readonly options: RelayGatewayOptions) {
    this.state = options.state ?? 'active';
    this.certify = (fields) => signCertificate(this.signingKeys.secretKey, fields);
  }

  /** Starts a relay on a free port of 127.0.0.1. */
  static async start(options: RelayGatewayOptions): Promise<RelayGateway> {
    const relay = new RelayGateway(options);
    await relay.listen();
    return relay;
  }

  /** The relay's address, `ws://127.0.0.1:<port>/gateway` (or wss with TLS). */
  get url(): string {
    return `${this.options.tls ? 'wss' : 'ws'}://127.0.0.1:${this.port}/gateway`;
  }

  /** The session this relay serves. */
  get sessionId(): string {
    return this.options.sessionId;
  }

  /** The public half of the signing key, base64: what clients pin. */
  get engineKey(): string {
    return Buffer.from(this.signingKeys.publicKey).toString('base64');
  }

  /** Whether `participantId` is connected now. */
  isConnected(participantId: string): boolean {
    return this.connections.has(participantId);
  }

  /** Cuts `participantId`'s connection without a close frame (the client sees 1006). */
  drop(participantId: string): void {
    this.connections.get(participantId)?.socket.terminate();
  }

  /** Closes `participantId`'s connection with `code`. */
  closeWith(participantId: string, code: number, reason = ''): void {
    this.connections.get(participantId)?.socket.close(code, reason);
  }

  /** Takes `participantId` out of the session: 4011 to it, peer-left gone to the others. */
  remove(participantId: string): void {
    const connection = this.connections.get(participantId);
    if (connection === undefined) return;
    this.connections.delete(participantId);
    connection.socket.close(4011, 'removed');
    this.broadcast({ t: 'peer-left', participantId, gone: true }, participantId);
  }

  /** Changes the session state for everyone; `closed` also closes every connection (4100). */
  setState(state: SessionState, reason?: string): void {
    this.state = state;
    this.broadcast({ t: 'state', state, ...(reason ? { reason } : {}) });
    if (state === 'closed') {
      for (const { socket } of this.connections.values()) socket.close(4100, reason ?? 'closed');
      this.connections.clear();
    }
  }

  /** Sends raw `data` to `participantId` as if the gateway sent it. */
  sendRaw(participantId: string, data: string | Uint8Array): void {
    const connection = this.connections.get(participantId);
    if (connection !== undefined) this.send(connection, data);
  }

  /** Closes every connection and the listener, then listens again on the same port. */
  async restart(): Promise<void> {
    await this.stopListening();
    await this.listen();
  }

  /** Stops everything. */
  async close(): Promise<void> {
    await this.stopListening();
  }

  /** Every byte recorded, in and out, as one buffer (to search for plaintext). */
  allBytes(): Buffer {
    return Buffer.concat(this.recorded.map((m) => m.data));
  }

  private async listen(): Promise<void> {
    const { tls } = this.options;
    const server = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }) : createHttpServer();
    const wss = new WebSocketServer({ server, path: '/gateway', perMessageDeflate: false });
    wss.on('connection', (socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    this.wss = wss;
  }

  private async stopListening(): Promise<void> {
    for (const socket of [...this.sockets, ...(this.wss?.clients ?? [])]) socket.terminate();
    this.sockets.clear();
    this.connections.clear();
    const { server, wss } = this;
    this.server = undefined;
    this.wss = undefined;
    if (wss !== undefined) await new Promise<void>((resolve) => wss.close(() => resolve()));
    if (server !== undefined) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  private accept(socket: WebSocket): void {
    this.sockets.add(socket);
    const connection: Connection = { socket };
    socket.on('message', (data: RawData, isBinary: boolean) => {
      const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
      const id = connection.admission?.participantId;
      this.recorded.push({ direction: 'in', participantId: id, data: Buffer.from(bytes) });
      try {
        if (isBinary) this.onBinary(connection, bytes);
        else this.onText(connection, bytes.toString('utf8'));
      } catch (error) {
        // A test's hook threw (a bad certify, say): end that connection as the gateway would.
        socket.close(1011, error instanceof Error ? error.name : 'error');
      }
    });
    socket.on('close', () => this.onClose(connection));
  }

  private onText(connection: Connection, text: string): void {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // The real gateway answers bad JSON with 4000 as well.
      return connection.socket.close(4000, 'bad-message');
    }
    if (connection.admission === undefined) return this.onAuth(connection, message);
    const id = connection.admission.participantId;
    if (message.t === 'report') {
      this.reports.push({
        participantId: id,
        event: message.event,
        permission: message.permission,
      });
    } else if (message.t === 'end') {
      this.setState('closed', `ended-by-${connection.admission.role}`);
    } else {
      connection.socket.close(4000, 'bad-message');
    }
  }

  private onAuth(connection: Connection, message: Record<string, unknown>): void {
    const admission = this.admit(message);
    if (admission === undefined || this.state === 'closed') {
      return connection.socket.close(4003, 'not-admitted');
    }
    const previous = this.connections.get(admission.participantId);
    connection.admission = admission;
    connection.certificate = this.certify(this.fieldsFor(admission, String(message.boxKey)));
    this.connections.set(admission.participantId, connection);
    if (previous !== undefined) previous.socket.close(4010, 'replaced');

    const peers = [...this.connections.values()]
      .filter((c) => c !== connection)
      .map((c) => c.certificate);
    this.send(connection, {
      t: 'ready',
      participantId: admission.participantId,
      role: admission.role,
      certificate: connection.certificate,
      engineKey: this.engineKey,
      state: this.state,
      peers,
    });
    this.broadcast({ t: 'peer', certificate: connection.certificate }, admission.participantId);
  }

  private admit(message: Record<string, unknown>): RelayAdmission | undefined {
    if (message.t !== 'auth' || message.v !== 1) return undefined;
    if (message.sessionId !== this.options.sessionId || typeof message.boxKey !== 'string') {
      return undefined;
    }
    const given = JSON.stringify(message.credentials);
    return this.options.admissions.find((a) => JSON.stringify(a.credentials) === given);
  }

  private fieldsFor(admission: RelayAdmission, boxKey: string): ParticipantCertificateFields {
    const grants =
      admission.role === 'technician'
        ? { permissions: admission.permissions ?? [], policy: admission.policy ?? {} }
        : {};
    return {
      v: 1,
      sessionId: this.options.sessionId,
      participantId: admission.participantId,
      role: admission.role,
      boxKey,
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      ...grants,
    };
  }

  private onBinary(connection: Connection, bytes: Buffer): void {
    const from = connection.admission?.participantId;
    if (from === undefined || bytes.length < 2 || bytes[0] !== 0x01) {
      return connection.socket.close(4000, 'bad-message');
    }
    const to = bytes.subarray(2, 2 + bytes[1]!).toString('latin1');
    const recipient = this.connections.get(to);
    if (recipient === undefined) return;

    const key = `${from}>${to}`;
    const index = this.frameCounts.get(key) ?? 0;
    this.frameCounts.set(key, index + 1);
    const frame = Buffer.from(bytes.subarray(2 + bytes[1]!));
    const frames = this.tamper ? this.tamper({ from, to, frame, index }) : [frame];
    const header = Buffer.concat([Buffer.from([0x01, from.length]), Buffer.from(from, 'latin1')]);
    for (const out of frames) this.send(recipient, Buffer.concat([header, out]));
  }

  private onClose(connection: Connection): void {
    this.sockets.delete(connection.socket);
    const id = connection.admission?.participantId;
    if (id === undefined || this.connections.get(id) !== connection) return;
    this.connections.delete(id);
    this.broadcast({ t: 'peer-left', participantId: id, gone: false }, id);
  }

  private broadcast(message: object, except?: string): void {
    for (const [id, connection] of this.connections) {
      if (id !== except) this.send(connection, message);
    }
  }

  private send(connection: Connection, message: object | string | Uint8Array): void {
    const data =
      message instanceof Uint8Array
        ? Buffer.from(message)
        : Buffer.from(typeof message === 'string' ? message : JSON.stringify(message));
    const binary = message instanceof Uint8Array;
    const id = connection.admission?.participantId;
    this.recorded.push({ direction: 'out', participantId: id, data });
    connection.socket.send(data, { binary });
  }
}
