import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type WebSocket from 'ws';
import { openWebSocket } from './baseline-pairs.js';
import { mapLimit } from './map-limit.js';

const CONNECT_CONCURRENCY = 24;
const SETTLE_MS = 3_000;

/** Resident memory of process `pid`, in bytes, as Linux reports it. */
async function residentBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kib === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kib) * 1024;
}

/**
 * The baseline of the memory figure: what `count` idle TLS WebSocket connections cost the plain
 * relay process (resident memory, KiB per connection), each waiting alone for a partner as an
 * end user waits for a technician. Nothing in that process but TLS and ws holds them.
 */
export async function plainRelayKiBPerConnection(
  wsUrl: string,
  ca: string,
  pid: number,
  count: number,
): Promise<number> {
  const before = await residentBytes(pid);
  const ids = Array.from({ length: count }, () => randomUUID());
  const sockets: WebSocket[] = await mapLimit(ids, CONNECT_CONCURRENCY, (id) =>
    openWebSocket(`${wsUrl}/idle/${id}`, ca),
  );
  try {
    await sleep(SETTLE_MS);
    return ((await residentBytes(pid)) - before) / count / 1024;
  } finally {
    for (const socket of sockets) socket.terminate();
  }
}
