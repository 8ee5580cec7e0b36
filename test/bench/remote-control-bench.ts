// `npm run bench` (or `-- --only-remote-control`): remote control measured end to end on
// loopback at 1280x720, through the engine's gateway: the real applet captures an Xvfb display
// and streams tiles, this process draws them as a technician would. See README.md here.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { percentile } from '../../plugins/remote-control/viewer-stats.js';
import { startXvfb, waitForWindow, type XvfbDisplay } from '../support/xvfb-display.js';
import { startAnimation } from './desktop-animation.js';
import { startRemoteControlRig, type RemoteControlRig } from './remote-control-rig.js';

/** What one scene measured. */
export interface SceneResult {
  readonly name: string;
  readonly seconds: number;
  readonly frames: number;
  readonly fps: number;
  readonly bytesPerSecond: number;
  readonly latencyP50: number;
  readonly latencyP99: number;
  /** Applet CPU time (user and system) per frame, ms, and its share of one core. */
  readonly appletCpuMsPerFrame: number;
  readonly appletCpuShare: number;
}

/** Every scene, or why none ran. */
export interface RemoteControlResults {
  readonly scenes: readonly SceneResult[];
  readonly limits: { readonly quality: number; readonly fps: number };
  readonly skipped?: string;
}

interface Scene {
  readonly name: string;
  /** The xterm of the scene (always one, so the screen looks like a desktop). */
  readonly xterm: readonly string[];
  /** Adds a 480x320 window that changes 60 times a second. */
  readonly animated?: boolean;
}

/** A still prompt; the same with an animated window; a full-screen xterm scrolling. */
const SCENES: readonly Scene[] = [
  { name: 'idle screen', xterm: ['-geometry', '80x24+0+0', '-e', '/bin/sh'] },
  { name: 'changing desktop', xterm: ['-geometry', '80x24+0+0', '-e', '/bin/sh'], animated: true },
  {
    name: 'busy screen',
    xterm: ['-geometry', '212x55+0+0', '-e', 'sh', '-c', 'while :; do ls -lR /usr/share; done'],
  },
];
const WARM_UP_MS = 1500;
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

/** Runs every scene for `seconds` each; reports a skip when Xvfb or its tools are missing. */
export async function benchRemoteControl(options: {
  readonly seconds: number;
  readonly fps: number;
  readonly quality: number;
}): Promise<RemoteControlResults> {
  const limits = { quality: options.quality, fps: options.fps };
  let x: XvfbDisplay;
  try {
    x = await startXvfb(1280, 720);
  } catch (error) {
    return { scenes: [], limits, skipped: (error as Error).message };
  }
  let rig: RemoteControlRig | undefined;
  try {
    log(`remote control: engine, applet on ${x.display} and a technician`);
    rig = await startRemoteControlRig(x, limits);
    const scenes: SceneResult[] = [];
    for (const scene of SCENES) {
      log(`remote control: ${scene.name}, ${options.seconds} s`);
      scenes.push(await measureScene(x, rig, scene, options.seconds));
    }
    return { scenes, limits };
  } finally {
    await rig?.stop();
    await x.stop();
  }
}

async function measureScene(
  x: XvfbDisplay,
  rig: RemoteControlRig,
  scene: Scene,
  seconds: number,
): Promise<SceneResult> {
  const xterm = x.run('xterm', scene.xterm);
  await waitForWindow(x, 'XTerm');
  const stopAnimation = scene.animated ? await startAnimation(x.display) : undefined;
  await sleep(WARM_UP_MS);

  const latencies: number[] = [];
  const subscription = rig.viewer.on('frame', ({ latencyMs }) => latencies.push(latencyMs));
  const before = rig.viewer.statistics();
  const cpuBefore = cpuMs(rig.applet.pid!);
  const started = performance.now();
  await sleep(seconds * 1000);
  const elapsed = (performance.now() - started) / 1000;
  const cpu = cpuMs(rig.applet.pid!) - cpuBefore;
  const after = rig.viewer.statistics();
  void subscription.dispose();

  await stopAnimation?.();
  xterm.kill('SIGKILL');
  await sleep(500);
  const frames = after.frames - before.frames;
  latencies.sort((a, b) => a - b);
  return {
    name: scene.name,
    seconds: elapsed,
    frames,
    fps: frames / elapsed,
    bytesPerSecond: (after.bytes - before.bytes) / elapsed,
    latencyP50: percentile(latencies, 0.5),
    latencyP99: percentile(latencies, 0.99),
    appletCpuMsPerFrame: frames === 0 ? 0 : cpu / frames,
    appletCpuShare: cpu / (elapsed * 1000),
  };
}

/** User plus system CPU time of process `pid` so far, ms, from /proc. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / clockTicks();
}

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  return ticksPerSecond || 100;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
