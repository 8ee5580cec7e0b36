import {
  silentSessionLogger,
  type Desktop,
  type Disposable,
  type EndUserConsent,
  type SessionClient,
  type SessionLogger,
} from '../../sdk/index.js';
import { applyInput } from './apply-input.js';
import { DEFAULT_LIMITS } from './flow-control.js';
import {
  DESKTOP_VIEW,
  encodeMessage,
  FPS_RANGE,
  parseTechnicianMessage,
  QUALITY_RANGE,
  REMOTE_CONTROL,
  REMOTE_CONTROL_CHANNEL,
  TILES_CHANNEL,
  withinRange,
  type EndUserMessage,
  type InputEvent,
  type RefusalReason,
  type StreamLimits,
  type TechnicianMessage,
} from './remote-control-protocol.js';
import type { ScreenStream } from './screen-stream.js';
import { TileEncoder } from './tile-encoder.js';
import { TileStream } from './tile-stream.js';

/** What the end user's side tells its user about, as it happens. */
export type HostActivity =
  | { readonly kind: 'viewing'; readonly technician: string }
  | { readonly kind: 'stopped'; readonly technician: string; readonly why: RefusalReason }
  | { readonly kind: 'refused'; readonly technician: string; readonly what: 'view' | 'input' };

/** What the host needs. */
export interface RemoteControlHostOptions {
  readonly client: SessionClient;
  readonly consent: EndUserConsent;
  readonly desktop: Desktop;
  readonly logger?: SessionLogger;
  onActivity?(activity: HostActivity): void;
}

/** How often running streams are checked against the grants (a revoke stops them). */
const RECHECK_MS = 250;
/** Input events waiting to be injected, past which pointer moves are dropped. */
const MAX_PENDING_INPUT = 512;
/** A refusal is told to a technician at most this often. */
const REFUSAL_EVERY_MS = 1000;

/**
 * The end user's side of remote control: answers technicians on the remote-control channel.
 * A stream runs only while EndUserConsent allows `desktop-view` or `remote-control` for that
 * technician (checked before every capture and four times a second); input is injected only
 * while it allows `remote-control`, and is otherwise refused here, whatever the technician's
 * console shows. Nothing is captured before a technician asks, and nothing after the session
 * stops being active.
 */
export class RemoteControlHost {
  private readonly streams = new Map<string, ScreenStream>();
  private readonly encoder = new TileEncoder();
  private readonly subscriptions: Disposable[];
  private readonly recheck: ReturnType<typeof setInterval>;
  private readonly lastRefusal = new Map<string, number>();
  private readonly logger: SessionLogger;
  private inputs: Promise<void> = Promise.resolve();
  private pendingInput = 0;

  constructor(private readonly options: RemoteControlHostOptions) {
    const { client } = options;
    this.logger = options.logger ?? silentSessionLogger;
    this.subscriptions = [
      client.onChannel(REMOTE_CONTROL_CHANNEL, (body, from) => this.onBody(body, from)),
      client.on('peer-left', ({ participantId, gone }) => gone && this.end(participantId)),
      client.on('peer-joined', ({ peer, change }) => {
        if (change === 'restarted') this.end(peer.participantId);
      }),
      client.on('state', ({ state }) => state !== 'active' && this.endAll()),
      client.on('closed', () => this.endAll()),
    ];
    this.recheck = setInterval(() => this.checkGrants(), RECHECK_MS);
  }

  /** The stream of `technician`, if one runs. */
  streamOf(technician: string): ScreenStream | undefined {
    return this.streams.get(technician);
  }

  /** Stops every stream and listening; releases whatever input holds down. */
  async dispose(): Promise<void> {
    clearInterval(this.recheck);
    for (const subscription of this.subscriptions) void subscription.dispose();
    this.endAll();
    await this.inputs;
  }

  private onBody(body: Uint8Array, from: string): void {
    if (this.options.client.peer(from)?.role !== 'technician') return;
    const message = parseTechnicianMessage(body);
    if (message === undefined) return this.logger.debug({ from }, 'ignored a remote-control body');
    this.handle(message, from);
  }

  private handle(message: TechnicianMessage, from: string): void {
    switch (message.type) {
      case 'start':
        return this.start(from, limitsOf(message));
      case 'stop':
        return this.end(from, 'requested');
      case 'settings':
        return this.streams.get(from)?.setLimits(limitsOf(message));
      case 'displayed':
        return this.streams.get(from)?.displayed(message.frame);
      case 'input':
        return this.input(from, message.events);
    }
  }

  private canView(technician: string): boolean {
    const { consent } = this.options;
    return (
      consent.isAllowed(technician, DESKTOP_VIEW) || consent.isAllowed(technician, REMOTE_CONTROL)
    );
  }

  private start(technician: string, limits: StreamLimits): void {
    if (!this.canView(technician)) return this.refuse(technician, 'view');
    this.streams.get(technician)?.stop();
    const stream = this.makeStream(technician, limits);
    this.streams.set(technician, stream);
    const { width, height } = this.options.desktop.size();
    this.tell(technician, { type: 'started', stream: stream.kind, width, height });
    this.logger.info({ technician, ...limits }, 'desktop stream started');
    this.options.onActivity?.({ kind: 'viewing', technician });
    stream.start();
  }

  private makeStream(technician: string, limits: StreamLimits): ScreenStream {
    const { client, desktop } = this.options;
    return new TileStream({
      desktop,
      encoder: this.encoder,
      limits,
      logger: this.logger,
      send: (body) => client.send(technician, TILES_CHANNEL, body),
      allowed: () => this.canView(technician),
      onStopped: (why) => this.stopped(technician, why),
      onStatus: (status) => this.tell(technician, { type: 'status', ...status }),
      onResized: (size) => this.tell(technician, { type: 'resized', ...size }),
    });
  }

  private input(technician: string, events: readonly InputEvent[]): void {
    if (!this.options.consent.isAllowed(technician, REMOTE_CONTROL)) {
      return this.refuse(technician, 'input');
    }
    // A flood that outruns the display is cut: moves first, then whole messages.
    if (this.pendingInput > MAX_PENDING_INPUT * 8) {
      return this.logger.warn({ technician }, 'input dropped: too much waiting');
    }
    const kept = this.pendingInput > MAX_PENDING_INPUT ? events.filter(isNotMove) : events;
    this.pendingInput += kept.length;
    this.inputs = this.inputs.then(async () => {
      // Checked again when the events' turn comes: a revoke in between stops them.
      const allowed = this.options.consent.isAllowed(technician, REMOTE_CONTROL);
      if (allowed) await applyInput(this.options.desktop, kept, this.logger);
      this.pendingInput -= kept.length;
    });
  }

  private refuse(technician: string, what: 'view' | 'input'): void {
    this.logger.info({ technician, what }, 'remote-control refused: not allowed');
    const key = `${technician}\n${what}`;
    const now = Date.now();
    if (now - (this.lastRefusal.get(key) ?? 0) < REFUSAL_EVERY_MS) return;
    this.lastRefusal.set(key, now);
    this.tell(technician, { type: 'refused', what, why: 'not-allowed' });
    this.options.onActivity?.({ kind: 'refused', technician, what });
  }

  private checkGrants(): void {
    for (const technician of [...this.streams.keys()]) {
      if (!this.canView(technician)) this.end(technician, 'not-allowed');
    }
  }

  private stopped(technician: string, why: RefusalReason): void {
    if (this.streams.delete(technician)) this.told(technician, why);
  }

  private end(technician: string, why: RefusalReason = 'ended'): void {
    const stream = this.streams.get(technician);
    if (stream === undefined) return;
    stream.stop();
    this.streams.delete(technician);
    this.told(technician, why);
    void this.releaseInput();
  }

  private told(technician: string, why: RefusalReason): void {
    this.logger.info({ technician, why }, 'desktop stream stopped');
    if (why !== 'ended') this.tell(technician, { type: 'stopped', why });
    this.options.onActivity?.({ kind: 'stopped', technician, why });
  }

  private endAll(): void {
    for (const technician of [...this.streams.keys()]) this.end(technician);
    void this.releaseInput();
  }

  private releaseInput(): Promise<void> {
    this.inputs = this.inputs.then(() =>
      this.options.desktop.releaseAll().catch((error: unknown) => {
        this.logger.warn({ err: String(error) }, 'could not release input');
      }),
    );
    return this.inputs;
  }

  private tell(technician: string, message: EndUserMessage): void {
    this.options.client
      .send(technician, REMOTE_CONTROL_CHANNEL, encodeMessage(message))
      .catch((error: unknown) => this.logger.debug({ err: String(error) }, 'message unsent'));
  }
}

function limitsOf(message: { quality?: number; fps?: number }): StreamLimits {
  return {
    quality: withinRange(message.quality ?? DEFAULT_LIMITS.quality, QUALITY_RANGE),
    fps: withinRange(message.fps ?? DEFAULT_LIMITS.fps, FPS_RANGE),
  };
}

function isNotMove(event: InputEvent): boolean {
  return event.kind !== 'move';
}
