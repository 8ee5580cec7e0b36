import { expect } from 'chai';
import {
  decodeTileFrame,
  encodeTileFrame,
  JPEG_ENCODING,
  type TileFramePart,
} from '../../../plugins/remote-control/tile-frame-format.js';

const part: TileFramePart = {
  frame: 7,
  last: true,
  capturedAt: 1_760_000_000_123.25,
  screenWidth: 1280,
  screenHeight: 720,
  tiles: [
    { x: 0, y: 0, width: 64, height: 64, encoding: JPEG_ENCODING, data: Uint8Array.of(1, 2, 3) },
    { x: 1216, y: 656, width: 64, height: 64, encoding: JPEG_ENCODING, data: new Uint8Array(0) },
  ],
};

describe('tile frame format', () => {
  it('reads back what it wrote, tiles and all', () => {
    const decoded = decodeTileFrame(encodeTileFrame(part))!;
    expect(decoded.frame).to.equal(7);
    expect(decoded.last).to.equal(true);
    expect(decoded.capturedAt).to.equal(part.capturedAt);
    expect([decoded.screenWidth, decoded.screenHeight]).to.deep.equal([1280, 720]);
    expect(decoded.tiles.map((t) => [t.x, t.y, t.width, t.height, [...t.data]])).to.deep.equal([
      [0, 0, 64, 64, [1, 2, 3]],
      [1216, 656, 64, 64, []],
    ]);
  });

  it('reads a part that sits inside a larger buffer', () => {
    const bytes = encodeTileFrame({ ...part, last: false });
    const bigger = new Uint8Array(bytes.length + 10);
    bigger.set(bytes, 5);
    const decoded = decodeTileFrame(bigger.subarray(5, 5 + bytes.length))!;
    expect(decoded.last).to.equal(false);
    expect(decoded.tiles).to.have.length(2);
  });

  it('refuses truncated, padded, other-version and out-of-screen frames', () => {
    const bytes = encodeTileFrame(part);
    expect(decodeTileFrame(bytes.subarray(0, 19))).to.equal(undefined);
    expect(decodeTileFrame(bytes.subarray(0, bytes.length - 1))).to.equal(undefined);
    expect(decodeTileFrame(Uint8Array.of(...bytes, 0))).to.equal(undefined);
    const otherVersion = Uint8Array.from(bytes);
    otherVersion[0] = 2;
    expect(decodeTileFrame(otherVersion)).to.equal(undefined);
    const outside = { ...part, tiles: [{ ...part.tiles[0]!, x: 1250 }] };
    expect(decodeTileFrame(encodeTileFrame(outside))).to.equal(undefined);
    const empty = { ...part, tiles: [{ ...part.tiles[0]!, width: 0 }] };
    expect(decodeTileFrame(encodeTileFrame(empty))).to.equal(undefined);
  });

  it('refuses a tile length that runs past the body', () => {
    const bytes = encodeTileFrame(part);
    const view = new DataView(bytes.buffer);
    view.setUint32(20 + 9, 1_000_000);
    expect(decodeTileFrame(bytes)).to.equal(undefined);
  });
});
