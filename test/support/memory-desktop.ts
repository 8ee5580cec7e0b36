import type {
  Desktop,
  DesktopEvents,
  DesktopImage,
  DesktopRect,
} from '../../engine/contracts/desktop-contract.js';
import { toDisposable } from '../../engine/contracts/disposable.js';

/**
 * A screen held in memory, for the stream's flow-control tests where a test must change the
 * picture faster than any X client could and know exactly what it last showed. The X11 tests
 * use the real adapter on Xvfb; this stands in only for those timing tests.
 */
export class MemoryDesktop implements Desktop {
  readonly kind = 'memory';
  readonly pixels: Uint8Array;
  captures = 0;
  private readonly damage = new Set<DesktopEvents['damage']>();

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.pixels = new Uint8Array(width * height * 4);
  }

  /** Fills `rect` with one colour and reports the damage as a display would. */
  paint(rect: DesktopRect, [r, g, b]: readonly [number, number, number]): void {
    for (let y = rect.y; y < rect.y + rect.height; y++) {
      for (let x = rect.x; x < rect.x + rect.width; x++) {
        this.pixels.set([r, g, b, 255], (y * this.width + x) * 4);
      }
    }
    for (const listener of this.damage) listener([rect]);
  }

  size() {
    return { width: this.width, height: this.height };
  }

  async capture(rect: DesktopRect): Promise<DesktopImage> {
    this.captures += 1;
    const out = new Uint8Array(rect.width * rect.height * 4);
    for (let row = 0; row < rect.height; row++) {
      const from = ((rect.y + row) * this.width + rect.x) * 4;
      out.set(this.pixels.subarray(from, from + rect.width * 4), row * rect.width * 4);
    }
    return { rect, stride: rect.width * 4, pixels: out };
  }

  on<K extends keyof DesktopEvents>(name: K, listener: DesktopEvents[K]) {
    if (name !== 'damage') return toDisposable(() => undefined);
    const entry = listener as DesktopEvents['damage'];
    this.damage.add(entry);
    return toDisposable(() => void this.damage.delete(entry));
  }

  async movePointer(): Promise<void> {}
  async pressButton(): Promise<void> {}
  async scroll(): Promise<void> {}
  async pressKey(): Promise<void> {}
  async releaseAll(): Promise<void> {}
  async close(): Promise<void> {}
}
