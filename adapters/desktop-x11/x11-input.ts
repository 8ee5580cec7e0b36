import type { DesktopButton, DesktopKey } from '../../engine/contracts/desktop-contract.js';
import { KeyboardMap, type KeyStroke } from './keyboard-map.js';
import { keysymOf, MODIFIER_KEYSYMS } from './key-symbols.js';
import { ask, roundTrip, type X11Connection } from './x11-connection.js';

interface XTest {
  readonly KeyPress: number;
  readonly KeyRelease: number;
  readonly ButtonPress: number;
  readonly ButtonRelease: number;
  readonly MotionNotify: number;
  FakeInput(type: number, detail: number, time: number, wid: number, x: number, y: number): void;
}

/** X button numbers of the DOM's buttons: left, middle, right, back, forward. */
const X_BUTTONS: readonly number[] = [1, 2, 3, 8, 9];
/** Wheel buttons: up, down, left, right. */
const WHEEL = { up: 4, down: 5, left: 6, right: 7 } as const;
/** The most wheel notches one scroll call sends. */
const MAX_SCROLL_STEPS = 50;

/**
 * Pointer and keyboard through XTEST FakeInput. Keys go through the server's own keyboard
 * mapping, read once: a character that needs Shift or AltGr gets it pressed (or released) for
 * its stroke only, and a keysym the keyboard lacks is mapped onto a spare keycode first, as
 * xdotool does. Every call ends with a round trip, so its effect is on the server when it
 * resolves.
 */
export class X11Input {
  private readonly pressedKeys = new Map<DesktopKey, number>();
  private readonly pressedButtons = new Set<number>();

  private constructor(
    private readonly connection: X11Connection,
    private readonly xtest: XTest,
    private readonly keyboard: KeyboardMap,
  ) {}

  static async open(connection: X11Connection): Promise<X11Input> {
    const { client, minKeycode, maxKeycode } = connection;
    const xtest = await ask<XTest>((cb) => client.require('xtest', cb));
    const rows = await ask<number[][]>((cb) =>
      client.GetKeyboardMapping(minKeycode, maxKeycode - minKeycode + 1, cb),
    );
    return new X11Input(connection, xtest, new KeyboardMap(minKeycode, rows));
  }

  async movePointer(x: number, y: number, width: number, height: number): Promise<void> {
    const cx = clamp(Math.round(x), 0, width - 1);
    const cy = clamp(Math.round(y), 0, height - 1);
    this.xtest.FakeInput(this.xtest.MotionNotify, 0, 0, this.connection.root, cx, cy);
    await roundTrip(this.connection.client);
  }

  async pressButton(button: DesktopButton, down: boolean): Promise<void> {
    const xButton = X_BUTTONS[button];
    if (xButton === undefined) throw new TypeError(`no pointer button ${String(button)}`);
    this.button(xButton, down);
    await roundTrip(this.connection.client);
  }

  async scroll(steps: number, horizontal = false): Promise<void> {
    const count = Math.min(Math.abs(Math.trunc(steps)), MAX_SCROLL_STEPS);
    const forward = horizontal ? WHEEL.right : WHEEL.down;
    const back = horizontal ? WHEEL.left : WHEEL.up;
    for (let i = 0; i < count; i++) {
      this.button(steps > 0 ? forward : back, true);
      this.button(steps > 0 ? forward : back, false);
    }
    await roundTrip(this.connection.client);
  }

  async pressKey(key: DesktopKey, down: boolean): Promise<void> {
    if (!down) return this.releaseKey(key);
    const keysym = keysymOf(key);
    if (keysym === undefined) throw new TypeError(`no key ${JSON.stringify(key)}`);
    const stroke = await this.strokeOf(keysym);
    if (stroke === undefined) throw new TypeError(`no key for ${JSON.stringify(key)}`);

    const restore = this.isModifier(keysym) ? [] : this.levelFor(stroke);
    this.fakeKey(stroke.keycode, true);
    this.pressedKeys.set(key, stroke.keycode);
    for (const [keycode, wasDown] of restore) this.fakeKey(keycode, wasDown);
    await roundTrip(this.connection.client);
  }

  async releaseAll(): Promise<void> {
    for (const keycode of this.pressedKeys.values()) this.fakeKey(keycode, false);
    for (const button of this.pressedButtons) this.button(button, false, false);
    this.pressedKeys.clear();
    this.pressedButtons.clear();
    await roundTrip(this.connection.client);
  }

  private async releaseKey(key: DesktopKey): Promise<void> {
    const keycode = this.pressedKeys.get(key);
    if (keycode === undefined) return;
    this.pressedKeys.delete(key);
    this.fakeKey(keycode, false);
    await roundTrip(this.connection.client);
  }

  /**
   * Sets Shift and AltGr as `stroke` needs them (pressing or releasing our own fake ones) and
   * returns what undoes that after the stroke, so modifiers the technician holds stay held.
   */
  private levelFor(stroke: KeyStroke): [number, boolean][] {
    const undo: [number, boolean][] = [];
    const wanted = [
      [MODIFIER_KEYSYMS.shift, stroke.shift],
      [MODIFIER_KEYSYMS.altGraph, stroke.altGraph],
    ] as const;
    for (const [keysym, needed] of wanted) {
      const keycode = this.keyboard.lookup(keysym)?.keycode;
      if (keycode === undefined) continue;
      const held = [...this.pressedKeys.values()].includes(keycode);
      if (held === needed) continue;
      this.fakeKey(keycode, needed);
      undo.push([keycode, held]);
    }
    return undo;
  }

  private isModifier(keysym: number): boolean {
    return (Object.values(MODIFIER_KEYSYMS) as number[]).includes(keysym);
  }

  private async strokeOf(keysym: number): Promise<KeyStroke | undefined> {
    const known = this.keyboard.lookup(keysym);
    if (known !== undefined) return known;
    const spare = this.keyboard.takeSpare();
    if (spare === undefined) return undefined;
    this.connection.client.ChangeKeyboardMapping(spare, 2, [keysym, keysym]);
    await roundTrip(this.connection.client);
    this.keyboard.assign(spare, keysym);
    return this.keyboard.lookup(keysym);
  }

  private fakeKey(keycode: number, down: boolean): void {
    const type = down ? this.xtest.KeyPress : this.xtest.KeyRelease;
    this.xtest.FakeInput(type, keycode, 0, 0, 0, 0);
  }

  private button(xButton: number, down: boolean, track = true): void {
    const type = down ? this.xtest.ButtonPress : this.xtest.ButtonRelease;
    this.xtest.FakeInput(type, xButton, 0, 0, 0, 0);
    if (!track) return;
    if (down) this.pressedButtons.add(xButton);
    else this.pressedButtons.delete(xButton);
  }
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}
