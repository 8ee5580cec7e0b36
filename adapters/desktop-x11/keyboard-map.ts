/**
 * How to type one keysym on this keyboard: its keycode, and whether Shift (level 2) or
 * AltGr (level 3, with Shift level 4) must be held for it.
 */
export interface KeyStroke {
  readonly keycode: number;
  readonly shift: boolean;
  readonly altGraph: boolean;
}

/** The columns of a keyboard mapping row we type with, in the order we prefer them. */
const COLUMNS: readonly { index: number; shift: boolean; altGraph: boolean }[] = [
  { index: 0, shift: false, altGraph: false },
  { index: 1, shift: true, altGraph: false },
  { index: 4, shift: false, altGraph: true },
  { index: 5, shift: true, altGraph: true },
];

/**
 * The server's keyboard mapping (GetKeyboardMapping: one row of keysyms per keycode from
 * `minKeycode`), turned around: from a keysym to the key and the modifiers that type it. The
 * lowest keycode and the fewest modifiers win. Keycodes whose row is empty are spare: the
 * desktop may map a keysym the keyboard lacks onto one of them ({@link assign}).
 */
export class KeyboardMap {
  private readonly strokes = new Map<number, KeyStroke>();
  private readonly spare: number[] = [];

  constructor(minKeycode: number, rows: readonly (readonly number[])[]) {
    rows.forEach((row, offset) => {
      const keycode = minKeycode + offset;
      if (row.every((keysym) => keysym === 0)) return void this.spare.push(keycode);
      this.addRow(keycode, row);
    });
  }

  /** How to type `keysym`, or undefined when no key of this keyboard has it. */
  lookup(keysym: number): KeyStroke | undefined {
    return this.strokes.get(keysym);
  }

  /** Takes a spare keycode for a keysym the keyboard lacks; undefined when none is left. */
  takeSpare(): number | undefined {
    return this.spare.shift();
  }

  /** Records that `keycode` now types `keysym` with or without Shift. */
  assign(keycode: number, keysym: number): void {
    this.strokes.set(keysym, { keycode, shift: false, altGraph: false });
  }

  private addRow(keycode: number, row: readonly number[]): void {
    for (const column of COLUMNS) {
      const keysym = row[column.index] ?? 0;
      if (keysym === 0 || this.strokes.has(keysym)) continue;
      this.strokes.set(keysym, { keycode, shift: column.shift, altGraph: column.altGraph });
    }
  }
}
