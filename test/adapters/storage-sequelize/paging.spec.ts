import { expect } from 'chai';
import { afterCursor, pageLimit, toPage } from '../../../adapters/storage-sequelize/paging.js';
import { expectCode } from './storage-fixtures.js';

function thrownBy(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** The value compared against in `{ column: { [Op.gt]: value } }`. */
function cursorValue(where: object, column: string): unknown {
  const condition = (where as Record<string, object>)[column];
  const [operator] = Object.getOwnPropertySymbols(condition);
  return (condition as Record<symbol, unknown>)[operator];
}

describe('storage paging', () => {
  it('takes 100 items when no limit is given, and any whole limit from 1 to 500', () => {
    expect(pageLimit(undefined)).to.equal(100);
    expect(pageLimit({})).to.equal(100);
    expect(pageLimit({ limit: 1 })).to.equal(1);
    expect(pageLimit({ limit: 500 })).to.equal(500);
  });

  it('refuses a limit outside 1 to 500, or not whole, with TETHER_E_VALIDATION', () => {
    for (const limit of [0, 501, -1, 2.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expectCode(
        thrownBy(() => pageLimit({ limit })),
        'TETHER_E_VALIDATION',
      );
    }
  });

  it('hands out a next cursor only when more rows were fetched than the limit', () => {
    const rows = ['a', 'b', 'c'];
    const identity = (row: string) => row;
    expect(toPage(rows, 3, identity, identity)).to.deep.equal({ items: rows });
    const page = toPage(rows, 2, identity, identity);
    expect(page.items).to.deep.equal(['a', 'b']);
    expect(page.next).to.be.a('string');
  });

  it('reads back the sort value of the last item from the cursor it handed out', () => {
    for (const last of ['b', 'Grüße 日本 🎉', "o'brien@example.com", '-_=+/']) {
      const { next } = toPage(
        [last, 'more'],
        1,
        (row) => row,
        (row) => row,
      );
      expect(cursorValue(afterCursor('name', { after: next }), 'name')).to.equal(last);
    }
  });

  it('adds no condition when there is no cursor', () => {
    expect(afterCursor('name', undefined)).to.deep.equal({});
    expect(afterCursor('name', { limit: 5 })).to.deep.equal({});
  });

  it('refuses a cursor it never handed out with TETHER_E_VALIDATION', () => {
    for (const after of ['', '!!!', 'AAAA', '_w', 'YWJj=', ' YWJj', 'YW Jj']) {
      expectCode(
        thrownBy(() => afterCursor('name', { after })),
        'TETHER_E_VALIDATION',
      );
    }
  });
});
