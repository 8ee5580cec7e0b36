import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';

/** Every line a stream printed, and a way to wait for the next one that matches. */
export class LineWatcher {
  readonly lines: string[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(stream: Readable) {
    createInterface({ input: stream, terminal: false }).on('line', (line) => {
      this.lines.push(line);
      for (const wake of [...this.waiters]) wake();
    });
  }

  /**
   * Resolves with the first line from index `from` on that `matches`; rejects after
   * `timeoutMs` with everything printed so far, so a failure shows what happened.
   */
  waitFor(matches: (line: string) => boolean, from = 0, timeoutMs = 15_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const line = this.lines.slice(from).find(matches);
        if (line === undefined) return false;
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve(line);
        return true;
      };
      const wake = () => void check();
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        reject(new Error(`no matching line in ${timeoutMs} ms; got:\n${this.lines.join('\n')}`));
      }, timeoutMs);
      if (!check()) this.waiters.add(wake);
    });
  }
}
