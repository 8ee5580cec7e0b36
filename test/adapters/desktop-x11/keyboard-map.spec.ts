import { expect } from 'chai';
import { KeyboardMap } from '../../../adapters/desktop-x11/keyboard-map.js';

// Rows as GetKeyboardMapping answers them for a US layout (7 keysyms per keycode), from
// keycode 8; only the keys these tests use are filled in, the rest are empty (spare).
const MIN = 8;
function usRows(): number[][] {
  const rows = Array.from({ length: 248 }, () => [0, 0, 0, 0, 0, 0, 0]);
  const set = (keycode: number, ...keysyms: number[]) => {
    rows[keycode - MIN] = [...keysyms, ...Array(7 - keysyms.length).fill(0)];
  };
  set(10, 0x31, 0x21, 0x31, 0x21); // 1 !
  set(38, 0x61, 0x41, 0x61, 0x41); // a A
  set(50, 0xffe1); // Shift_L
  set(62, 0xffe2); // Shift_R
  set(37, 0xffe3); // Control_L
  set(36, 0xff0d); // Return
  set(26, 0x65, 0x45, 0x65, 0x45, 0x20ac, 0xa2); // e E, AltGr: € ¢
  set(92, 0xfe03); // ISO_Level3_Shift
  set(9, 0xff1b); // Escape
  return rows;
}

describe('KeyboardMap (keysyms to keycodes and levels)', () => {
  const map = new KeyboardMap(MIN, usRows());

  it('types a lower-case letter without Shift and its capital with Shift', () => {
    expect(map.lookup(0x61)).to.deep.equal({ keycode: 38, shift: false, altGraph: false });
    expect(map.lookup(0x41)).to.deep.equal({ keycode: 38, shift: true, altGraph: false });
  });

  it('types shifted punctuation with Shift on its digit key', () => {
    expect(map.lookup(0x21)).to.deep.equal({ keycode: 10, shift: true, altGraph: false });
    expect(map.lookup(0x31)).to.deep.equal({ keycode: 10, shift: false, altGraph: false });
  });

  it('finds the modifier and special keys, preferring the lowest keycode', () => {
    expect(map.lookup(0xffe1)?.keycode).to.equal(50);
    expect(map.lookup(0xffe3)?.keycode).to.equal(37);
    expect(map.lookup(0xff0d)?.keycode).to.equal(36);
    expect(map.lookup(0xff1b)?.keycode).to.equal(9);
    expect(map.lookup(0xfe03)?.keycode).to.equal(92);
  });

  it('types third-level characters with AltGr, and the fourth with AltGr and Shift', () => {
    expect(map.lookup(0x20ac)).to.deep.equal({ keycode: 26, shift: false, altGraph: true });
    expect(map.lookup(0xa2)).to.deep.equal({ keycode: 26, shift: true, altGraph: true });
  });

  it('has no key for a keysym the layout lacks, and hands out empty keycodes as spares', () => {
    const own = new KeyboardMap(MIN, usRows());
    expect(own.lookup(0x01000436)).to.equal(undefined);
    const spare = own.takeSpare()!;
    expect(spare).to.equal(8);
    own.assign(spare, 0x01000436);
    expect(own.lookup(0x01000436)).to.deep.equal({ keycode: 8, shift: false, altGraph: false });
    expect(own.takeSpare()).to.not.equal(spare);
  });
});
