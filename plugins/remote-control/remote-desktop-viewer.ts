// The technician's side of remote control, for Node clients and the console's panel:
// nothing here is Node-only. Decoding and drawing are the FrameSurface's business, so a
// browser draws JPEG tiles on a canvas where Node decodes them into a framebuffer.
// The sdk's index brings Node-only modules: a browser bundle takes only what it needs.
import type { DesktopButton, Disposable, SessionClient } from '../../sdk/index.js';
import { EventHub } from '../../sdk/session/event-hub.js';
import { silentSessionLogger, type SessionLogger } from '../../sdk/session/session-logger.js';
import { InputBatcher } from './input-batcher.js';
import {
  encodeMessage,
  parseEndUserMessage,
  REMOTE_CONTROL_CHANNEL,
  TILES_CHANNEL,
  type EndUserMessage,
  type RefusalReason,
  type StreamLimits,
  type TechnicianMessage,
} from './remote-control-protocol.js';
import { epochNow } from './screen-stream.js';
import { decodeTileFrame, type FrameTile } from './tile-frame-format.js';
import { ViewerStats, type ViewerStatsSnapshot } from './viewer-stats.js';

/** Where frames are drawn: a canvas in a browser, an RGBA buffer in Node. */
export interface FrameSurface {
  /**
   * The screen is `width` x `height`: called before every frame, so a surface keeps its
   * pixels when the size is unchanged and starts afresh when it changed.
   */
  resize(width: number, height: number): void;
  /** Decodes and draws `tiles` at their places; resolves once they are visible. */
  draw(tiles: readonly FrameTile[]): Promise<void>;
}

/** The events of a {@link RemoteDesktopViewer}. */
export interface ViewerEvents {
  [name: string]: unknown;
  /** A frame was drawn. `latencyMs` compares the end user's clock with ours. */
  frame: { readonly frame: number; readonly latencyMs: number; readonly tiles: number };
  stopped: { readonly why: RefusalReason };
  refused: { readonly what: 'view' | 'input'; readonly why: RefusalReason };
  status: { readonly quality: number; readonly fps: number };
  resized: { readonly width: number; readonly height: number };
}

/** The end user's side refused to start the view. */
export class ViewRefusedError extends Error {
  constructor(readonly why: RefusalReason) {
    super(`the end user's side refused the desktop view: ${why}`);
    this.name = 'ViewRefusedError';
  }
}

/**
 * Watches (and, with the end user's consent, controls) one end user's desktop: starts the
 * stream, assembles tile frames in order onto a {@link FrameSurface}, acknowledges each drawn
 * frame (the sender's flow control waits for these), sends pointer and keyboard input in
 * batches, and sets quality and frame rate. The end user's side decides what is allowed; this
 * class only reports what it said.
 */
export class RemoteDesktopViewer {
  private readonly events: EventHub<ViewerEvents>;
  private readonly subscriptions: Disposable[];
  private readonly input: InputBatcher;
  private readonly stats = new ViewerStats();
  private readonly parts = new Map<number, FrameTile[]>();
  private drawing: Promise<void> = Promise.resolve();
  private starting: { resolve(size: Size): void; reject(error: Error): void } | undefined;
  private limits: StreamLimits | undefined;
  private readonly logger: SessionLogger;

  constructor(
    private readonly client: SessionClient,
    private readonly endUser: string,
    private readonly surface: FrameSurface,
    options: { readonly logger?: SessionLogger } = {},
  ) {
    this.logger = options.logger ?? silentSessionLogger;
    this.events = new EventHub(this.logger);
    this.input = new InputBatcher((events) => this.send({ type: 'input', events }));
    this.subscriptions = [
      client.onChannel(REMOTE_CONTROL_CHANNEL, (body, from) => this.onControl(body, from)),
      client.onChannel(TILES_CHANNEL, (body, from) => this.onTiles(body, from)),
    ];
  }

  /** Asks for the stream; resolves with the screen size, rejects with ViewRefusedError. */
  start(limits: Partial<StreamLimits> = {}): Promise<Size> {
    this.starting?.reject(new ViewRefusedError('requested'));
    const started = new Promise<Size>((resolve, reject) => (this.starting = { resolve, reject }));
    this.limits = { quality: limits.quality ?? 70, fps: limits.fps ?? 30 };
    this.send({ type: 'start', ...this.limits }).catch((error: Error) => {
      this.starting?.reject(error);
      this.starting = undefined;
    });
    return started;
  }

  /** Asks the end user's side to stop streaming. */
  stop(): Promise<void> {
    return this.send({ type: 'stop' });
  }

  /** Sets the JPEG quality ceiling (10 to 95). */
  setQuality(quality: number): Promise<void> {
    this.limits = { ...(this.limits ?? { fps: 30 }), quality };
    return this.send({ type: 'settings', ...this.limits });
  }

  /** Sets the most frames per second (1 to 60). */
  setFrameRate(fps: number): Promise<void> {
    this.limits = { ...(this.limits ?? { quality: 70 }), fps };
    return this.send({ type: 'settings', ...this.limits });
  }

  movePointer(x: number, y: number): void {
    this.input.push({ kind: 'move', x, y });
  }

  pressButton(button: DesktopButton, down: boolean): void {
    this.input.push({ kind: 'button', button, down });
  }

  /** Moves to `x`, `y` and clicks `button` there. */
  click(x: number, y: number, button: DesktopButton = 0): void {
    this.movePointer(x, y);
    this.pressButton(button, true);
    this.pressButton(button, false);
  }

  scroll(steps: number, horizontal = false): void {
    this.input.push({ kind: 'wheel', steps, horizontal });
  }

  /** Presses or releases a key named as `KeyboardEvent.key` names it. */
  pressKey(key: string, down: boolean): void {
    this.input.push({ kind: 'key', key, down });
  }

  /** Types `text` character by character (a new line is Enter). */
  typeText(text: string): void {
    for (const character of text) {
      const key = character === '\n' ? 'Enter' : character;
      this.pressKey(key, true);
      this.pressKey(key, false);
    }
  }

  /** Presses `keys` in order and releases them in reverse: `['Control', 'Alt', 'Delete']`. */
  pressCombination(keys: readonly string[]): void {
    for (const key of keys) this.pressKey(key, true);
    for (const key of [...keys].reverse()) this.pressKey(key, false);
  }

  /** Sends the input queued so far; resolves once the end user's side received it. */
  flushInput(): Promise<void> {
    return this.input.flush();
  }

  /** Frames, bytes, frame rate and latency so far. */
  statistics(): ViewerStatsSnapshot {
    return this.stats.snapshot();
  }

  on<K extends keyof ViewerEvents>(name: K, listener: (value: ViewerEvents[K]) => void) {
    return this.events.on(name, listener);
  }

  dispose(): void {
    this.input.dispose();
    for (const subscription of this.subscriptions) void subscription.dispose();
    this.starting?.reject(new ViewRefusedError('ended'));
    this.starting = undefined;
  }

  private onControl(body: Uint8Array, from: string): void {
    if (from !== this.endUser) return;
    const message = parseEndUserMessage(body);
    if (message === undefined) return this.logger.debug({ from }, 'ignored a control body');
    this.handle(message);
  }

  private handle(message: EndUserMessage): void {
    switch (message.type) {
      case 'started':
        this.surface.resize(message.width, message.height);
        this.starting?.resolve({ width: message.width, height: message.height });
        this.starting = undefined;
        return;
      case 'refused':
        if (message.what === 'view') this.starting?.reject(new ViewRefusedError(message.why));
        if (message.what === 'view') this.starting = undefined;
        return this.events.emit('refused', message);
      case 'stopped':
        return this.events.emit('stopped', message);
      case 'status':
        return this.events.emit('status', message);
      case 'resized':
        return this.events.emit('resized', message);
    }
  }

  private onTiles(body: Uint8Array, from: string): void {
    if (from !== this.endUser) return;
    const part = decodeTileFrame(body);
    if (part === undefined) return this.logger.debug({ from }, 'ignored a malformed tile frame');
    this.stats.received(body.length);
    const tiles = this.parts.get(part.frame) ?? [];
    tiles.push(...part.tiles);
    if (!part.last) return this.keepPart(part.frame, tiles);
    this.parts.delete(part.frame);
    const { frame, capturedAt, screenWidth, screenHeight } = part;
    this.drawing = this.drawing.then(() =>
      this.draw(frame, capturedAt, { width: screenWidth, height: screenHeight }, tiles),
    );
  }

  /** Keeps the parts of at most MAX_PARTIAL_FRAMES unfinished frames, dropping the oldest. */
  private keepPart(frame: number, tiles: FrameTile[]): void {
    this.parts.set(frame, tiles);
    if (this.parts.size <= MAX_PARTIAL_FRAMES) return;
    this.parts.delete(Math.min(...this.parts.keys()));
  }

  private async draw(frame: number, capturedAt: number, size: Size, tiles: FrameTile[]) {
    try {
      this.surface.resize(size.width, size.height);
      await this.surface.draw(tiles);
    } catch (error) {
      this.logger.warn({ frame, err: String(error) }, 'a frame could not be drawn');
    }
    // Acknowledged even when drawing failed, so the stream never stalls on one bad frame.
    this.send({ type: 'displayed', frame }).catch(() => undefined);
    const latencyMs = epochNow() - capturedAt;
    this.stats.displayed(latencyMs);
    this.events.emit('frame', { frame, latencyMs, tiles: tiles.length });
  }

  private send(message: TechnicianMessage): Promise<void> {
    return this.client.send(this.endUser, REMOTE_CONTROL_CHANNEL, encodeMessage(message));
  }
}

/** Unfinished frames kept at once: the sender has at most two in flight. */
const MAX_PARTIAL_FRAMES = 4;

interface Size {
  readonly width: number;
  readonly height: number;
}
