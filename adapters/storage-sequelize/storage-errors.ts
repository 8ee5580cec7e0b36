import { BaseError, UniqueConstraintError } from 'sequelize';
import { isTetherError, TetherError } from '../../engine/errors.js';

/** Runs a database call and maps its failures onto the catalogue. */
export async function guarded<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw storageError(what, error);
  }
}

/** A unique clash is a conflict the caller can report; anything else is a storage failure. */
export function storageError(what: string, error: unknown): TetherError {
  if (isTetherError(error)) return error;
  if (error instanceof UniqueConstraintError) {
    return new TetherError('TETHER_E_CONFLICT', `${what}: already exists`, { cause: error });
  }
  const reason = error instanceof BaseError ? error.name : 'unexpected failure';
  return new TetherError('TETHER_E_STORAGE', `${what}: ${reason}`, { cause: error });
}
