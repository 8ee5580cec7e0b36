import { deriveChannelKeysAsync } from '../crypto/async-channel-keys.js';
import { AsyncFrameOpener, AsyncFrameSealer } from '../crypto/async-frame-cipher.js';
import { fromBase64 } from '../crypto/bytes.js';
import type { AsyncCryptoBackend, Plaintext } from '../crypto/crypto-backend.js';
import { frameDirection, type FrameDropReason } from '../crypto/frame-format.js';
import type { ParticipantCertificateFields } from '../crypto/participant-certificate.js';
import { InboundRecords } from './inbound-records.js';
import { OutboundRecords, type PendingRecord, type WindowLimits } from './outbound-records.js';
import type { SessionClientError } from './session-client-error.js';
import { encodeEnvelope } from './gateway-envelope.js';
import { decodeRecord, encodeControl, encodeDataHeader } from './session-record.js';

/** The quiet spell before a retransmission grows to at most 2^5 times the first one. */
const MAX_RETRANSMIT_DOUBLINGS = 5;

/** Drop reasons the records layer adds to the frame opener's. */
export type RecordDropReason = 'bad-record' | 'hold-full' | 'stale-key';

/** What a link needs from the client that owns it. */
export interface PeerLinkHost {
  readonly sessionId: string;
  readonly myParticipantId: string;
  readonly mySecretKey: Uint8Array;
  readonly backend: AsyncCryptoBackend;
  readonly window: WindowLimits;
  readonly retransmitMs: number;
  /** Sends a sealed frame in its relay envelope; false when no connection is open now. */
  transmit(envelope: Uint8Array): boolean;
  /** Hands a DATA record's payload, in order and once, to the application. */
  deliver(from: string, channel: string, body: Uint8Array): void;
  /** Counts a frame that opened. */
  opened(): void;
  /** Counts a frame the link dropped. */
  dropped(reason: FrameDropReason | RecordDropReason): void;
  /** A step of a frame chain failed unexpectedly (a bug): logged, the chain goes on. */
  failed(error: unknown): void;
}

interface Keys {
  readonly generation: number;
  readonly boxKey: string;
  readonly sealer: AsyncFrameSealer;
  readonly opener: AsyncFrameOpener;
}

/**
 * The records layer with one peer: its verified certificate, the frame keys of the pair, the
 * DATA numbering both ways, acknowledgements (one ACK per macrotask), RESUME and resending,
 * and a retransmit timer for frames lost without a reconnect. Sealing and opening are
 * asynchronous, so each direction runs through its own Promise chain to keep frame order.
 */
export class PeerLink {
  private keys!: Keys;
  private generation = 0;
  private connected = true;
  private closed = false;
  private sendChain: Promise<void> = Promise.resolve();
  private openChain: Promise<void> = Promise.resolve();
  private ackTimer: ReturnType<typeof setTimeout> | undefined;
  private retransmitTimer: ReturnType<typeof setTimeout> | undefined;
  /** Retransmissions in a row without an ACK moving forward; each doubles the next wait. */
  private quietRounds = 0;
  private readonly inbound = new InboundRecords();
  private readonly outbound: OutboundRecords;
  /** The relay envelope's header for this peer: frames are sealed right behind it. */
  private readonly envelopeHeader: Uint8Array;

  private constructor(
    private readonly host: PeerLinkHost,
    public fields: ParticipantCertificateFields,
  ) {
    this.outbound = new OutboundRecords(host.window, (record) => this.transmitData(record));
    this.envelopeHeader = encodeEnvelope(fields.participantId, new Uint8Array(0));
  }

  /** A link to the peer of `fields` (a certificate already verified), with keys derived. */
  static async create(host: PeerLinkHost, fields: ParticipantCertificateFields) {
    const link = new PeerLink(host, fields);
    await link.installKeys(fields);
    return link;
  }

  get participantId(): string {
    return this.fields.participantId;
  }

  get isConnected(): boolean {
    return this.connected;
  }

  /**
   * A certificate of this peer arrived again. Same box key: it reconnected, and keys and
   * counters stay. New box key: its program restarted, so both numberings start afresh.
   */
  async update(fields: ParticipantCertificateFields): Promise<'reconnected' | 'restarted'> {
    const restarted = fields.boxKey !== this.fields.boxKey;
    this.fields = fields;
    this.connected = true;
    if (restarted) {
      await this.installKeys(fields);
      this.inbound.reset();
      this.outbound.renumber();
    }
    // The peer's RESUME normally brings the resend; should it be lost, the timer does.
    this.restartRetransmit();
    return restarted ? 'restarted' : 'reconnected';
  }

  /** The peer's connection closed (it may come back): stop transmitting until it does. */
  disconnected(): void {
    this.connected = false;
    this.stopRetransmit();
  }

  /** Tells the peer what arrived so far and asks for the rest (on every certificate). */
  resume(): void {
    this.transmitControl('resume', this.inbound.lastDelivered);
  }

  /** Queues a DATA record; resolves once the peer acknowledged it. */
  send(channel: string, body: Uint8Array): Promise<void> {
    return this.outbound.enqueue(channel, body);
  }

  /** Opens a frame from this peer, after every frame that arrived before it. */
  receive(frame: Uint8Array): void {
    const { generation, opener } = this.keys;
    this.openChain = this.openChain.then(async () => {
      if (this.closed) return;
      const opened = await opener.open(frame);
      if (!opened.ok) return this.host.dropped(opened.reason);
      this.host.opened();
      if (generation !== this.keys.generation) return this.host.dropped('stale-key');
      this.handlePlaintext(opened.plaintext);
    });
    this.openChain = this.openChain.catch((error: unknown) => this.host.failed(error));
  }

  /** The frame counts of the present keys. */
  openerStats() {
    return this.keys.opener.stats();
  }

  /** Ends the link: pending sends reject with `error`, timers stop, frames are ignored. */
  close(error: SessionClientError): void {
    this.closed = true;
    this.stopRetransmit();
    if (this.ackTimer !== undefined) clearTimeout(this.ackTimer);
    this.outbound.failAll(error);
  }

  private async installKeys(fields: ParticipantCertificateFields): Promise<void> {
    const { host } = this;
    const keys = await deriveChannelKeysAsync(
      {
        sessionId: host.sessionId,
        myParticipantId: host.myParticipantId,
        mySecretKey: host.mySecretKey,
        peerParticipantId: fields.participantId,
        peerBoxKey: fromBase64(fields.boxKey, 32)!,
      },
      host.backend,
    );
    const out = frameDirection(host.myParticipantId, fields.participantId);
    const back = frameDirection(fields.participantId, host.myParticipantId);
    this.keys = {
      generation: ++this.generation,
      boxKey: fields.boxKey,
      sealer: new AsyncFrameSealer(keys.sendKey, host.sessionId, out, host.backend),
      opener: new AsyncFrameOpener(keys.receiveKey, host.sessionId, back, host.backend),
    };
  }

  private handlePlaintext(plaintext: Uint8Array): void {
    const record = decodeRecord(plaintext);
    if (record === undefined) return this.host.dropped('bad-record');
    if (record.kind === 'ack') return this.acknowledged(record.seq);
    if (record.kind === 'resume') return this.resumeFrom(record.seq);

    const outcome = this.inbound.receive(record.seq, record.channel, record.body);
    if (outcome.note === 'full') this.host.dropped('hold-full');
    else this.scheduleAck();
    for (const item of outcome.deliver) {
      this.host.deliver(this.participantId, item.channel, item.body);
    }
  }

  private acknowledged(seq: number): void {
    if (this.outbound.acknowledge(seq) > 0) {
      this.quietRounds = 0;
      this.restartRetransmit();
    }
    if (this.outbound.unacknowledged === 0) this.stopRetransmit();
  }

  private resumeFrom(seq: number): void {
    this.outbound.acknowledge(seq);
    this.resendAfter(seq);
  }

  private resendAfter(seq: number): void {
    for (const record of this.outbound.after(seq)) this.transmitData(record);
    if (this.outbound.unacknowledged === 0) this.stopRetransmit();
  }

  private scheduleAck(): void {
    if (this.ackTimer !== undefined) return;
    // One ACK per macrotask: a burst of records delivered together is acknowledged once.
    this.ackTimer = setTimeout(() => {
      this.ackTimer = undefined;
      if (!this.closed) this.transmitControl('ack', this.inbound.lastDelivered);
    }, 0);
  }

  private transmitData(record: PendingRecord): void {
    if (!this.connected) return;
    // Header and body are sealed as two parts: the body is not copied behind the header first.
    this.seal([encodeDataHeader(record.seq, record.channel), record.body]);
    if (this.retransmitTimer === undefined) this.restartRetransmit();
  }

  private transmitControl(kind: 'ack' | 'resume', seq: number): void {
    if (this.connected) this.seal(encodeControl(kind, seq));
  }

  /** Seals and transmits `plaintext` after everything queued before it. */
  private seal(plaintext: Plaintext): void {
    const { generation, sealer } = this.keys;
    this.sendChain = this.sendChain.then(async () => {
      if (this.closed || generation !== this.keys.generation) return;
      this.host.transmit(await sealer.seal(plaintext, this.envelopeHeader));
    });
    this.sendChain = this.sendChain.catch((error: unknown) => this.host.failed(error));
  }

  private restartRetransmit(): void {
    this.stopRetransmit();
    if (this.closed || !this.connected || this.outbound.unacknowledged === 0) return;
    // A frame lost without a reconnect (dropped as forged, or by a gateway whose recipient read
    // too slowly) is resent after a quiet spell; the receiver drops what it already has as a
    // duplicate. The spell doubles while nothing moves, so a slow link is not flooded.
    const doublings = Math.min(this.quietRounds, MAX_RETRANSMIT_DOUBLINGS);
    this.retransmitTimer = setTimeout(
      () => {
        this.retransmitTimer = undefined;
        this.quietRounds++;
        this.resendAfter(0);
        this.restartRetransmit();
      },
      this.host.retransmitMs * 2 ** doublings,
    );
  }

  private stopRetransmit(): void {
    if (this.retransmitTimer !== undefined) clearTimeout(this.retransmitTimer);
    this.retransmitTimer = undefined;
  }
}
