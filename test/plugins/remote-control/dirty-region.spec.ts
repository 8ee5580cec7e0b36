import { expect } from 'chai';
import { DirtyRegion } from '../../../plugins/remote-control/dirty-region.js';

describe('DirtyRegion', () => {
  it('starts clean and gives nothing to send', () => {
    const region = new DirtyRegion(1280, 720);
    expect(region.isEmpty).to.equal(true);
    expect(region.take()).to.deep.equal([]);
  });

  it('turns a small change into one tile of whole cells, and is clean after', () => {
    const region = new DirtyRegion(1280, 720);
    region.add({ x: 70, y: 10, width: 5, height: 5 });
    expect(region.take()).to.deep.equal([{ x: 64, y: 0, width: 64, height: 64 }]);
    expect(region.isEmpty).to.equal(true);
  });

  it('merges a storm of damage in one area into one tile', () => {
    const region = new DirtyRegion(1280, 720);
    for (let i = 0; i < 10_000; i++) region.add({ x: 130 + (i % 50), y: 70, width: 3, height: 40 });
    expect(region.take()).to.deep.equal([{ x: 128, y: 64, width: 64, height: 64 }]);
  });

  it('cuts a full screen into bands that two encoders can share, clipped to the screen', () => {
    const region = new DirtyRegion(1280, 720);
    region.addAll();
    expect(region.coverage).to.equal(1);
    const tiles = region.take();
    expect(tiles).to.deep.equal([
      { x: 0, y: 0, width: 1280, height: 192 },
      { x: 0, y: 192, width: 1280, height: 192 },
      { x: 0, y: 384, width: 1280, height: 192 },
      { x: 0, y: 576, width: 1280, height: 144 },
    ]);
  });

  it('covers exactly the dirty cells of two separate changes', () => {
    const region = new DirtyRegion(1000, 500);
    region.add({ x: 0, y: 0, width: 10, height: 10 });
    region.add({ x: 990, y: 490, width: 10, height: 10 });
    expect(region.take()).to.deep.equal([
      { x: 0, y: 0, width: 64, height: 64 },
      { x: 960, y: 448, width: 40, height: 52 },
    ]);
  });

  it('marks everything after a resize and ignores damage outside the screen', () => {
    const region = new DirtyRegion(1280, 720);
    region.add({ x: 5000, y: 5000, width: 10, height: 10 });
    expect(region.isEmpty).to.equal(true);
    region.resize(100, 100);
    expect(region.take()).to.deep.equal([{ x: 0, y: 0, width: 100, height: 100 }]);
  });
});
