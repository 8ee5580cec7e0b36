/** What `npm run bench -- --flag value` can change. */
export interface BenchOptions {
  /** MiB sent one way per throughput run. */
  readonly mib: number;
  /** Throughput runs per relay; the median is reported. */
  readonly rounds: number;
  /** Longest a throughput run may take, in seconds. */
  readonly throughputLimitSeconds: number;
  /** Concurrent sessions of the round-trip runs and idle end users of the memory run. */
  readonly sessions: number;
  /** Length of each round-trip run, in seconds. */
  readonly seconds: number;
  /** Interval between two messages of one session, in milliseconds. */
  readonly intervalMs: number;
  /** Size of a round-trip message, in bytes (at least 8: it carries its send time). */
  readonly payloadBytes: number;
  /** Run only the baselines. */
  readonly skipEngine: boolean;
  /** Do not measure engine memory (it starts an engine of its own). */
  readonly skipMemory: boolean;
  /** Do not measure throughput. */
  readonly skipThroughput: boolean;
  /** Do not measure round trips. */
  readonly skipRoundTrip: boolean;
  /**
   * Where to write CPU profiles of the timed engine (one per engine throughput run and one of
   * the round-trip run); empty for none. The engine then runs with its inspector open.
   */
  readonly profileDir: string;
  /** Run only the remote-control section (remote-control-bench.ts). */
  readonly onlyRemoteControl: boolean;
  /** Leave the remote-control section out. */
  readonly skipRemoteControl: boolean;
  /** Seconds each remote-control scene is measured. */
  readonly rcSeconds: number;
  /** The technician's frame-rate ceiling in the remote-control section. */
  readonly rcFps: number;
  /** The technician's JPEG quality ceiling in the remote-control section. */
  readonly rcQuality: number;
}

const DEFAULTS: BenchOptions = {
  mib: 256,
  rounds: 3,
  throughputLimitSeconds: 30,
  sessions: 1000,
  seconds: 10,
  intervalMs: 1000,
  payloadBytes: 64,
  skipEngine: false,
  skipMemory: false,
  skipThroughput: false,
  skipRoundTrip: false,
  profileDir: '',
  onlyRemoteControl: false,
  skipRemoteControl: false,
  rcSeconds: 10,
  rcFps: 60,
  rcQuality: 70,
};

const LIMITS: Record<string, readonly [number, number]> = {
  mib: [1, 4096],
  rounds: [1, 20],
  throughputLimitSeconds: [1, 300],
  sessions: [1, 5000],
  seconds: [1, 300],
  intervalMs: [10, 10_000],
  payloadBytes: [8, 60_000],
  rcSeconds: [1, 120],
  rcFps: [1, 60],
  rcQuality: [10, 95],
};

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Reads `--mib 256 --sessions 1000 ...` (see DEFAULTS); throws on an unknown or bad flag. */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const options: Record<string, number | boolean | string> = { ...DEFAULTS };
  const byFlag = new Map(Object.keys(DEFAULTS).map((name) => [`--${kebab(name)}`, name]));
  for (let index = 0; index < argv.length; index++) {
    const name = byFlag.get(argv[index]!);
    if (name === undefined)
      throw new Error(`unknown flag ${argv[index]}; see test/bench/README.md`);
    const kind = typeof DEFAULTS[name as keyof BenchOptions];
    if (kind === 'boolean') {
      options[name] = true;
      continue;
    }
    if (kind === 'string') {
      const text = argv[++index];
      if (!text) throw new Error(`--${kebab(name)} takes a value`);
      options[name] = text;
      continue;
    }
    const value = Number(argv[++index]);
    const [low, high] = LIMITS[name]!;
    if (!Number.isInteger(value) || value < low || value > high) {
      throw new Error(`--${kebab(name)} takes a whole number from ${low} to ${high}`);
    }
    options[name] = value;
  }
  return options as unknown as BenchOptions;
}
