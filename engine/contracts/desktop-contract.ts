import type { Disposable } from './disposable.js';

/** A rectangle of the desktop in pixels, from its top-left corner. */
export interface DesktopRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The size of the whole desktop in pixels. */
export interface DesktopSize {
  readonly width: number;
  readonly height: number;
}

/**
 * Pixels captured from the desktop: `rect` as asked (clipped to the screen), `width * height`
 * pixels of 4 bytes each in red, green, blue, unused order, rows `stride` bytes apart. The
 * buffer belongs to the caller; the desktop never writes to it again.
 */
export interface DesktopImage {
  readonly rect: DesktopRect;
  readonly stride: number;
  readonly pixels: Uint8Array;
}

/**
 * A pointer button as the DOM numbers `MouseEvent.button`: 0 primary (left), 1 middle,
 * 2 secondary (right); 3 and 4 back and forward.
 */
export type DesktopButton = 0 | 1 | 2 | 3 | 4;

/**
 * A key as the DOM names `KeyboardEvent.key`: a printable character (`a`, `A`, `?`, `é`) or a
 * named key (`Enter`, `Backspace`, `Tab`, `Escape`, `ArrowLeft`, `F5`, `Shift`, `Control`,
 * `Alt`, `Meta`, ...). A browser console sends what it gets; a Node client uses the same names.
 */
export type DesktopKey = string;

/** What the desktop reports as it changes. */
export interface DesktopEvents {
  /** These rectangles changed on screen (at least; a desktop may report more than changed). */
  damage(rects: readonly DesktopRect[]): void;
  /** The screen's size changed; everything is to be captured afresh. */
  resize(size: DesktopSize): void;
}

/**
 * The end user's screen, keyboard and pointer, as a platform adapter provides them: Linux X11
 * today (adapters/desktop-x11); Windows and macOS adapters would implement the same contract.
 * Promises: `capture` returns the pixels on screen now; `damage` fires for every change after
 * `watch` began (coalesced, never lost); input goes to whatever has the focus, as if typed or
 * clicked by the person at the machine. The adapter enforces no consent: whoever holds a
 * Desktop must check the end user's grants before every capture and every input.
 */
export interface Desktop {
  /** Short name of the platform (`x11`), for logs. */
  readonly kind: string;
  /** The desktop's size now. */
  size(): DesktopSize;
  /** The pixels of `rect` (clipped to the screen) as they are now. */
  capture(rect: DesktopRect): Promise<DesktopImage>;
  /** Calls `listener` for each `name` event until disposed. */
  on<K extends keyof DesktopEvents>(name: K, listener: DesktopEvents[K]): Disposable;
  /** Moves the pointer to `x`, `y` (clipped to the screen). */
  movePointer(x: number, y: number): Promise<void>;
  /** Presses (`down`) or releases a pointer button where the pointer is. */
  pressButton(button: DesktopButton, down: boolean): Promise<void>;
  /** Scrolls by `steps` wheel notches: positive down (or right when `horizontal`). */
  scroll(steps: number, horizontal?: boolean): Promise<void>;
  /**
   * Presses or releases `key`. A character that needs a modifier on this keyboard (`A`, `?`)
   * gets it for the press, and the modifiers held before are restored afterwards. Rejects with
   * a TypeError for a key the desktop cannot type.
   */
  pressKey(key: DesktopKey, down: boolean): Promise<void>;
  /** Releases every key and button this desktop pressed and did not release. */
  releaseAll(): Promise<void>;
  /** Ends the connection to the display; the desktop is unusable afterwards. */
  close(): Promise<void>;
}

/** Token of the {@link Desktop} contract. */
export const Desktop = Symbol.for('tether.Desktop');
