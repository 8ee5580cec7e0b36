import type { RemoteControlResults, SceneResult } from './remote-control-bench.js';

const fixed = (value: number, digits = 1) => value.toFixed(digits);

function sceneRows(scene: SceneResult): string[] {
  const cpu = `${fixed(scene.appletCpuMsPerFrame)} ms/frame`;
  const share = `${fixed(scene.appletCpuShare * 100, 0)} % of a core`;
  return [
    `  ${scene.name.padEnd(18)} ${fixed(scene.fps).padStart(6)} fps   ` +
      `${fixed(scene.bytesPerSecond / 1024, 2).padStart(9)} KiB/s   ${scene.frames} frames`,
    `  ${''.padEnd(18)} latency p50 ${fixed(scene.latencyP50).padStart(6)} ms   ` +
      `p99 ${fixed(scene.latencyP99).padStart(6)} ms   applet CPU ${cpu} (${share})`,
  ];
}

function target(what: string, value: string, met: boolean): string {
  return `  target: ${what.padEnd(34)} ${value.padStart(12)}   ${met ? 'met' : 'NOT met'}`;
}

/** The remote-control section of the bench report, with the targets. */
export function formatRemoteControlReport(results: RemoteControlResults): string {
  const lines = ['', 'Remote control, 1280x720 on loopback through the engine (applet on Xvfb)'];
  if (results.skipped) return [...lines, `  skipped: ${results.skipped}`, ''].join('\n');
  const { quality, fps } = results.limits;
  lines.push(`  technician limits: quality ${quality}, ${fps} fps`);
  for (const scene of results.scenes) lines.push(...sceneRows(scene));

  const byName = new Map(results.scenes.map((scene) => [scene.name, scene]));
  const changing = byName.get('changing desktop');
  const idle = byName.get('idle screen');
  if (changing) {
    const rate = `${fixed(changing.fps)} fps`;
    lines.push(target('at least 30 fps, changing desktop', rate, changing.fps >= 30));
    const p99 = `${fixed(changing.latencyP99)} ms`;
    lines.push(target('latency p99 under 100 ms', p99, changing.latencyP99 < 100));
  }
  if (idle) {
    const rate = `${fixed(idle.bytesPerSecond / 1024, 2)} KiB/s`;
    lines.push(target('under 10 KB/s on an idle screen', rate, idle.bytesPerSecond < 10_000));
  }
  return [...lines, ''].join('\n');
}
