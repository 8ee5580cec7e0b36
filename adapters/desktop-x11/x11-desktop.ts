import type {
  Desktop,
  DesktopButton,
  DesktopEvents,
  DesktopImage,
  DesktopKey,
  DesktopRect,
  DesktopSize,
} from '../../engine/contracts/desktop-contract.js';
import { toDisposable, type Disposable } from '../../engine/contracts/disposable.js';
import type { Logger } from '../../engine/contracts/logger-contract.js';
import { openScreenCapture, type ScreenCapture } from './screen-capture.js';
import {
  ask,
  openX11Connection,
  STRUCTURE_NOTIFY,
  type X11Connection,
  type X11Event,
} from './x11-connection.js';
import { X11Input } from './x11-input.js';

interface DamageExtension {
  readonly ReportLevel: { readonly RawRectangles: number };
  Create(damage: number, drawable: number, level: number): void;
}

/** How {@link X11Desktop.open} connects. */
export interface X11DesktopOptions {
  /** The display, such as `:1`; the default is the DISPLAY variable. */
  readonly display?: string;
  readonly logger?: Logger;
}

type Listeners = { [K in keyof DesktopEvents]: Set<DesktopEvents[K]> };

/**
 * The Desktop contract on an X11 display, through the pure-JS `x11` package: capture by
 * MIT-SHM or core GetImage, changes from a DAMAGE object on the root window (raw rectangles,
 * gathered into one `damage` event per turn of the event loop), size changes from the root's
 * ConfigureNotify (RandR), and input through XTEST.
 */
export class X11Desktop implements Desktop {
  readonly kind = 'x11';
  private current: DesktopSize;
  private pending: DesktopRect[] = [];
  private flushQueued = false;
  private closed = false;
  private readonly listeners: Listeners = { damage: new Set(), resize: new Set() };

  private constructor(
    private readonly connection: X11Connection,
    private readonly capturer: ScreenCapture,
    private readonly input: X11Input,
    private readonly logger: Logger | undefined,
  ) {
    this.current = { width: connection.width, height: connection.height };
  }

  /** Connects to the display and gets capture, damage and input ready. */
  static async open(options: X11DesktopOptions = {}): Promise<X11Desktop> {
    const display = options.display ?? process.env.DISPLAY ?? ':0';
    const connection = await openX11Connection(display);
    const { client, root } = connection;
    const capture = await openScreenCapture(connection);
    const input = await X11Input.open(connection);
    const damage = await ask<DamageExtension>((cb) => client.require('damage', cb));

    const desktop = new X11Desktop(connection, capture, input, options.logger);
    client.on('event', (event) => desktop.onEvent(event));
    client.on('error', (error) => desktop.onError(error));
    client.on('end', () => (desktop.closed = true));
    damage.Create(client.AllocID(), root, damage.ReportLevel.RawRectangles);
    client.ChangeWindowAttributes(root, { eventMask: STRUCTURE_NOTIFY });
    options.logger?.info(
      { display, capture: capture.method, ...desktop.current },
      'desktop opened',
    );
    return desktop;
  }

  /** `shm` or `core`: how this desktop captures. */
  get captureMethod(): 'shm' | 'core' {
    return this.capturer.method;
  }

  size(): DesktopSize {
    return this.current;
  }

  capture(rect: DesktopRect): Promise<DesktopImage> {
    this.assertOpen();
    const clipped = clip(rect, this.current);
    if (clipped.width === 0 || clipped.height === 0) {
      return Promise.resolve({ rect: clipped, stride: 0, pixels: new Uint8Array(0) });
    }
    return this.capturer.read(clipped);
  }

  on<K extends keyof DesktopEvents>(name: K, listener: DesktopEvents[K]): Disposable {
    const set = this.listeners[name] as Set<DesktopEvents[K]>;
    set.add(listener);
    return toDisposable(() => void set.delete(listener));
  }

  movePointer(x: number, y: number): Promise<void> {
    this.assertOpen();
    return this.input.movePointer(x, y, this.current.width, this.current.height);
  }

  pressButton(button: DesktopButton, down: boolean): Promise<void> {
    this.assertOpen();
    return this.input.pressButton(button, down);
  }

  scroll(steps: number, horizontal?: boolean): Promise<void> {
    this.assertOpen();
    return this.input.scroll(steps, horizontal);
  }

  pressKey(key: DesktopKey, down: boolean): Promise<void> {
    this.assertOpen();
    return this.input.pressKey(key, down);
  }

  releaseAll(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.input.releaseAll();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.releaseAll().catch(() => undefined);
    this.closed = true;
    this.capturer.close();
    await new Promise<void>((resolve) => this.connection.client.close(() => resolve()));
    this.logger?.info({}, 'desktop closed');
  }

  private onEvent(event: X11Event): void {
    if (event.name === 'DamageNotify' && event.area) {
      const { x, y, w, h } = event.area;
      this.pending.push({ x, y, width: w, height: h });
      return this.queueFlush();
    }
    if (event.name === 'ConfigureNotify' && event.wid === this.connection.root) {
      void this.onResize({ width: event.width!, height: event.height! });
    }
  }

  private async onResize(size: DesktopSize): Promise<void> {
    if (size.width === this.current.width && size.height === this.current.height) return;
    this.current = size;
    await this.capturer.resized(size.width, size.height);
    this.logger?.info({ ...size }, 'desktop resized');
    for (const listener of [...this.listeners.resize]) this.call(() => listener(size));
  }

  private queueFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    setImmediate(() => {
      this.flushQueued = false;
      const rects = this.pending.splice(0);
      for (const listener of [...this.listeners.damage]) this.call(() => listener(rects));
    });
  }

  /** Runs a listener; one that throws is logged and does not stop the others. */
  private call(listener: () => void): void {
    try {
      listener();
    } catch (error) {
      this.logger?.warn({ err: String(error) }, 'a desktop listener threw');
    }
  }

  private onError(error: Error | undefined): void {
    this.logger?.warn({ err: String(error) }, 'the X server reported an error');
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the desktop is closed');
  }
}

function clip(rect: DesktopRect, size: DesktopSize): DesktopRect {
  const x = Math.max(0, Math.min(Math.floor(rect.x), size.width));
  const y = Math.max(0, Math.min(Math.floor(rect.y), size.height));
  const right = Math.max(x, Math.min(Math.ceil(rect.x + rect.width), size.width));
  const bottom = Math.max(y, Math.min(Math.ceil(rect.y + rect.height), size.height));
  return { x, y, width: right - x, height: bottom - y };
}
