import { Op, type WhereOptions } from 'sequelize';
import type { PageRequest } from '../../engine/contracts/storage-contract.js';
import { TetherError } from '../../engine/errors.js';
import type { Row } from './storage-models.js';

function invalid(): TetherError {
  return new TetherError('TETHER_E_VALIDATION', 'after: not a valid cursor');
}

/**
 * The sort value of `row` in a listing ordered by `at`, then `key`: the JSON `[atMs, key]`, which
 * toPage encodes into the cursor.
 */
export function timeCursorOf(row: Row): string {
  const at = new Date(row.get('at') as Date).getTime();
  return JSON.stringify([at, row.get('key')]);
}

function parse(after: string): [number, string] {
  const text = Buffer.from(after, 'base64url').toString('utf8');
  // Only a cursor timeCursorOf made is taken: it encodes back to itself, and holds a whole
  // millisecond time and a key without NUL (which cuts a SQLite statement short).
  if (Buffer.from(text, 'utf8').toString('base64url') !== after) throw invalid();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalid();
  }
  if (!Array.isArray(value) || value.length !== 2) throw invalid();
  const [at, key] = value as unknown[];
  if (!Number.isSafeInteger(at) || typeof key !== 'string' || key === '') throw invalid();
  if (key.includes('\u0000')) throw invalid();
  return [at as number, key];
}

/** The `where` part that starts after the cursor of a listing ordered by `at`, then `key`. */
export function afterTimeCursor(page: PageRequest | undefined): WhereOptions {
  if (page?.after === undefined) return {};
  const [ms, key] = parse(page.after);
  const at = new Date(ms);
  return { [Op.or]: [{ at: { [Op.gt]: at } }, { at, key: { [Op.gt]: key } }] };
}
