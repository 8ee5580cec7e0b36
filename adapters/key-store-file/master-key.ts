import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EngineSettings } from '../../engine/contracts/engine-settings.js';
import type { Logger } from '../../engine/contracts/logger-contract.js';
import { TetherError } from '../../engine/errors.js';

/**
 * Finds the master key: the `masterKey` setting, else the `masterKeyFile`, else `master.key` in
 * the data folder, made on first start. The last is fine for one machine; an operator who backs
 * up the data folder should keep the key elsewhere, or the backup carries its own key.
 */
export async function masterKey(settings: EngineSettings, logger: Logger): Promise<Buffer> {
  if (settings.masterKey) return Buffer.from(settings.masterKey, 'base64');
  const file = settings.masterKeyFile ?? path.join(settings.dataDir, 'master.key');
  try {
    return decode(await readFile(file, 'utf8'), file);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    if (!missing || settings.masterKeyFile) throw unreadable(file, error);
  }
  const made = randomBytes(32);
  try {
    await writeFile(file, made.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another node sharing the data folder made it a moment earlier: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw unreadable(file, error);
    return decode(await readFile(file, 'utf8'), file);
  }
  logger.warn({ file }, 'made a master key inside the data folder; keep a copy apart from backups');
  return made;
}

function decode(text: string, file: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32) {
    throw new TetherError(
      'TETHER_E_CONFIG',
      `master key file ${file}: expected 32 bytes in base64`,
    );
  }
  return key;
}

function unreadable(file: string, error: unknown): TetherError {
  if (error instanceof TetherError) return error;
  const reason = (error as NodeJS.ErrnoException).code ?? String(error);
  return new TetherError('TETHER_E_CONFIG', `master key file ${file} cannot be read (${reason})`);
}
