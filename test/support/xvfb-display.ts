import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

/** A virtual X display for a test, with its programs, stopped by {@link XvfbDisplay.stop}. */
export interface XvfbDisplay {
  /** Such as `:93`. */
  readonly display: string;
  /** Starts `command` on the display; it is killed with the display. */
  run(command: string, args: readonly string[]): ChildProcess;
  /** Runs `command` on the display to its end and returns its standard output. */
  runSync(command: string, args: readonly string[]): string;
  stop(): Promise<void>;
}

const INSTALL = 'apt-get install -y xvfb xterm xdotool x11-xserver-utils';

/** Fails loudly, with what to install, when a program the X tests need is missing. */
export function requireX11Tools(): void {
  for (const tool of ['Xvfb', 'xterm', 'xdotool', 'xrandr']) {
    const found = spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
    if (!found) throw new Error(`${tool} is missing; the X11 tests need it: ${INSTALL}`);
  }
}

/**
 * Starts `Xvfb :N -screen 0 WxHx24 -nolisten tcp -noreset` on the first free N from 90 (no
 * socket and no lock file), and waits until it takes connections.
 */
export async function startXvfb(width = 1280, height = 720): Promise<XvfbDisplay> {
  requireX11Tools();
  for (let number = 90; number < 140; number++) {
    if (existsSync(`/tmp/.X11-unix/X${number}`) || existsSync(`/tmp/.X${number}-lock`)) continue;
    const display = `:${number}`;
    const args = [display, '-screen', '0', `${width}x${height}x24`, '-nolisten', 'tcp', '-noreset'];
    const server = spawn('Xvfb', args, { stdio: 'ignore' });
    if (await becameReady(server, number)) return handle(display, server);
  }
  throw new Error('no free X display between :90 and :139');
}

async function becameReady(server: ChildProcess, number: number): Promise<boolean> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) return false;
    if (existsSync(`/tmp/.X11-unix/X${number}`)) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  server.kill('SIGKILL');
  return false;
}

function handle(display: string, server: ChildProcess): XvfbDisplay {
  const children: ChildProcess[] = [];
  const env = { ...process.env, DISPLAY: display };
  return {
    display,
    run(command, args) {
      const child = spawn(command, [...args], { env, stdio: 'ignore' });
      children.push(child);
      return child;
    },
    runSync(command, args) {
      const done = spawnSync(command, [...args], { env, encoding: 'utf8', timeout: 10_000 });
      return done.stdout ?? '';
    },
    async stop() {
      for (const child of [...children, server]) {
        if (child.exitCode !== null || child.signalCode !== null) continue;
        const ended = new Promise((resolve) => child.once('close', resolve));
        child.kill('SIGTERM');
        await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 3000))]);
      }
    },
  };
}

/** Waits until `xdotool search` finds a window whose class is `className`; returns its id. */
export async function waitForWindow(x: XvfbDisplay, className: string): Promise<string> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const id = x.runSync('xdotool', ['search', '--class', className]).trim().split('\n')[0];
    if (id) return id;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no ${className} window appeared on ${x.display}`);
}
