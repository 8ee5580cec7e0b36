// Node only (sharp): a FrameSurface that decodes JPEG tiles into an RGBA buffer, for Node
// technician clients, tests and the bench. A browser panel draws on a canvas instead.
import sharp from 'sharp';
import type { FrameSurface } from './remote-desktop-viewer.js';
import { JPEG_ENCODING, type FrameTile } from './tile-frame-format.js';

/** The screen as last drawn: `width * height` pixels of red, green, blue, alpha. */
export class RgbaFramebuffer implements FrameSurface {
  private current = { width: 0, height: 0 };
  private buffer = new Uint8Array(0);

  get width(): number {
    return this.current.width;
  }

  get height(): number {
    return this.current.height;
  }

  /** The pixels; row `y` starts at `y * width * 4`. */
  get pixels(): Uint8Array {
    return this.buffer;
  }

  /** The pixel at `x`, `y` as [red, green, blue]. */
  pixel(x: number, y: number): [number, number, number] {
    const at = (y * this.width + x) * 4;
    return [this.buffer[at]!, this.buffer[at + 1]!, this.buffer[at + 2]!];
  }

  resize(width: number, height: number): void {
    if (width === this.width && height === this.height) return;
    this.current = { width, height };
    this.buffer = new Uint8Array(width * height * 4);
  }

  async draw(tiles: readonly FrameTile[]): Promise<void> {
    const decoded = await Promise.all(tiles.map((tile) => decode(tile)));
    decoded.forEach((pixels, index) => this.blit(tiles[index]!, pixels));
  }

  private blit(tile: FrameTile, pixels: Uint8Array): void {
    const rowBytes = tile.width * 4;
    for (let row = 0; row < tile.height; row++) {
      const from = row * rowBytes;
      const to = ((tile.y + row) * this.width + tile.x) * 4;
      this.buffer.set(pixels.subarray(from, from + rowBytes), to);
    }
  }
}

async function decode(tile: FrameTile): Promise<Uint8Array> {
  if (tile.encoding !== JPEG_ENCODING) throw new Error(`unknown encoding ${tile.encoding}`);
  const { data, info } = await sharp(tile.data)
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.width !== tile.width || info.height !== tile.height) {
    throw new Error('a tile does not have the size it claims');
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}
