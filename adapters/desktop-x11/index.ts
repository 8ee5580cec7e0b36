/**
 * The Desktop contract for Linux X11 (pure JavaScript, through the `x11` package): what the
 * end user's applet opens to show and control the screen. Windows and macOS need their own
 * adapters of the same contract; none exists yet, since neither can be built or tested here.
 */
export { X11Desktop, type X11DesktopOptions } from './x11-desktop.js';
export { keysymOf } from './key-symbols.js';
export { KeyboardMap, type KeyStroke } from './keyboard-map.js';
