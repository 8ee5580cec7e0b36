import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/**
 * CPU seconds (user plus system) that process `pid` used so far, as Linux reports it; NaN when
 * the process is gone or /proc cannot be read. Unlike wall-clock figures, this hardly depends on
 * what else the machine runs, so it tells which process pays for a relay's work.
 */
export function cpuSecondsOf(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields count from after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds of some processes between two moments. */
export class CpuMeter<Name extends string> {
  private readonly start: Record<Name, number>;

  constructor(private readonly pids: Readonly<Record<Name, number | undefined>>) {
    this.start = this.read();
  }

  /** CPU seconds each process used since the meter was made. */
  used(): Record<Name, number> {
    const now = this.read();
    const used = {} as Record<Name, number>;
    for (const name of Object.keys(now) as Name[]) used[name] = now[name] - this.start[name];
    return used;
  }

  private read(): Record<Name, number> {
    const values = {} as Record<Name, number>;
    for (const name of Object.keys(this.pids) as Name[])
      values[name] = cpuSecondsOf(this.pids[name]);
    return values;
  }
}
