import { Op, type WhereOptions } from 'sequelize';
import type { Page, PageRequest } from '../../engine/contracts/storage-contract.js';
import { TetherError } from '../../engine/errors.js';

const MAX_LIMIT = 500;
const DEFAULT_LIMIT = 100;

/** The limit to ask the database for (one more than a page, to know if another follows). */
export function pageLimit(page: PageRequest | undefined): number {
  const limit = page?.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new TetherError('TETHER_E_VALIDATION', `limit: expected 1 to ${MAX_LIMIT}`);
  }
  return limit;
}

/** The `where` part that starts after the cursor on the sort column. */
export function afterCursor(column: string, page: PageRequest | undefined): WhereOptions {
  if (page?.after === undefined) return {};
  const value = Buffer.from(page.after, 'base64url').toString('utf8');
  // Only a cursor toPage made is accepted: it encodes back to itself (so no stray characters and
  // no bytes that are not UTF-8) and holds no NUL, which cuts a SQLite statement short.
  const canonical = Buffer.from(value, 'utf8').toString('base64url') === page.after;
  if (value === '' || !canonical || value.includes('\u0000')) {
    throw new TetherError('TETHER_E_VALIDATION', 'after: not a valid cursor');
  }
  return { [column]: { [Op.gt]: value } };
}

/** Cuts the rows fetched with `pageLimit + 1` into a page and the cursor of the next one. */
export function toPage<R, T>(
  rows: readonly R[],
  limit: number,
  sortValue: (row: R) => string,
  map: (row: R) => T,
): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const next =
    rows.length > limit && last !== undefined
      ? Buffer.from(sortValue(last), 'utf8').toString('base64url')
      : undefined;
  return next === undefined ? { items: items.map(map) } : { items: items.map(map), next };
}
