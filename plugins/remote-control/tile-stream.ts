import type { Desktop, DesktopRect, Disposable, SessionLogger } from '../../sdk/index.js';
import { DirtyRegion } from './dirty-region.js';
import { FlowControl, type FlowBounds } from './flow-control.js';
import type { RefusalReason, StreamLimits } from './remote-control-protocol.js';
import { epochNow, type ScreenStream, type ScreenStreamStats } from './screen-stream.js';
import type { TileEncoder } from './tile-encoder.js';
import {
  encodeTileFrame,
  FRAME_HEADER_BYTES,
  tileBytes,
  type FrameTile,
  type TileFramePart,
} from './tile-frame-format.js';

/** The largest frame part in one record, well inside the session's record limit. */
export const MAX_PART_BYTES = 900 * 1024;
/** Frames being captured or encoded at once (their sends stay in order). */
const PIPELINE_DEPTH = 2;
/** Failed frames in a row after which the stream gives up. */
const MAX_FAILURES = 5;

/** What a tile stream needs. */
export interface TileStreamOptions {
  readonly desktop: Desktop;
  readonly encoder: TileEncoder;
  readonly limits: StreamLimits;
  /** Sends one frame part to the viewer; resolves once delivered. */
  send(body: Uint8Array): Promise<void>;
  /** Asked before every capture: false stops the stream with `not-allowed`. */
  allowed(): boolean;
  /** The stream stopped by itself (not by {@link TileStream.stop}). */
  onStopped(why: RefusalReason): void;
  /** The quality or frame rate adapted, or the screen changed size. */
  onStatus?(status: { quality: number; fps: number }): void;
  onResized?(size: { width: number; height: number }): void;
  readonly logger?: SessionLogger;
  readonly bounds?: FlowBounds;
}

/**
 * The tile stream: JPEG tiles of what DAMAGE reported changed, captured when the frame is made
 * (so each frame carries the latest screen), at most two frames being made at once, and never
 * more in flight than the flow control allows. An idle screen sends nothing at all.
 */
export class TileStream implements ScreenStream {
  readonly kind = 'tiles';
  private readonly flow: FlowControl;
  private readonly dirty: DirtyRegion;
  private subscriptions: Disposable[] = [];
  private running = false;
  private producing = 0;
  private capturing = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private sendChain: Promise<void> = Promise.resolve();
  private frameNumber = 0;
  private failures = 0;
  private readonly counts = { frames: 0, bytes: 0, skipped: 0, workMs: 0 };
  private readonly roundTrips: number[] = [];

  constructor(private readonly options: TileStreamOptions) {
    this.flow = new FlowControl(options.limits, () => performance.now(), options.bounds);
    const { width, height } = options.desktop.size();
    this.dirty = new DirtyRegion(width, height);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const { desktop } = this.options;
    this.subscriptions = [
      desktop.on('damage', (rects) => this.onDamage(rects)),
      desktop.on('resize', (size) => {
        this.dirty.resize(size.width, size.height);
        this.options.onResized?.(size);
        this.schedule();
      }),
    ];
    this.dirty.addAll();
    this.schedule();
  }

  setLimits(limits: StreamLimits): void {
    this.flow.setLimits(limits);
    this.options.onStatus?.({ quality: this.flow.quality, fps: this.flow.fps });
    this.schedule();
  }

  displayed(frame: number): void {
    const { quality, fps } = this.flow;
    const roundTrip = this.flow.displayed(frame);
    if (roundTrip === undefined) return;
    if (this.roundTrips.length < 100_000) this.roundTrips.push(roundTrip);
    if (quality !== this.flow.quality || fps !== this.flow.fps) {
      this.options.onStatus?.({ quality: this.flow.quality, fps: this.flow.fps });
    }
    this.schedule();
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    for (const subscription of this.subscriptions.splice(0)) void subscription.dispose();
  }

  stats(): ScreenStreamStats {
    const sorted = [...this.roundTrips].sort((a, b) => a - b);
    return {
      kind: this.kind,
      ...this.counts,
      quality: this.flow.quality,
      fps: this.flow.fps,
      roundTripP50: sorted[Math.floor(sorted.length / 2)] ?? 0,
    };
  }

  private onDamage(rects: readonly DesktopRect[]): void {
    const wasEmpty = this.dirty.isEmpty;
    for (const rect of rects) this.dirty.add(rect);
    if (!wasEmpty && !this.flow.hasRoom()) this.counts.skipped += 1;
    this.schedule();
  }

  private schedule(): void {
    if (!this.running || this.timer !== undefined || this.dirty.isEmpty) return;
    if (this.capturing || this.producing >= PIPELINE_DEPTH) return;
    if (!this.flow.hasRoom()) return this.flow.blocked();
    const delay = this.flow.delayMs();
    if (delay > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.schedule();
      }, delay);
      return;
    }
    void this.produce();
  }

  private async produce(): Promise<void> {
    if (!this.options.allowed()) return this.stopBy('not-allowed');
    const frame = ++this.frameNumber;
    // Frames go out in the order they are numbered, whichever of them is encoded first: a later
    // frame waits for this one's turn to end, sent or failed.
    const turn = this.sendChain;
    let endTurn!: () => void;
    this.sendChain = new Promise<void>((resolve) => (endTurn = resolve));
    const started = performance.now();
    this.producing += 1;
    this.capturing = true;
    this.flow.sent(frame, FRAME_HEADER_BYTES);
    try {
      const { quality } = this.flow;
      const size = this.options.desktop.size();
      const capturedAt = epochNow();
      const images = await this.captureAll(this.dirty.take());
      this.capturing = false;
      this.schedule();
      const tiles = await Promise.all(images.map((i) => this.options.encoder.encode(i, quality)));
      const parts = splitParts(frame, capturedAt, size, tiles);
      this.counts.workMs += performance.now() - started;
      await this.sendInOrder(frame, parts, turn);
      this.failures = 0;
    } catch (error) {
      this.flow.abandon(frame);
      this.onFailure(error);
    } finally {
      endTurn();
      this.capturing = false;
      this.producing -= 1;
      this.schedule();
    }
  }

  private async captureAll(rects: readonly DesktopRect[]) {
    const images = [];
    for (const rect of rects) images.push(await this.options.desktop.capture(rect));
    return images;
  }

  /** Sends the parts of `frame` once `turn` (every earlier frame's) has ended. */
  private async sendInOrder(frame: number, parts: readonly TileFramePart[], turn: Promise<void>) {
    const bodies = parts.map(encodeTileFrame);
    const bytes = bodies.reduce((sum, body) => sum + body.length, 0);
    this.flow.grew(frame, bytes - FRAME_HEADER_BYTES);
    await turn;
    if (!this.running) return;
    this.counts.frames += 1;
    this.counts.bytes += bytes;
    // Sent in order without waiting for each acknowledgement; the flow control bounds them.
    for (const body of bodies) {
      this.options.send(body).catch((error: unknown) => this.onFailure(error));
    }
  }

  private onFailure(error: unknown): void {
    this.failures += 1;
    this.options.logger?.warn({ err: String(error), failures: this.failures }, 'a frame failed');
    if (this.failures >= MAX_FAILURES) return this.stopBy('failed');
    this.dirty.addAll();
  }

  private stopBy(why: RefusalReason): void {
    if (!this.running) return;
    this.stop();
    this.options.onStopped(why);
  }
}

/**
 * The tiles of one frame in parts of at most MAX_PART_BYTES (a huge tile gets its own).
 * TODO(#remote-control): a single tile over the record limit (a noisy band of a screen wider
 * than about 3000 pixels at high quality) fails its frame; tiles should split by width too.
 */
function splitParts(
  frame: number,
  capturedAt: number,
  size: { width: number; height: number },
  tiles: readonly FrameTile[],
): TileFramePart[] {
  const groups: FrameTile[][] = [[]];
  let bytes = FRAME_HEADER_BYTES;
  for (const tile of tiles) {
    const current = groups[groups.length - 1]!;
    if (current.length > 0 && bytes + tileBytes(tile) > MAX_PART_BYTES) {
      groups.push([]);
      bytes = FRAME_HEADER_BYTES;
    }
    groups[groups.length - 1]!.push(tile);
    bytes += tileBytes(tile);
  }
  return groups.map((group, index) => ({
    frame,
    last: index === groups.length - 1,
    capturedAt,
    screenWidth: size.width,
    screenHeight: size.height,
    tiles: group,
  }));
}
