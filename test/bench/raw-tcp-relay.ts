import { createServer, type AddressInfo, type Socket } from 'node:net';

/**
 * The raw TCP baseline: a process that pairs connections by their first line (`<pair id>\n`)
 * and then pipes bytes between the two of a pair, in both directions, with the kernel's
 * backpressure (`pipe`). It prints `{"port":N}` once listening on 127.0.0.1.
 */
const MAX_ID_BYTES = 128;
const waiting = new Map<string, Socket>();

function readPairId(socket: Socket, onId: (id: string, rest: Buffer) => void): void {
  let seen = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    seen = Buffer.concat([seen, chunk]);
    const end = seen.indexOf(0x0a);
    if (end < 0 && seen.length <= MAX_ID_BYTES) return;
    socket.off('data', onData);
    if (end < 0) return void socket.destroy();
    socket.pause();
    onId(seen.subarray(0, end).toString('ascii'), seen.subarray(end + 1));
  };
  socket.on('data', onData);
}

function pair(a: Socket, aRest: Buffer, b: Socket, bRest: Buffer): void {
  if (aRest.length > 0) b.write(aRest);
  if (bRest.length > 0) a.write(bRest);
  a.pipe(b);
  b.pipe(a);
  a.resume();
  b.resume();
}

const rests = new WeakMap<Socket, Buffer>();
const server = createServer({ noDelay: true }, (socket) => {
  socket.on('error', () => socket.destroy());
  socket.on('close', () => {
    for (const [id, held] of waiting) if (held === socket) waiting.delete(id);
  });
  readPairId(socket, (id, rest) => {
    const other = waiting.get(id);
    if (!other) {
      waiting.set(id, socket);
      rests.set(socket, rest);
      return;
    }
    waiting.delete(id);
    other.on('close', () => socket.destroy());
    socket.on('close', () => other.destroy());
    pair(other, rests.get(other) ?? Buffer.alloc(0), socket, rest);
  });
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: (server.address() as AddressInfo).port }) + '\n');
});
process.on('SIGTERM', () => process.exit(0));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
