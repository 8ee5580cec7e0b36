import semver from 'semver';
import { z } from 'zod';
import {
  ENGINE_RECORDS,
  PLUGIN_NAME_PATTERN,
  type PluginContractName,
  type PluginManifest,
} from '../contracts/plugin-contract.js';
import { TetherError } from '../errors.js';
import { PLUGIN_CONTRACT_TOKENS } from '../contracts/plugin-contract-tokens.js';
import { PERMISSION_ID_PATTERN } from '../contracts/permission-contract.js';

const PLUGIN_CONTRACT_NAMES = Object.keys(PLUGIN_CONTRACT_TOKENS) as [PluginContractName];
const NAME = PLUGIN_NAME_PATTERN;
const ID = PERMISSION_ID_PATTERN;

const version = z.string().refine((value) => semver.valid(value) !== null, {
  error: 'expected a semver version such as 1.2.3',
});
const range = z.string().refine((value) => semver.validRange(value) !== null, {
  error: 'expected a semver range such as ^0.1.0',
});

const permission = z.strictObject({
  id: z.string().regex(ID, { error: 'expected a lower-case id such as remote-control' }),
  title: z.string().min(1).max(80),
  description: z.string().max(500).optional(),
  consentPrompt: z.string().min(1).max(500).optional(),
});

const uiModule = z
  .string()
  .max(200)
  .regex(/^[a-z0-9_-]+(?:\/[a-z0-9_-]+)*\.js$/, {
    error: 'expected a path inside the plugin folder such as ui/technician-panel.js',
  });

const ui = z
  .strictObject({
    title: z.string().min(1).max(40),
    technician: uiModule.optional(),
    endUser: uiModule.optional(),
  })
  .refine((value) => value.technician !== undefined || value.endUser !== undefined, {
    error: 'expected a technician or an endUser module',
  });

const ManifestSchema = z.strictObject({
  name: z
    .string()
    .regex(NAME, { error: 'expected a lower-case npm-style name of at most 100 characters' })
    .refine((name) => name !== ENGINE_RECORDS, { error: 'a name the engine keeps for itself' }),
  version,
  description: z.string().max(500).optional(),
  engine: range,
  requires: z.record(z.string().regex(NAME, { error: 'expected a plugin name' }), range).optional(),
  contracts: z
    .array(z.enum(PLUGIN_CONTRACT_NAMES, { error: `expected one of ${PLUGIN_CONTRACT_NAMES}` }))
    .optional(),
  permissions: z.array(permission).optional(),
  channels: z
    .array(z.string().regex(ID, { error: 'expected a lower-case channel name' }))
    .optional(),
  ui: ui.optional(),
});

/**
 * Checks a plugin's manifest. A bad one throws TETHER_E_PLUGIN_MANIFEST naming the plugin (or
 * where it came from, when even the name is bad) and the first bad field.
 */
export function validateManifest(raw: unknown, origin: string): PluginManifest {
  const result = ManifestSchema.safeParse(raw);
  if (result.success) {
    rejectRepeats(result.data, origin);
    return result.data;
  }
  const issue = result.error.issues[0];
  const field = issue?.path.length ? issue.path.join('.') : '(manifest)';
  const named = (raw as { name?: unknown } | undefined)?.name;
  const who = typeof named === 'string' && NAME.test(named) ? named : origin;
  throw new TetherError(
    'TETHER_E_PLUGIN_MANIFEST',
    `plugin ${who}: manifest field ${field}: ${issue?.message ?? 'invalid'}`,
    { details: { plugin: who, field } },
  );
}

function rejectRepeats(manifest: PluginManifest, origin: string): void {
  const ids = (manifest.permissions ?? []).map((permission) => permission.id);
  const repeated = ids.find((id, index) => ids.indexOf(id) !== index);
  if (repeated === undefined) return;
  throw new TetherError(
    'TETHER_E_PLUGIN_MANIFEST',
    `plugin ${manifest.name}: manifest field permissions: ${repeated} is listed twice`,
    { details: { plugin: manifest.name ?? origin, field: 'permissions' } },
  );
}
