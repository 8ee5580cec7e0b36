import type { FrameSurface } from '../remote-desktop-viewer.js';
import type { FrameTile } from '../tile-frame-format.js';

/**
 * A FrameSurface on a canvas: the canvas keeps the desktop's own size (CSS scales it to fit
 * the panel) and each JPEG tile is decoded by the browser and drawn at its place.
 */
export class CanvasSurface implements FrameSurface {
  private readonly context: CanvasRenderingContext2D;

  constructor(readonly canvas: HTMLCanvasElement) {
    const context = canvas.getContext('2d');
    if (context === null) throw new Error('this browser has no 2D canvas');
    this.context = context;
  }

  resize(width: number, height: number): void {
    if (this.canvas.width === width && this.canvas.height === height) return;
    this.canvas.width = width;
    this.canvas.height = height;
  }

  async draw(tiles: readonly FrameTile[]): Promise<void> {
    const bitmaps = await Promise.all(
      tiles.map((tile) => createImageBitmap(new Blob([jpegOf(tile)], { type: 'image/jpeg' }))),
    );
    for (const [index, bitmap] of bitmaps.entries()) {
      const tile = tiles[index]!;
      this.context.drawImage(bitmap, tile.x, tile.y, tile.width, tile.height);
      bitmap.close();
    }
  }
}

/** The tile's bytes as a Blob part (they are never on a SharedArrayBuffer). */
function jpegOf(tile: FrameTile): Uint8Array<ArrayBuffer> {
  return tile.data as Uint8Array<ArrayBuffer>;
}
