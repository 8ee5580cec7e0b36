import { z } from 'zod';
import { TetherError } from '../../engine/errors.js';

/** An integer setting within a range, with a message that names the range. */
export function integerSetting(min: number, max: number) {
  const error = `expected an integer from ${min} to ${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

/** A non-empty string setting. */
export const textSetting = z
  .string({ error: 'expected a string' })
  .min(1, { error: 'must not be empty' });

/** A boolean setting. */
export const flagSetting = z.boolean({ error: 'expected true or false' });

/** TETHER_E_CONFIG naming the module: `module mailer-smtp: setting port: ...`. */
export function moduleSettingError(module: string, line: string): TetherError {
  return new TetherError('TETHER_E_CONFIG', `module ${module}: ${line}`);
}

/**
 * Parses a module's section of `moduleSettings` with `schema`. A bad value throws
 * TETHER_E_CONFIG with one line naming the module and the setting; values are never echoed,
 * since secrets are among them.
 */
export function parseModuleSettings<S extends z.ZodType>(
  module: string,
  schema: S,
  raw: Readonly<Record<string, unknown>> | undefined,
): z.output<S> {
  const result = schema.safeParse(raw ?? {});
  if (result.success) return result.data;
  throw moduleSettingError(module, issueLine(result.error.issues[0]));
}

function issueLine(issue: z.core.$ZodIssue | undefined): string {
  if (issue === undefined) return 'settings: invalid';
  if (issue.code === 'unrecognized_keys') return `setting ${issue.keys[0]}: no such setting`;
  if (issue.path.length === 0) return 'settings: expected an object';
  return `setting ${issue.path.join('.')}: ${issue.message}`;
}
