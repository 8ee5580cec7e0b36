// The binary body of a TILES_CHANNEL record: one frame, or one part of a frame too big for one
// record. Big-endian, read with DataView, so a browser decodes it as easily as Node.
//
//   offset 0   version       u8   = 1
//   offset 1   flags         u8   bit 0: the last part of the frame
//   offset 2   frame         u32  frame number, from 1
//   offset 6   capturedAt    f64  the sender's clock at capture, ms since the Unix epoch
//   offset 14  width, height u16  the screen's size
//   offset 18  tiles         u16  how many tiles follow
//   each tile: x, y, w, h    u16  where it goes on the screen
//              encoding      u8   1 = JPEG
//              length        u32  then `length` bytes of the encoded image

/** The version byte of a tile frame. */
export const TILE_FRAME_VERSION = 1;
/** Tile encodings. */
export const JPEG_ENCODING = 1;

const HEADER_BYTES = 20;
const TILE_HEADER_BYTES = 13;
const LAST_PART = 1;

/** One encoded tile: a JPEG of the screen's rectangle x, y, width, height. */
export interface FrameTile {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly encoding: number;
  readonly data: Uint8Array;
}

/** One part of a frame, as sent in one record. */
export interface TileFramePart {
  readonly frame: number;
  readonly last: boolean;
  readonly capturedAt: number;
  readonly screenWidth: number;
  readonly screenHeight: number;
  readonly tiles: readonly FrameTile[];
}

/** Bytes of `part`. */
export function encodeTileFrame(part: TileFramePart): Uint8Array {
  const size = part.tiles.reduce((sum, t) => sum + TILE_HEADER_BYTES + t.data.length, 0);
  const bytes = new Uint8Array(HEADER_BYTES + size);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, TILE_FRAME_VERSION);
  view.setUint8(1, part.last ? LAST_PART : 0);
  view.setUint32(2, part.frame);
  view.setFloat64(6, part.capturedAt);
  view.setUint16(14, part.screenWidth);
  view.setUint16(16, part.screenHeight);
  view.setUint16(18, part.tiles.length);

  let offset = HEADER_BYTES;
  for (const tile of part.tiles) {
    view.setUint16(offset, tile.x);
    view.setUint16(offset + 2, tile.y);
    view.setUint16(offset + 4, tile.width);
    view.setUint16(offset + 6, tile.height);
    view.setUint8(offset + 8, tile.encoding);
    view.setUint32(offset + 9, tile.data.length);
    bytes.set(tile.data, offset + TILE_HEADER_BYTES);
    offset += TILE_HEADER_BYTES + tile.data.length;
  }
  return bytes;
}

/**
 * The frame part in `bytes`, or undefined when it is malformed: another version, a length
 * that overruns the body, bytes left over, or a tile outside the screen.
 */
export function decodeTileFrame(bytes: Uint8Array): TileFramePart | undefined {
  if (bytes.length < HEADER_BYTES) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint8(0) !== TILE_FRAME_VERSION) return undefined;
  const screenWidth = view.getUint16(14);
  const screenHeight = view.getUint16(16);
  const count = view.getUint16(18);

  const tiles: FrameTile[] = [];
  let offset = HEADER_BYTES;
  for (let i = 0; i < count; i++) {
    if (offset + TILE_HEADER_BYTES > bytes.length) return undefined;
    const tile = readTile(view, bytes, offset);
    if (tile === undefined) return undefined;
    if (tile.x + tile.width > screenWidth || tile.y + tile.height > screenHeight) return undefined;
    tiles.push(tile);
    offset += TILE_HEADER_BYTES + tile.data.length;
  }
  if (offset !== bytes.length) return undefined;
  const frame = view.getUint32(2);
  const last = (view.getUint8(1) & LAST_PART) !== 0;
  return { frame, last, capturedAt: view.getFloat64(6), screenWidth, screenHeight, tiles };
}

function readTile(view: DataView, bytes: Uint8Array, offset: number): FrameTile | undefined {
  const length = view.getUint32(offset + 9);
  const start = offset + TILE_HEADER_BYTES;
  if (start + length > bytes.length) return undefined;
  const width = view.getUint16(offset + 4);
  const height = view.getUint16(offset + 6);
  if (width === 0 || height === 0) return undefined;
  return {
    x: view.getUint16(offset),
    y: view.getUint16(offset + 2),
    width,
    height,
    encoding: view.getUint8(offset + 8),
    data: bytes.subarray(start, start + length),
  };
}

/** The bytes a tile adds to a frame part. */
export function tileBytes(tile: FrameTile): number {
  return TILE_HEADER_BYTES + tile.data.length;
}

/** The bytes of a frame part's header. */
export const FRAME_HEADER_BYTES = HEADER_BYTES;
