/** Control characters, and the Unicode marks that reorder text on screen. */
const UNSAFE = /[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * `text` from a peer made safe for a terminal line: control characters (newlines, escape
 * sequences) and direction overrides become spaces, so a technician cannot draw a fake question
 * or hide the real one; at most `max` characters are kept.
 */
export function printable(text: string, max = 2_000): string {
  const safe = text.replace(UNSAFE, ' ');
  return safe.length > max ? `${safe.slice(0, max)}…` : safe;
}
