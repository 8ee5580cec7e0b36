import { spawn, type ChildProcess } from 'node:child_process';
import { RELAY_START_FLAGS } from '../../engine/cli/heap-tuning.js';
import { CLI } from './fixture-paths.js';

/** What a finished CLI run printed and how it ended. */
export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment without any TETHER_ variable of the caller, plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('TETHER_')) env[name] = value;
  }
  return { ...env, ...extra };
}

/** Runs `tether ARGS` to its end (at most `timeoutMs`), with `input` on standard input. */
export function runCli(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number; input?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...RELAY_START_FLAGS, CLI, ...args], {
      cwd: options.cwd,
      env: cleanEnv(options.env),
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 20_000,
    });
    child.stdin?.end(options.input);
    const out = collect(child);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, ...out() }));
  });
}

/** Collects a child's output as it comes. */
export function collect(child: ChildProcess): () => { stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return () => ({ stdout, stderr });
}

/** A `tether start` running in the background. */
export interface RunningCli {
  readonly child: ChildProcess;
  output(): { stdout: string; stderr: string };
  /** Resolves with the exit code once the process ended (after at most `timeoutMs`). */
  exited(timeoutMs?: number): Promise<number | null>;
}

/** Starts `tether start ARGS` and resolves once its log says it started (or it died). */
export async function startCli(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<RunningCli> {
  const child = spawn(process.execPath, [...RELAY_START_FLAGS, CLI, 'start', ...args], {
    cwd: options.cwd,
    env: cleanEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = collect(child);
  const ended = new Promise<number | null>((resolve) => child.on('close', resolve));
  const exited = (timeoutMs = 10_000) =>
    Promise.race([
      ended,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('the CLI did not exit in time')), timeoutMs),
      ),
    ]);
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  while (!output().stderr.includes('"msg":"engine started"')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`tether start did not start:\n${output().stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return { child, output, exited };
}
