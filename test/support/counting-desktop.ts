import type {
  Desktop,
  DesktopButton,
  DesktopEvents,
  DesktopRect,
} from '../../engine/contracts/desktop-contract.js';

/**
 * A real Desktop with a count of what was asked of it, so a test can prove that nothing was
 * captured or injected: every call goes through to the desktop underneath.
 */
export class CountingDesktop implements Desktop {
  readonly kind: string;
  captures = 0;
  inputs = 0;

  constructor(private readonly inner: Desktop) {
    this.kind = inner.kind;
  }

  size() {
    return this.inner.size();
  }

  capture(rect: DesktopRect) {
    this.captures += 1;
    return this.inner.capture(rect);
  }

  on<K extends keyof DesktopEvents>(name: K, listener: DesktopEvents[K]) {
    return this.inner.on(name, listener);
  }

  movePointer(x: number, y: number) {
    this.inputs += 1;
    return this.inner.movePointer(x, y);
  }

  pressButton(button: DesktopButton, down: boolean) {
    this.inputs += 1;
    return this.inner.pressButton(button, down);
  }

  scroll(steps: number, horizontal?: boolean) {
    this.inputs += 1;
    return this.inner.scroll(steps, horizontal);
  }

  pressKey(key: string, down: boolean) {
    this.inputs += 1;
    return this.inner.pressKey(key, down);
  }

  releaseAll() {
    return this.inner.releaseAll();
  }

  close() {
    return this.inner.close();
  }
}
