import { FPS_RANGE, QUALITY_RANGE, type StreamLimits } from './remote-control-protocol.js';

/** Bounds of what a stream may have sent and not yet seen displayed. */
export interface FlowBounds {
  /** Frames sent and not yet displayed (2). */
  readonly frames: number;
  /** Bytes of those frames (4 MiB). */
  readonly bytes: number;
}

export const DEFAULT_FLOW_BOUNDS: FlowBounds = { frames: 2, bytes: 4 * 1024 * 1024 };

/** How often the quality and frame rate are reconsidered. */
const ADAPT_EVERY_MS = 1000;
/** Frame rate never adapts below this (the technician's own limit may be lower). */
const MIN_ADAPTED_FPS = 5;
/** The frame rate above which the quality is kept while the link is slow. */
const READABLE_FPS = 15;
/** The lowest quality the adaptation goes to. */
const LOWEST_QUALITY = QUALITY_RANGE.min + 20;

interface InFlight {
  readonly bytes: number;
  readonly sentAt: number;
}

/**
 * The sender's flow control for one viewer. A frame may go only while fewer than
 * `bounds.frames` frames and `bounds.bytes` bytes wait to be displayed, and no sooner than the
 * frame rate allows; meanwhile changes pile up in the dirty region, so on a slow link the
 * intermediate states are skipped and the next frame carries the latest screen. Every second
 * the frame rate and quality adapt: down when frames waited on the link for more than a quarter
 * of the time or took over 200 ms to be displayed, up again (to the technician's limits) when
 * the link kept up easily.
 */
export class FlowControl {
  private readonly inFlight = new Map<number, InFlight>();
  private bytesInFlight = 0;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private blockedSince: number | undefined;
  private blockedMs = 0;
  private roundTrips: number[] = [];
  private windowStart: number;
  private currentQuality: number;
  private currentFps: number;

  constructor(
    private limits: StreamLimits,
    private readonly now: () => number,
    private readonly bounds: FlowBounds = DEFAULT_FLOW_BOUNDS,
  ) {
    this.currentQuality = limits.quality;
    this.currentFps = limits.fps;
    this.windowStart = now();
  }

  /** The JPEG quality to encode the next frame at. */
  get quality(): number {
    return this.currentQuality;
  }

  /** The frame rate the stream runs at now. */
  get fps(): number {
    return this.currentFps;
  }

  /** Frames sent and not displayed yet. */
  get framesInFlight(): number {
    return this.inFlight.size;
  }

  /** The technician's new ceilings; the current values drop to them at once. */
  setLimits(limits: StreamLimits): void {
    this.limits = limits;
    this.currentQuality = Math.min(this.currentQuality, limits.quality);
    this.currentFps = Math.min(this.currentFps, limits.fps);
  }

  /** Whether the window has room for one more frame. */
  hasRoom(): boolean {
    return this.inFlight.size < this.bounds.frames && this.bytesInFlight < this.bounds.bytes;
  }

  /** Milliseconds until the frame rate allows the next frame (0: now). */
  delayMs(): number {
    return Math.max(0, this.lastSentAt + 1000 / this.currentFps - this.now());
  }

  /** A frame is ready but the window is full: the time until it has room counts as blocked. */
  blocked(): void {
    this.blockedSince ??= this.now();
  }

  /** Frame `frame` of `bytes` was started now. */
  sent(frame: number, bytes: number): void {
    this.unblock();
    const sentAt = this.now();
    this.lastSentAt = sentAt;
    this.inFlight.set(frame, { bytes, sentAt });
    this.bytesInFlight += bytes;
  }

  /** The size of a frame already started became known (it is counted from then on). */
  grew(frame: number, bytes: number): void {
    const entry = this.inFlight.get(frame);
    if (entry === undefined) return;
    this.inFlight.set(frame, { bytes: entry.bytes + bytes, sentAt: entry.sentAt });
    this.bytesInFlight += bytes;
  }

  /** Frame `frame` will never be sent (it failed): its room is free again. */
  abandon(frame: number): void {
    const entry = this.inFlight.get(frame);
    if (entry === undefined) return;
    this.inFlight.delete(frame);
    this.bytesInFlight -= entry.bytes;
  }

  /**
   * The viewer displayed `frame` (and with it every earlier frame). Returns the milliseconds
   * from sending to this acknowledgement, or undefined for a frame not in flight.
   */
  displayed(frame: number): number | undefined {
    const entry = this.inFlight.get(frame);
    if (entry === undefined) return undefined;
    for (const [number, other] of this.inFlight) {
      if (number > frame) continue;
      this.inFlight.delete(number);
      this.bytesInFlight -= other.bytes;
    }
    if (this.hasRoom()) this.unblock();
    const roundTrip = this.now() - entry.sentAt;
    this.roundTrips.push(roundTrip);
    this.adapt();
    return roundTrip;
  }

  /** Reconsiders quality and frame rate once a second; true when either changed. */
  adapt(): boolean {
    const now = this.now();
    const elapsed = now - this.windowStart;
    if (elapsed < ADAPT_EVERY_MS) return false;
    const blocked =
      this.blockedMs + (this.blockedSince === undefined ? 0 : now - this.blockedSince);
    const slow = median(this.roundTrips);
    const before = [this.currentQuality, this.currentFps];
    if (blocked / elapsed > 0.25 || slow > 200) this.slowDown();
    else if (blocked / elapsed < 0.05 && slow < 80) this.speedUp();

    this.windowStart = now;
    this.blockedMs = 0;
    if (this.blockedSince !== undefined) this.blockedSince = now;
    this.roundTrips = [];
    return before[0] !== this.currentQuality || before[1] !== this.currentFps;
  }

  /**
   * Text must stay readable: the frame rate gives way first (down to 15), then the quality
   * (down to 30), then the frame rate again (down to 5).
   */
  private slowDown(): void {
    if (this.currentFps > READABLE_FPS) {
      this.currentFps = Math.max(READABLE_FPS, Math.floor(this.currentFps * 0.8));
    } else if (this.currentQuality > LOWEST_QUALITY) {
      this.currentQuality = Math.max(LOWEST_QUALITY, this.currentQuality - 10);
    } else {
      const floor = Math.min(MIN_ADAPTED_FPS, this.limits.fps);
      this.currentFps = Math.max(floor, Math.floor(this.currentFps * 0.75));
    }
  }

  /** The reverse order: quality back first, then the frame rate, to the technician's limits. */
  private speedUp(): void {
    if (this.currentQuality < this.limits.quality) {
      this.currentQuality = Math.min(this.limits.quality, this.currentQuality + 5);
    } else {
      this.currentFps = Math.min(this.limits.fps, this.currentFps + 5);
    }
  }

  private unblock(): void {
    if (this.blockedSince === undefined) return;
    this.blockedMs += this.now() - this.blockedSince;
    this.blockedSince = undefined;
  }
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The initial limits a technician gets without asking for any. */
export const DEFAULT_LIMITS: StreamLimits = {
  quality: QUALITY_RANGE.initial,
  fps: FPS_RANGE.initial,
};
