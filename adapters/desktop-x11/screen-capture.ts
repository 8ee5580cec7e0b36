import type { DesktopImage, DesktopRect } from '../../engine/contracts/desktop-contract.js';
import { ask, type X11Connection } from './x11-connection.js';

const Z_PIXMAP = 2;
const ALL_PLANES = 0xffffffff;

interface ShmSegment {
  readonly buffer: Buffer;
  getImage(
    drawable: number,
    x: number,
    y: number,
    width: number,
    height: number,
    planeMask: number,
    format: number,
    offset: number,
    cb: (error: Error | null, reply: { size: number }) => void,
  ): void;
  detach(cb?: () => void): void;
}

interface ShmExtension {
  usable(cb: (error: Error | null, ok: boolean) => void): void;
  createSegment(size: number, cb: (error: Error | null, segment: ShmSegment) => void): void;
}

/** Reads rectangles of the root window, by MIT-SHM when the server takes a segment. */
export interface ScreenCapture {
  /** `shm` or `core`, for logs and the bench. */
  readonly method: 'shm' | 'core';
  read(rect: DesktopRect): Promise<DesktopImage>;
  /** The screen changed size: segments are made afresh. */
  resized(width: number, height: number): Promise<void>;
  close(): void;
}

/**
 * The fastest capture this connection allows: MIT-SHM (the server writes into a shared
 * segment; under 20 ms for 1280x720 here) when the extension is there AND a segment attaches,
 * else core GetImage (the pixels travel over the socket). The probe is real: servers may
 * advertise MIT-SHM and still refuse every segment.
 */
export async function openScreenCapture(connection: X11Connection): Promise<ScreenCapture> {
  const shm = await ask<ShmExtension>((cb) => connection.client.require('shm', cb)).catch(
    () => undefined,
  );
  const usable = shm && (await ask<boolean>((cb) => shm.usable(cb)).catch(() => false));
  if (shm && usable) {
    const capture = new ShmCapture(connection, shm);
    if (
      await capture.resized(connection.width, connection.height).then(
        () => true,
        () => false,
      )
    )
      return capture;
  }
  return new CoreCapture(connection);
}

class CoreCapture implements ScreenCapture {
  readonly method = 'core';

  constructor(private readonly connection: X11Connection) {}

  async read(rect: DesktopRect): Promise<DesktopImage> {
    const { client, root, redFirst } = this.connection;
    const { x, y, width, height } = rect;
    const image = await ask<{ data: Buffer }>((cb) =>
      client.GetImage(Z_PIXMAP, root, x, y, width, height, ALL_PLANES, cb),
    );
    return { rect, stride: width * 4, pixels: toRgbx(image.data, width * height, redFirst) };
  }

  async resized(): Promise<void> {}

  close(): void {}
}

class ShmCapture implements ScreenCapture {
  readonly method = 'shm';
  private segment: ShmSegment | undefined;
  private busy: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly connection: X11Connection,
    private readonly shm: ShmExtension,
  ) {}

  read(rect: DesktopRect): Promise<DesktopImage> {
    // One segment, so one read at a time.
    const next = this.busy.then(() => this.readNow(rect));
    this.busy = next.catch(() => undefined);
    return next;
  }

  async resized(width: number, height: number): Promise<void> {
    const old = this.segment;
    this.segment = undefined;
    old?.detach();
    this.segment = await ask<ShmSegment>((cb) => this.shm.createSegment(width * height * 4, cb));
  }

  close(): void {
    this.segment?.detach();
    this.segment = undefined;
  }

  private async readNow(rect: DesktopRect): Promise<DesktopImage> {
    const segment = this.segment;
    if (segment === undefined) throw new Error('the capture is closed');
    const { root, redFirst } = this.connection;
    const { x, y, width, height } = rect;
    await ask((cb) => segment.getImage(root, x, y, width, height, ALL_PLANES, Z_PIXMAP, 0, cb));
    return { rect, stride: width * 4, pixels: toRgbx(segment.buffer, width * height, redFirst) };
  }
}

/**
 * A fresh copy of `count` 32-bit pixels in red, green, blue, unused order. X servers on
 * little-endian machines keep TrueColor pixels as blue, green, red, unused in memory.
 */
export function toRgbx(source: Uint8Array, count: number, redFirst: boolean): Uint8Array {
  const out = new Uint8Array(count * 4);
  if (redFirst) {
    out.set(source.subarray(0, count * 4));
    return out;
  }
  if (source.byteOffset % 4 === 0) {
    const from = new Uint32Array(source.buffer, source.byteOffset, count);
    const to = new Uint32Array(out.buffer);
    for (let i = 0; i < count; i++) {
      const v = from[i]!;
      to[i] = ((v & 0xff) << 16) | (v & 0xff00) | ((v >>> 16) & 0xff) | 0xff000000;
    }
    return out;
  }
  for (let i = 0; i < count * 4; i += 4) {
    out[i] = source[i + 2]!;
    out[i + 1] = source[i + 1]!;
    out[i + 2] = source[i]!;
    out[i + 3] = 0xff;
  }
  return out;
}
