import { expect } from 'chai';
import { X11Desktop } from '../../../adapters/desktop-x11/index.js';
import { isTetherError } from '../../../engine/errors.js';
import { ClickRecorder } from '../../support/click-recorder.js';
import { waitFor } from '../../support/session-pair.js';
import { startXvfb, type XvfbDisplay } from '../../support/xvfb-display.js';

const SHIFT = 1;
const CONTROL = 4;

describe('X11Desktop on Xvfb', function () {
  this.timeout(30_000);
  let x: XvfbDisplay;
  let desktop: X11Desktop;
  let recorder: ClickRecorder;

  before(async () => {
    x = await startXvfb(1280, 720);
    desktop = await X11Desktop.open({ display: x.display });
    recorder = await ClickRecorder.open(x.display, { x: 100, y: 100, width: 400, height: 300 });
    // Focus follows the pointer: there is no window manager.
    await desktop.movePointer(300, 250);
  });

  after(async () => {
    await recorder?.close();
    await desktop?.close();
    await x?.stop();
  });

  it('captures by MIT-SHM the pixels on screen, in red, green, blue order', async () => {
    expect(desktop.captureMethod).to.equal('shm');
    expect(desktop.size()).to.deep.equal({ width: 1280, height: 720 });
    x.runSync('xsetroot', ['-solid', '#2050e0']);
    const image = await desktop.capture({ x: 1000, y: 600, width: 10, height: 10 });
    expect(image.rect).to.deep.equal({ x: 1000, y: 600, width: 10, height: 10 });
    expect([...image.pixels.subarray(0, 3)]).to.deep.equal([0x20, 0x50, 0xe0]);
    const clipped = await desktop.capture({ x: 1275, y: 715, width: 50, height: 50 });
    expect(clipped.rect).to.deep.equal({ x: 1275, y: 715, width: 5, height: 5 });
    expect(clipped.pixels.length).to.equal(5 * 5 * 4);
  });

  it('reports what changed through DAMAGE', async () => {
    const seen: { x: number; y: number; width: number; height: number }[] = [];
    const subscription = desktop.on('damage', (rects) => seen.push(...rects));
    x.runSync('xsetroot', ['-solid', '#10e020']);
    await waitFor(() => seen.length > 0, 'damage arrived');
    void subscription.dispose();
    const covers = seen.some((r) => r.x <= 1100 && r.y <= 650 && r.x + r.width > 1100);
    expect(covers).to.equal(true);
  });

  it('types a capital with Shift and takes Shift off again for a small letter', async () => {
    recorder.keys.length = 0;
    for (const key of ['A', 'a', '!']) {
      await desktop.pressKey(key, true);
      await desktop.pressKey(key, false);
    }
    await waitFor(() => recorder.keys.length >= 4, 'the key presses');
    const typed = recorder.keys.filter((k) => k.keycode !== 50 && k.keycode !== 62);
    expect(typed.map((k) => k.state & SHIFT)).to.deep.equal([SHIFT, 0, SHIFT]);
  });

  it('keeps a modifier the technician holds for the keys pressed meanwhile', async () => {
    recorder.keys.length = 0;
    await desktop.pressKey('Control', true);
    await desktop.pressKey('c', true);
    await desktop.pressKey('c', false);
    await desktop.pressKey('Control', false);
    await desktop.pressKey('c', true);
    await desktop.pressKey('c', false);
    await waitFor(() => recorder.keys.length >= 3, 'the key presses');
    const c = recorder.keys.filter((k) => k.keycode === recorder.keys[1]!.keycode);
    expect(c.map((k) => k.state & CONTROL)).to.deep.equal([CONTROL, 0]);
  });

  it('types a character the keyboard lacks on a spare keycode', async () => {
    recorder.keys.length = 0;
    await desktop.pressKey('ж', true);
    await desktop.pressKey('ж', false);
    await desktop.pressKey('ж', true);
    await desktop.pressKey('ж', false);
    await waitFor(() => recorder.keys.length >= 2, 'the key presses');
    expect(recorder.keys[0]!.keycode).to.equal(recorder.keys[1]!.keycode);
    expect(recorder.keys[0]!.keycode).to.be.at.least(8);
  });

  it('refuses a key name it cannot type, and releases held keys and buttons', async () => {
    const refused = await desktop.pressKey('NoSuchKey', true).catch((error: unknown) => error);
    expect(refused).to.be.instanceOf(TypeError);
    await desktop.pressKey('Shift', true);
    await desktop.pressButton(0, true);
    await desktop.releaseAll();
    recorder.keys.length = 0;
    await desktop.pressKey('b', true);
    await desktop.pressKey('b', false);
    await waitFor(() => recorder.keys.length >= 1, 'the key press');
    expect(recorder.keys[0]!.state & SHIFT).to.equal(0);
  });

  it('fails with TETHER_E_DESKTOP for a display that does not exist', async () => {
    const failed = await X11Desktop.open({ display: ':987' }).catch((error: unknown) => error);
    expect(isTetherError(failed, 'TETHER_E_DESKTOP')).to.equal(true);
  });
});
