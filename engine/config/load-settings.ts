import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TetherError } from '../errors.js';
import type { EngineSettings } from '../contracts/engine-settings.js';
import {
  envName,
  flagName,
  SETTING_SPECS,
  type SettingName,
  type SettingSpec,
} from './setting-specs.js';

/** Where the settings come from; flags are keyed by setting name (camelCase). */
export interface SettingSources {
  readonly flags?: Readonly<Record<string, unknown>>;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Path of a JSON config file; else `TETHER_CONFIG` from `env`. */
  readonly configFile?: string;
  readonly cwd?: string;
}

/** Variables that are not settings but are ours all the same. */
const OTHER_VARIABLES = new Set(['TETHER_CONFIG']);

const PATH_SETTINGS: readonly SettingName[] = [
  'dataDir',
  'tlsCertFile',
  'tlsKeyFile',
  'masterKeyFile',
];

/**
 * Reads, merges and validates the settings. Any bad value throws TETHER_E_CONFIG with one line
 * naming the setting, where it came from and what is wrong.
 */
export function loadSettings(sources: SettingSources = {}): EngineSettings {
  const env = sources.env ?? {};
  const cwd = sources.cwd ?? process.cwd();
  rejectUnknownVariables(env);
  const file = readConfigFile(sources.configFile ?? env.TETHER_CONFIG, cwd);

  const values: Record<string, unknown> = {};
  for (const name of Object.keys(SETTING_SPECS) as SettingName[]) {
    const picked = pickValue(name, sources.flags ?? {}, env, file.values);
    const spec: SettingSpec = SETTING_SPECS[name];
    const value = picked === undefined ? spec.default : parse(name, picked);
    if (value !== undefined) values[name] = value;
  }
  for (const name of PATH_SETTINGS) {
    if (typeof values[name] === 'string') values[name] = path.resolve(cwd, values[name]);
  }

  checkPairs(values);
  const { pluginSettings, moduleSettings } = file;
  return { ...values, pluginSettings, moduleSettings } as unknown as EngineSettings;
}

interface PickedValue {
  readonly raw: unknown;
  readonly source: string;
}

function pickValue(
  name: SettingName,
  flags: Readonly<Record<string, unknown>>,
  env: Readonly<Record<string, string | undefined>>,
  file: Readonly<Record<string, unknown>>,
): PickedValue | undefined {
  const spec: SettingSpec = SETTING_SPECS[name];
  if (!spec.noFlag && flags[name] !== undefined) {
    return { raw: flags[name], source: `flag --${flagName(name)}` };
  }
  const variable = envName(name);
  if (env[variable] !== undefined) return { raw: env[variable], source: variable };
  if (file[name] !== undefined) return { raw: file[name], source: 'config file' };
  return undefined;
}

function parse(name: SettingName, picked: PickedValue): unknown {
  const result = SETTING_SPECS[name].schema.safeParse(picked.raw);
  if (result.success) return result.data;
  const reason = result.error.issues[0]?.message ?? 'invalid value';
  const secret = name === 'masterKey' || name === 'metricsToken';
  const shown = secret ? '' : `, got ${JSON.stringify(picked.raw)}`;
  throw configError(`invalid setting ${name} (${picked.source}): ${reason}${shown}`);
}

function checkPairs(values: Record<string, unknown>): void {
  const cert = values.tlsCertFile !== undefined;
  const key = values.tlsKeyFile !== undefined;
  if (cert !== key) {
    const missing = cert ? 'tlsKeyFile' : 'tlsCertFile';
    throw configError(`invalid setting ${missing}: tlsCertFile and tlsKeyFile go together`);
  }
}

function rejectUnknownVariables(env: Readonly<Record<string, string | undefined>>): void {
  const known = new Set(Object.keys(SETTING_SPECS).map(envName));
  for (const variable of Object.keys(env)) {
    if (!variable.startsWith('TETHER_') || known.has(variable)) continue;
    if (OTHER_VARIABLES.has(variable)) continue;
    throw configError(`unknown variable ${variable}: no such setting`);
  }
}

type Sections = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

interface ConfigFile {
  readonly values: Readonly<Record<string, unknown>>;
  readonly pluginSettings: Sections;
  readonly moduleSettings: Sections;
}

/** The file's objects that hold per-plugin and per-module settings, not engine settings. */
const SECTIONS = ['pluginSettings', 'moduleSettings'] as const;

function readConfigFile(file: string | undefined, cwd: string): ConfigFile {
  if (file === undefined) return { values: {}, pluginSettings: {}, moduleSettings: {} };
  const where = path.resolve(cwd, file);
  const content = readText(where);
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch (error) {
    throw configError(`config file ${where}: not valid JSON (${(error as Error).message})`);
  }
  if (!isPlainObject(parsed)) throw configError(`config file ${where}: expected a JSON object`);

  const { pluginSettings = {}, moduleSettings = {}, ...values } = parsed;
  for (const key of Object.keys(values)) {
    if (!(key in SETTING_SPECS)) throw configError(`config file ${where}: unknown setting ${key}`);
  }
  const sections = { pluginSettings, moduleSettings };
  for (const section of SECTIONS) {
    const value = sections[section];
    if (!isPlainObject(value) || !Object.values(value).every(isPlainObject)) {
      throw configError(`config file ${where}: ${section} must map names to objects`);
    }
  }
  return { values, ...(sections as Pick<ConfigFile, (typeof SECTIONS)[number]>) };
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw configError(`config file ${file}: cannot be read (${reason})`);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function configError(line: string): TetherError {
  return new TetherError('TETHER_E_CONFIG', line);
}
