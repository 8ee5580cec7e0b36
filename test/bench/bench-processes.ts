import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { DIST_ROOT } from '../../engine/version.js';

/** A child process of the bench, with its first JSON line on standard output. */
export interface BenchChild {
  readonly name: string;
  readonly child: ChildProcess;
  /** Everything it wrote to standard error so far (the last 64 KiB). */
  stderr(): string;
  /** Resolves with the next JSON line it prints; rejects after `timeoutMs` or on its exit. */
  nextMessage<T>(timeoutMs: number): Promise<T>;
  /** Writes one JSON line to its standard input. */
  send(message: unknown): void;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it is gone. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();
const STDERR_KEEP = 65_536;

/** The compiled file of a bench module, for `spawnBenchChild`. */
export function benchScript(name: string): string {
  return path.join(DIST_ROOT, 'test', 'bench', `${name}.js`);
}

/** Node flags that write a CPU profile `name` into `dir` at exit; none when `dir` is empty. */
export function profileArgs(dir: string | undefined, name: string): string[] {
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}`] : [];
}

/** Kills every child still running (SIGKILL); safe to call more than once. */
export function killAllChildren(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/**
 * Starts `node script args` with its standard streams piped; its standard output is read as JSON
 * lines unless `jsonStdout` is false. Every child is remembered, so that
 * `killAllChildren` (called on exit, on SIGINT and on error) leaves none behind.
 */
export function spawnBenchChild(
  name: string,
  script: string,
  args: readonly string[] = [],
  env: NodeJS.ProcessEnv = process.env,
  options: { readonly jsonStdout?: boolean; readonly nodeArgs?: readonly string[] } = {},
): BenchChild {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script, ...args], {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  running.add(child);
  child.on('exit', () => running.delete(child));
  // Writing to a child that died fails with EPIPE; its exit is what the bench reports.
  child.stdin?.on('error', (error) => {
    process.stderr.write(`bench: ${name} no longer reads its input (${error.message})\n`);
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEEP);
  });
  // A child whose standard output is not JSON lines (the engine's CLI prints a one-time secret
  // there) is read by its caller, and nothing of it is echoed.
  const lines = options.jsonStdout === false ? undefined : lineQueue(child);
  return {
    name,
    child,
    stderr: () => stderr,
    nextMessage: <T>(timeoutMs: number) => {
      if (!lines) return Promise.reject(new Error(`${name} does not print JSON lines`));
      return lines.next(name, timeoutMs) as Promise<T>;
    },
    send: (message) => child.stdin?.write(JSON.stringify(message) + '\n'),
    stop: (graceMs = 5_000) => stopChild(child, graceMs),
  };
}

interface LineQueue {
  next(name: string, timeoutMs: number): Promise<unknown>;
}

function lineQueue(child: ChildProcess): LineQueue {
  const queued: unknown[] = [];
  const waiting: Array<(line: unknown) => void> = [];
  const reader = createInterface({ input: child.stdout! });
  reader.on('line', (line) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return void process.stderr.write(`  (child said: ${line})\n`);
    }
    const taker = waiting.shift();
    if (taker) taker(parsed);
    else queued.push(parsed);
  });
  return {
    next: (name, timeoutMs) => {
      if (queued.length > 0) return Promise.resolve(queued.shift());
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => fail(`no message from ${name} in ${timeoutMs} ms`),
          timeoutMs,
        );
        const onExit = (code: number | null) => fail(`${name} exited (${code})`);
        const fail = (why: string) => {
          clearTimeout(timer);
          child.off('exit', onExit);
          const index = waiting.indexOf(take);
          if (index >= 0) waiting.splice(index, 1);
          reject(new Error(why));
        };
        const take = (line: unknown) => {
          clearTimeout(timer);
          child.off('exit', onExit);
          resolve(line);
        };
        waiting.push(take);
        child.once('exit', onExit);
      });
    },
  };
}

async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await gone;
  clearTimeout(timer);
}
