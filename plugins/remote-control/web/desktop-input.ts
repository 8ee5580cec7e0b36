import type { DesktopButton } from '../../../sdk/index.js';
import type { RemoteDesktopViewer } from '../remote-desktop-viewer.js';

/** The special combinations the panel's menu offers, by label. */
export const SPECIAL_KEYS: Readonly<Record<string, readonly string[]>> = {
  'Ctrl+Alt+Del': ['Control', 'Alt', 'Delete'],
  'Alt+Tab': ['Alt', 'Tab'],
  'Alt+F4': ['Alt', 'F4'],
  'Ctrl+Esc': ['Control', 'Escape'],
  'Super (Windows key)': ['Meta'],
  'Print Screen': ['PrintScreen'],
};

/** Maps a pointer position on the (scaled) canvas to the desktop's own pixels. */
export function desktopPoint(canvas: HTMLCanvasElement, event: MouseEvent): [number, number] {
  const box = canvas.getBoundingClientRect();
  if (box.width === 0 || box.height === 0) return [0, 0];
  const x = ((event.clientX - box.left) * canvas.width) / box.width;
  const y = ((event.clientY - box.top) * canvas.height) / box.height;
  const clamp = (value: number, size: number) => Math.min(size - 1, Math.max(0, Math.round(value)));
  return [clamp(x, canvas.width), clamp(y, canvas.height)];
}

/**
 * Passes the canvas's pointer, wheel and keyboard events to `viewer` while `enabled()` says
 * so; returns what removes the listeners. Keys go as the DOM names them; buttons by DOM number.
 */
export function forwardInput(
  canvas: HTMLCanvasElement,
  viewer: RemoteDesktopViewer,
  enabled: () => boolean,
): () => void {
  const pointer = (event: PointerEvent) => {
    if (!enabled()) return;
    event.preventDefault();
    const [x, y] = desktopPoint(canvas, event);
    viewer.movePointer(x, y);
    if (event.type === 'pointermove' || event.button < 0 || event.button > 4) return;
    if (event.type === 'pointerdown') canvas.focus({ preventScroll: true });
    viewer.pressButton(event.button as DesktopButton, event.type === 'pointerdown');
  };
  const wheel = (event: WheelEvent) => {
    if (!enabled()) return;
    event.preventDefault();
    const horizontal = Math.abs(event.deltaX) > Math.abs(event.deltaY);
    const delta = horizontal ? event.deltaX : event.deltaY;
    if (delta !== 0) viewer.scroll(Math.sign(delta), horizontal);
  };
  const key = (event: KeyboardEvent) => {
    if (!enabled() || event.isComposing) return;
    event.preventDefault();
    viewer.pressKey(event.key, event.type === 'keydown');
  };
  const blocked = (event: Event) => enabled() && event.preventDefault();
  const listeners: [string, EventListener][] = [
    ['pointermove', pointer as EventListener],
    ['pointerdown', pointer as EventListener],
    ['pointerup', pointer as EventListener],
    ['wheel', wheel as EventListener],
    ['keydown', key as EventListener],
    ['keyup', key as EventListener],
    ['contextmenu', blocked],
  ];
  for (const [name, listener] of listeners) canvas.addEventListener(name, listener);
  return () => {
    for (const [name, listener] of listeners) canvas.removeEventListener(name, listener);
  };
}
