import os from 'node:os';

/** What the applet tells a technician who may see the system information. */
export interface SystemInformation {
  readonly hostname: string;
  readonly platform: string;
  readonly release: string;
  readonly arch: string;
  readonly cpus: number;
  readonly totalMemoryBytes: number;
  readonly freeMemoryBytes: number;
  readonly uptimeSeconds: number;
  readonly node: string;
}

/** The end user's machine as the operating system reports it now. */
export function systemInformation(): SystemInformation {
  return {
    hostname: os.hostname(),
    platform: os.platform(),
    release: os.release(),
    arch: os.arch(),
    cpus: os.cpus().length,
    totalMemoryBytes: os.totalmem(),
    freeMemoryBytes: os.freemem(),
    uptimeSeconds: Math.round(os.uptime()),
    node: process.version,
  };
}
