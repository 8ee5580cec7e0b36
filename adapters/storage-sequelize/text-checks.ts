import { TetherError } from '../../engine/errors.js';

// Control characters differ by database (PostgreSQL refuses NUL in text, SQLite keeps it), so
// they are refused here, the same on every dialect.
function hasControl(value: string): boolean {
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/**
 * Checks a text column's value before it reaches the database: 1 to `max` characters (so every
 * dialect stores it whole) and no control characters. Rejects with TETHER_E_VALIDATION.
 */
export function checkText(field: string, value: string, max: number): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    throw new TetherError('TETHER_E_VALIDATION', `${field}: expected 1 to ${max} characters`);
  }
  if (hasControl(value)) {
    throw new TetherError('TETHER_E_VALIDATION', `${field}: must not hold control characters`);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is a UUID, checked before it reaches a uuid column (PostgreSQL refuses). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
