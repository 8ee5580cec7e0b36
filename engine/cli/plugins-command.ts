import { DIST_ROOT } from '../version.js';
import { discoverPlugins, type PluginCandidate } from '../plugin-host/plugin-catalog.js';
import { say, settingsFrom, type CommandArgs } from './cli-support.js';

function describe(candidate: PluginCandidate, disabled: readonly string[]) {
  if (!candidate.ok) {
    return { name: '?', version: '', state: `invalid: ${candidate.error.message}`, text: '' };
  }
  const { name, version, description = '' } = candidate.manifest;
  const state = disabled.includes(name) ? 'disabled' : 'ok';
  return { name, version, state, text: description };
}

/** `tether plugins list`: every plugin the engine could load, checked but not activated. */
export async function runPluginsList(args: CommandArgs): Promise<void> {
  const settings = settingsFrom(args);
  const candidates = discoverPlugins({
    distRoot: DIST_ROOT,
    cwd: process.cwd(),
    extra: settings.plugins,
    withSamples: true,
  });
  const rows = candidates.map((candidate) => ({
    origin: candidate.origin,
    ...describe(candidate, settings.disabledPlugins),
  }));
  const width = (key: 'name' | 'version' | 'origin') =>
    Math.max(key.length, ...rows.map((row) => row[key].length));
  const line = (name: string, version: string, origin: string, state: string, text: string) =>
    `${name.padEnd(width('name'))}  ${version.padEnd(width('version'))}  ${origin.padEnd(
      width('origin'),
    )}  ${state}${text ? `  ${text}` : ''}`;

  say(line('name', 'version', 'origin', 'state', ''));
  for (const row of rows) say(line(row.name, row.version, row.origin, row.state, row.text));
  if (rows.length === 0) say('no plugins found');
}
