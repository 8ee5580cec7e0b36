import { loadSettings } from '../config/load-settings.js';
import { flagName, SETTING_SPECS } from '../config/setting-specs.js';
import type { EngineSettings } from '../contracts/engine-settings.js';
import type { Logger } from '../contracts/logger-contract.js';
import { createLogger } from '../logging/create-logger.js';

/** Exit codes: 0 done, 1 failed while running, 2 bad usage or configuration. */
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** The parsed command line as yargs hands it to a command. */
export type CommandArgs = Readonly<Record<string, unknown>>;

/** Settings from the flags of `args`, the environment and the config file. */
export function settingsFrom(args: CommandArgs): EngineSettings {
  const flags: Record<string, unknown> = {};
  for (const name of Object.keys(SETTING_SPECS)) {
    if (args[flagName(name)] !== undefined) flags[name] = args[flagName(name)];
  }
  const configFile = typeof args.config === 'string' ? args.config : undefined;
  return loadSettings({ flags, env: process.env, configFile });
}

/** The root logger the settings ask for. */
export function loggerFrom(settings: EngineSettings): Logger {
  return createLogger({ level: settings.logLevel, format: settings.logFormat });
}

/** The CLI's own output: standard output, one line at a time. */
export function say(line = ''): void {
  process.stdout.write(line + '\n');
}
