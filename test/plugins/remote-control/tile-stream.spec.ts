import { expect } from 'chai';
import { RgbaFramebuffer } from '../../../plugins/remote-control/rgba-framebuffer.js';
import { TileEncoder } from '../../../plugins/remote-control/tile-encoder.js';
import { decodeTileFrame } from '../../../plugins/remote-control/tile-frame-format.js';
import { TileStream } from '../../../plugins/remote-control/tile-stream.js';
import { MemoryDesktop } from '../../support/memory-desktop.js';
import { waitFor } from '../../support/session-pair.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const FULL = { x: 0, y: 0, width: 320, height: 192 };

/** A viewer that takes `drawMs` per frame, acknowledging each once drawn. */
function slowViewer(drawMs: number) {
  const screen = new RgbaFramebuffer();
  const viewer = {
    screen,
    sent: 0,
    drawn: 0,
    maxInFlight: 0,
    /** Parts of a frame older than one sent before it. */
    outOfOrder: 0,
    lastFrame: 0,
    stream: undefined as TileStream | undefined,
    queue: Promise.resolve(),
  };
  const send = async (body: Uint8Array) => {
    const part = decodeTileFrame(body)!;
    viewer.sent += 1;
    if (part.frame < viewer.lastFrame) viewer.outOfOrder += 1;
    viewer.lastFrame = Math.max(viewer.lastFrame, part.frame);
    viewer.maxInFlight = Math.max(viewer.maxInFlight, viewer.sent - viewer.drawn);
    viewer.queue = viewer.queue.then(async () => {
      await sleep(drawMs);
      screen.resize(part.screenWidth, part.screenHeight);
      await screen.draw(part.tiles);
      viewer.drawn += 1;
      viewer.stream!.displayed(part.frame);
    });
  };
  return { viewer, send };
}

function streamOf(desktop: MemoryDesktop, send: (body: Uint8Array) => Promise<void>) {
  return new TileStream({
    desktop,
    encoder: new TileEncoder(),
    limits: { quality: 80, fps: 60 },
    send,
    allowed: () => true,
    onStopped: () => undefined,
  });
}

describe('TileStream flow control', function () {
  this.timeout(20_000);

  it('gives a slow viewer the latest screen, skipping what it could not keep up with', async () => {
    const desktop = new MemoryDesktop(320, 192);
    const { viewer, send } = slowViewer(120);
    const stream = (viewer.stream = streamOf(desktop, send));
    stream.start();
    for (let i = 0; i < 60; i++) {
      desktop.paint(FULL, [i * 4, 255 - i * 4, 128]);
      await sleep(5);
    }
    desktop.paint(FULL, [250, 10, 200]);
    await waitFor(() => viewer.drawn > 0 && viewer.drawn === viewer.sent, 'the viewer caught up');
    await sleep(300);
    stream.stop();

    expect(viewer.outOfOrder, 'frames sent in their order').to.equal(0);
    expect(viewer.maxInFlight).to.be.at.most(2);
    expect(viewer.sent).to.be.below(15);
    const [r, g, b] = viewer.screen.pixel(160, 96);
    expect(Math.abs(r - 250) + Math.abs(g - 10) + Math.abs(b - 200)).to.be.below(20);
    expect(stream.stats().skipped).to.be.greaterThan(0);
  });

  it('sends nothing while the screen does not change', async () => {
    const desktop = new MemoryDesktop(320, 192);
    const { viewer, send } = slowViewer(0);
    const stream = (viewer.stream = streamOf(desktop, send));
    stream.start();
    await waitFor(() => viewer.drawn === 1, 'the first full frame');
    const captures = desktop.captures;
    await sleep(500);
    expect(viewer.sent).to.equal(1);
    expect(desktop.captures).to.equal(captures);

    desktop.paint({ x: 10, y: 10, width: 4, height: 4 }, [255, 0, 0]);
    await waitFor(() => viewer.drawn === 2, 'the change');
    stream.stop();
    expect(viewer.screen.pixel(11, 11)[0]).to.be.above(200);
  });

  it('captures nothing once not allowed, and says why it stopped', async () => {
    const desktop = new MemoryDesktop(320, 192);
    let allowed = true;
    const stopped: string[] = [];
    const { viewer, send } = slowViewer(0);
    const stream = (viewer.stream = new TileStream({
      desktop,
      encoder: new TileEncoder(),
      limits: { quality: 80, fps: 60 },
      send,
      allowed: () => allowed,
      onStopped: (why) => stopped.push(why),
    }));
    stream.start();
    await waitFor(() => viewer.drawn === 1, 'the first frame');
    allowed = false;
    const captures = desktop.captures;
    desktop.paint(FULL, [1, 2, 3]);
    await waitFor(() => stopped.length === 1, 'the stream stopped');
    desktop.paint(FULL, [4, 5, 6]);
    await sleep(100);
    expect(stopped).to.deep.equal(['not-allowed']);
    expect(desktop.captures).to.equal(captures);
  });
});

describe('TileEncoder', () => {
  it('makes JPEG tiles of the right size, close to the pixels, two at a time at most', async () => {
    const desktop = new MemoryDesktop(256, 128);
    desktop.paint({ x: 0, y: 0, width: 256, height: 128 }, [30, 160, 220]);
    const encoder = new TileEncoder();
    let most = 0;
    const watch = setInterval(() => (most = Math.max(most, encoder.active)), 0);
    const image = await desktop.capture({ x: 0, y: 0, width: 256, height: 128 });
    const tiles = await Promise.all(Array.from({ length: 6 }, () => encoder.encode(image, 70)));
    clearInterval(watch);

    expect(most).to.be.at.most(2);
    const tile = tiles[0]!;
    expect([tile.data[0], tile.data[1]]).to.deep.equal([0xff, 0xd8]);
    const screen = new RgbaFramebuffer();
    screen.resize(256, 128);
    await screen.draw([tile]);
    const [r, g, b] = screen.pixel(100, 50);
    expect(Math.abs(r - 30) + Math.abs(g - 160) + Math.abs(b - 220)).to.be.below(12);
  });
});
