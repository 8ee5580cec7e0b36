import sharp from 'sharp';
import type { DesktopImage } from '../../sdk/index.js';
import { JPEG_ENCODING, type FrameTile } from './tile-frame-format.js';

/** How many encodes run at once: sharp uses one thread per encode here. */
export const ENCODES_IN_FLIGHT = 2;

/**
 * JPEG tiles from captured pixels, with sharp (libvips), at most {@link ENCODES_IN_FLIGHT} at a
 * time; more wait their turn in order. Chroma is subsampled 4:2:0 and the Huffman tables are
 * the standard ones: a second pass to optimise them costs more time than it saves bytes here.
 */
export class TileEncoder {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly inFlight = ENCODES_IN_FLIGHT) {}

  /** Encodes running now. */
  get active(): number {
    return this.running;
  }

  /** The JPEG tile of `image` at `quality` (1 to 100). */
  async encode(image: DesktopImage, quality: number): Promise<FrameTile> {
    await this.turn();
    try {
      const { x, y, width, height } = image.rect;
      const data = await sharp(image.pixels, { raw: { width, height, channels: 4 } })
        .removeAlpha()
        .jpeg({ quality, chromaSubsampling: '4:2:0', optimiseCoding: false })
        .toBuffer();
      return { x, y, width, height, encoding: JPEG_ENCODING, data: new Uint8Array(data) };
    } finally {
      // The slot passes straight to the next waiter, so no newcomer can slip in between.
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }

  private async turn(): Promise<void> {
    if (this.running < this.inFlight) {
      this.running += 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
}
