/** What a viewer has seen, as {@link ViewerStats.snapshot} reports it. */
export interface ViewerStatsSnapshot {
  readonly frames: number;
  readonly bytes: number;
  /** Frames drawn in the last second. */
  readonly fps: number;
  /** Capture-to-display latency percentiles, ms (the two clocks compared: same machine). */
  readonly latencyP50: number;
  readonly latencyP99: number;
}

const KEPT_LATENCIES = 10_000;

/** Counts frames and bytes, and keeps the last latencies and drawing times. */
export class ViewerStats {
  private frames = 0;
  private bytes = 0;
  private readonly latencies: number[] = [];
  private readonly drawnAt: number[] = [];

  received(bytes: number): void {
    this.bytes += bytes;
  }

  displayed(latencyMs: number): void {
    this.frames += 1;
    this.latencies.push(latencyMs);
    if (this.latencies.length > KEPT_LATENCIES) this.latencies.shift();
    const now = performance.now();
    this.drawnAt.push(now);
    while (this.drawnAt.length > 0 && this.drawnAt[0]! < now - 1000) this.drawnAt.shift();
  }

  snapshot(): ViewerStatsSnapshot {
    const now = performance.now();
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return {
      frames: this.frames,
      bytes: this.bytes,
      fps: this.drawnAt.filter((at) => at >= now - 1000).length,
      latencyP50: percentile(sorted, 0.5),
      latencyP99: percentile(sorted, 0.99),
    };
  }
}

/** The `share` percentile of ascending `sorted`, 0 when empty. */
export function percentile(sorted: readonly number[], share: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))]!;
}
