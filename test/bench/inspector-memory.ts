import WebSocket from 'ws';

/** A process's memory as `process.memoryUsage()` reports it, in bytes. */
export interface MemorySample {
  readonly rss: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
  readonly arrayBuffers: number;
}

const CALL_TIMEOUT_MS = 30_000;

/**
 * Collects garbage in another Node process through its inspector (DevTools protocol over the
 * loopback WebSocket it opened with `--inspect=127.0.0.1:0`), twice so that weak references
 * and finalizers settle, then reads its `process.memoryUsage()`.
 */
export async function sampleAfterGc(inspectorUrl: string): Promise<MemorySample> {
  const { call, close } = await openDevtools(inspectorUrl);
  try {
    await call('HeapProfiler.collectGarbage');
    await new Promise((resolve) => setTimeout(resolve, 200));
    await call('HeapProfiler.collectGarbage');
    const answer = (await call('Runtime.evaluate', {
      expression: 'JSON.stringify(process.memoryUsage())',
      returnByValue: true,
    })) as { result?: { value?: string } };
    if (typeof answer.result?.value !== 'string') throw new Error('no memoryUsage from inspector');
    return JSON.parse(answer.result.value) as MemorySample;
  } finally {
    close();
  }
}

/** Calls one DevTools protocol method; resolves with its result. */
export type DevtoolsCall = (method: string, params?: Record<string, unknown>) => Promise<unknown>;

/** Connects to a Node inspector's WebSocket; `close` ends the connection. */
export async function openDevtools(inspectorUrl: string) {
  const socket = new WebSocket(inspectorUrl, { perMessageDeflate: false, maxPayload: 1 << 30 });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return { call: devtoolsCaller(socket), close: () => socket.close() };
}

function devtoolsCaller(socket: WebSocket): DevtoolsCall {
  let nextId = 1;
  const pending = new Map<number, (message: DevtoolsAnswer) => void>();
  socket.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString('utf8')) as DevtoolsAnswer;
    if (message.id !== undefined) pending.get(message.id)?.(message);
  });
  return (method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => reject(new Error(`${method}: no answer`)), CALL_TIMEOUT_MS);
      pending.set(id, (message) => {
        clearTimeout(timer);
        pending.delete(id);
        if (message.error) reject(new Error(`${method}: ${message.error.message}`));
        else resolve(message.result);
      });
      socket.send(JSON.stringify({ id, method, params }));
    });
}

interface DevtoolsAnswer {
  readonly id?: number;
  readonly result?: unknown;
  readonly error?: { readonly message: string };
}
