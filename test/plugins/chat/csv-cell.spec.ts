import { expect } from 'chai';
import { csvCell } from '../../../plugins/chat/csv-cell.js';

describe('csvCell', () => {
  it('writes plain text and numbers as they are', () => {
    expect(csvCell('hello there')).to.equal('hello there');
    expect(csvCell(42)).to.equal('42');
    expect(csvCell(-3)).to.equal('-3');
    expect(csvCell(undefined)).to.equal('');
  });

  it('quotes commas, quotes and line breaks, doubling the quotes', () => {
    expect(csvCell('a,b')).to.equal('"a,b"');
    expect(csvCell('say "hi"')).to.equal('"say ""hi"""');
    expect(csvCell('two\r\nlines')).to.equal('"two\r\nlines"');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) {
      const cell = csvCell(`${start}HYPERLINK("http://x.test","y")`);
      expect(cell.replace(/^"/, ''), JSON.stringify(start)).to.match(/^'/);
    }
    expect(csvCell('=1+1')).to.equal("'=1+1");
    expect(csvCell('=SUM(A1,B1)')).to.equal(`"'=SUM(A1,B1)"`);
  });
});
