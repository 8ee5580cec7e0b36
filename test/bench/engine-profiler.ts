import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { openDevtools } from './inspector-memory.js';

/** A CPU profile being taken of another process; `stop` writes it out. */
export interface RunningProfile {
  /** Stops profiling and writes `<dir>/<name>.cpuprofile`; resolves with its path. */
  stop(): Promise<string>;
}

/**
 * Starts V8's sampling profiler in another Node process through its inspector, so that a
 * profile covers exactly one timed phase (not the sessions made before it). The file opens in
 * Chrome DevTools (Performance, "Load profile") or any `.cpuprofile` viewer.
 */
export async function startProfile(
  inspectorUrl: string,
  dir: string,
  name: string,
): Promise<RunningProfile> {
  const devtools = await openDevtools(inspectorUrl);
  await devtools.call('Profiler.enable');
  await devtools.call('Profiler.setSamplingInterval', { interval: 250 });
  await devtools.call('Profiler.start');
  return {
    stop: async () => {
      try {
        const { profile } = (await devtools.call('Profiler.stop')) as { profile: unknown };
        await mkdir(dir, { recursive: true });
        const file = path.join(dir, `${name}.cpuprofile`);
        await writeFile(file, JSON.stringify(profile));
        return file;
      } finally {
        devtools.close();
      }
    },
  };
}
