import type { DesktopRect } from '../../sdk/index.js';

/** The side of a grid cell, in pixels. */
export const CELL = 64;
/** The tallest tile, in cells: a full screen becomes bands two encoders can share. */
const MAX_TILE_ROWS = 3;

/**
 * What changed on screen since the last frame, kept as a grid of 64-pixel cells so that any
 * storm of damage rectangles costs a fixed amount of memory. {@link take} turns the dirty cells
 * into few tiles (runs along a row, stacked while the rows below run alike) and clears them.
 */
export class DirtyRegion {
  private cells: Uint8Array;
  private columns: number;
  private rows: number;
  private count = 0;

  constructor(
    private width: number,
    private height: number,
  ) {
    this.columns = Math.ceil(width / CELL);
    this.rows = Math.ceil(height / CELL);
    this.cells = new Uint8Array(this.columns * this.rows);
  }

  /** Whether nothing changed. */
  get isEmpty(): boolean {
    return this.count === 0;
  }

  /** The share of the screen that is dirty, 0 to 1. */
  get coverage(): number {
    return this.count / this.cells.length;
  }

  /** Marks `rect` (clipped to the screen) as changed. */
  add(rect: DesktopRect): void {
    const left = Math.max(0, Math.floor(rect.x / CELL));
    const top = Math.max(0, Math.floor(rect.y / CELL));
    const right = Math.min(this.columns, Math.ceil((rect.x + rect.width) / CELL));
    const bottom = Math.min(this.rows, Math.ceil((rect.y + rect.height) / CELL));
    for (let row = top; row < bottom; row++) {
      for (let column = left; column < right; column++) this.mark(row * this.columns + column);
    }
  }

  /** Marks the whole screen. */
  addAll(): void {
    this.cells.fill(1);
    this.count = this.cells.length;
  }

  /** A new screen size: everything is dirty. */
  resize(width: number, height: number): void {
    this.width = width;
    this.height = height;
    this.columns = Math.ceil(width / CELL);
    this.rows = Math.ceil(height / CELL);
    this.cells = new Uint8Array(this.columns * this.rows);
    this.addAll();
  }

  /** The dirty area as tiles in screen pixels, top to bottom; the region is clean after. */
  take(): DesktopRect[] {
    const tiles: DesktopRect[] = [];
    let open: { left: number; right: number; top: number; rows: number }[] = [];
    for (let row = 0; row <= this.rows; row++) {
      const runs = row < this.rows ? this.runsOf(row) : [];
      const next: typeof open = [];
      for (const run of runs) {
        const same = open.find((o) => o.left === run.left && o.right === run.right);
        if (same && same.rows < MAX_TILE_ROWS) {
          same.rows += 1;
          next.push(same);
        } else {
          next.push({ left: run.left, right: run.right, top: row, rows: 1 });
        }
      }
      for (const done of open.filter((o) => !next.includes(o))) tiles.push(this.toRect(done));
      open = next;
    }
    this.cells.fill(0);
    this.count = 0;
    return tiles;
  }

  private runsOf(row: number): { left: number; right: number }[] {
    const runs: { left: number; right: number }[] = [];
    let start = -1;
    for (let column = 0; column <= this.columns; column++) {
      const dirty = column < this.columns && this.cells[row * this.columns + column] === 1;
      if (dirty && start < 0) start = column;
      if (!dirty && start >= 0) {
        runs.push({ left: start, right: column });
        start = -1;
      }
    }
    return runs;
  }

  private toRect(run: { left: number; right: number; top: number; rows: number }): DesktopRect {
    const x = run.left * CELL;
    const y = run.top * CELL;
    const width = Math.min(run.right * CELL, this.width) - x;
    const height = Math.min((run.top + run.rows) * CELL, this.height) - y;
    return { x, y, width, height };
  }

  private mark(index: number): void {
    if (this.cells[index] === 1) return;
    this.cells[index] = 1;
    this.count += 1;
  }
}
