import { Engine } from '../engine.js';
import { loggerFrom, say, settingsFrom, type CommandArgs } from './cli-support.js';

/** `tether migrate`: applies pending migrations and names them. */
export async function runMigrate(args: CommandArgs): Promise<void> {
  const settings = settingsFrom(args);
  const engine = new Engine(settings, { logger: loggerFrom(settings) });
  try {
    const { storage, applied } = await engine.prepareStorage();
    for (const name of applied) say(`applied ${name}`);
    say(`database (${storage.dialect}) is up to date`);
  } finally {
    await engine.stop('migrated');
  }
}
