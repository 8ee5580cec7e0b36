/** The X keysyms of the DOM's named keys (`KeyboardEvent.key`) that have one. */
const NAMED_KEYSYMS: ReadonlyMap<string, number> = new Map([
  ['Backspace', 0xff08],
  ['Tab', 0xff09],
  ['Enter', 0xff0d],
  ['Pause', 0xff13],
  ['ScrollLock', 0xff14],
  ['Escape', 0xff1b],
  ['Home', 0xff50],
  ['ArrowLeft', 0xff51],
  ['ArrowUp', 0xff52],
  ['ArrowRight', 0xff53],
  ['ArrowDown', 0xff54],
  ['PageUp', 0xff55],
  ['PageDown', 0xff56],
  ['End', 0xff57],
  ['PrintScreen', 0xff61],
  ['Insert', 0xff63],
  ['ContextMenu', 0xff67],
  ['NumLock', 0xff7f],
  ['Shift', 0xffe1],
  ['Control', 0xffe3],
  ['CapsLock', 0xffe5],
  ['Alt', 0xffe9],
  // The DOM's Meta is the Windows or Command key: Super on X.
  ['Meta', 0xffeb],
  ['AltGraph', 0xfe03],
  ['Delete', 0xffff],
  ...Array.from({ length: 24 }, (_, i) => [`F${i + 1}`, 0xffbe + i] as const),
]);

/** Keysyms of the modifier keys the desktop tracks, by role. */
export const MODIFIER_KEYSYMS = {
  shift: 0xffe1,
  control: 0xffe3,
  alt: 0xffe9,
  altGraph: 0xfe03,
  meta: 0xffeb,
} as const;

/** The C0 and C1 control characters and DEL have no keysym of their own as characters. */
function isControlCharacter(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

/**
 * The X keysym of a DOM key name: a named key from the table, or one character (a code point,
 * so `😀` counts as one): Latin-1 characters are their own keysym, any other Unicode character
 * is 0x01000000 plus its code point (the X convention). Undefined for anything else.
 */
export function keysymOf(key: string): number | undefined {
  const named = NAMED_KEYSYMS.get(key);
  if (named !== undefined) return named;
  const points = [...key];
  if (points.length !== 1) return undefined;

  const code = key.codePointAt(0)!;
  if (isControlCharacter(code)) return undefined;
  if (code <= 0xff) return code;
  return 0x01000000 + code;
}
