/** A DATA record's payload, ready to deliver. */
export interface DeliveredRecord {
  readonly channel: string;
  readonly body: Uint8Array;
}

/** What receiving one DATA record did. */
export interface InboundOutcome {
  /** Records now deliverable, in order (the one received and any held ones it released). */
  readonly deliver: readonly DeliveredRecord[];
  /** `duplicate` (already delivered), `held` (waits for a gap), `full` (hold buffer full). */
  readonly note?: 'duplicate' | 'held' | 'full';
}

/**
 * The receiving half of the records layer from one peer: delivers DATA in `seq` order exactly
 * once, holds records above the next expected (at most `maxHeld`) until the gap fills, and
 * knows the last delivered `seq` that ACK and RESUME carry.
 */
export class InboundRecords {
  private delivered = 0;
  private readonly held = new Map<number, DeliveredRecord>();

  constructor(private readonly maxHeld = 256) {}

  /** The last `seq` delivered in order. */
  get lastDelivered(): number {
    return this.delivered;
  }

  /** Takes one DATA record and says what to deliver now. */
  receive(seq: number, channel: string, body: Uint8Array): InboundOutcome {
    if (seq <= this.delivered || this.held.has(seq)) return { deliver: [], note: 'duplicate' };
    if (seq > this.delivered + 1) return this.hold(seq, { channel, body });

    const deliver: DeliveredRecord[] = [{ channel, body }];
    this.delivered = seq;
    for (let next = this.held.get(seq + 1); next !== undefined; next = this.held.get(seq + 1)) {
      this.held.delete(++seq);
      deliver.push(next);
      this.delivered = seq;
    }
    return { deliver };
  }

  /** The peer restarted with a new key: its numbering starts again at 1. */
  reset(): void {
    this.delivered = 0;
    this.held.clear();
  }

  private hold(seq: number, record: DeliveredRecord): InboundOutcome {
    // Beyond the hold buffer the record is dropped unacknowledged: the sender resends it.
    if (this.held.size >= this.maxHeld) return { deliver: [], note: 'full' };
    this.held.set(seq, record);
    return { deliver: [], note: 'held' };
  }
}
