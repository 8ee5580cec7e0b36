import { expect } from 'chai';
import { keysymOf } from '../../../adapters/desktop-x11/key-symbols.js';

describe('keysymOf (DOM key names to X keysyms)', () => {
  it('gives printable ASCII and Latin-1 characters their own code as keysym', () => {
    expect(keysymOf('a')).to.equal(0x61);
    expect(keysymOf('A')).to.equal(0x41);
    expect(keysymOf('?')).to.equal(0x3f);
    expect(keysymOf(' ')).to.equal(0x20);
    expect(keysymOf('é')).to.equal(0xe9);
    expect(keysymOf('ß')).to.equal(0xdf);
  });

  it('maps other Unicode characters to 0x01000000 plus the code point', () => {
    expect(keysymOf('€')).to.equal(0x010020ac);
    expect(keysymOf('ж')).to.equal(0x01000436);
    expect(keysymOf('😀')).to.equal(0x0101f600);
  });

  it('knows the special keys by their DOM names', () => {
    expect(keysymOf('Enter')).to.equal(0xff0d);
    expect(keysymOf('Backspace')).to.equal(0xff08);
    expect(keysymOf('Tab')).to.equal(0xff09);
    expect(keysymOf('Escape')).to.equal(0xff1b);
    expect(keysymOf('Delete')).to.equal(0xffff);
    expect(keysymOf('ArrowLeft')).to.equal(0xff51);
    expect(keysymOf('PageDown')).to.equal(0xff56);
    expect(keysymOf('F1')).to.equal(0xffbe);
    expect(keysymOf('F12')).to.equal(0xffc9);
  });

  it('knows the modifiers, with Meta as the Super key', () => {
    expect(keysymOf('Shift')).to.equal(0xffe1);
    expect(keysymOf('Control')).to.equal(0xffe3);
    expect(keysymOf('Alt')).to.equal(0xffe9);
    expect(keysymOf('Meta')).to.equal(0xffeb);
    expect(keysymOf('AltGraph')).to.equal(0xfe03);
  });

  it('refuses names it does not know, several characters and control characters', () => {
    for (const key of ['', 'Enterprise', 'ab', 'F25', '\n', '\u0007', '\u007f', '\u0085']) {
      expect(keysymOf(key), JSON.stringify(key)).to.equal(undefined);
    }
  });
});
