import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { WebSocket, WebSocketServer } from 'ws';
import { ReceiverFragments } from '../../../engine/gateway/receiver-fragments.js';

type Received = { readonly data: Buffer; readonly isBinary: boolean };
const partsOf = (ws: WebSocket) =>
  (ws as unknown as { _receiver: { _fragments: unknown[] } })._receiver._fragments;

describe('ReceiverFragments (the relay keeps ws from promoting every message)', () => {
  let server: WebSocketServer;
  let client: WebSocket;
  let accepted: WebSocket;
  const received: Received[] = [];
  const arrays: unknown[][] = [];

  beforeEach(async () => {
    received.length = 0;
    arrays.length = 0;
    server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
    const connected = new Promise<WebSocket>((resolve) => server.once('connection', resolve));
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    client = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false });
    accepted = await connected;
    accepted.binaryType = 'nodebuffer';
    const fragments = ReceiverFragments.of(accepted);
    expect(fragments, 'ws keeps its pieces as this expects').to.not.equal(undefined);
    accepted.on('message', (data: Buffer, isBinary) => {
      received.push({ data, isBinary });
      fragments!.reset();
      arrays.push(partsOf(accepted));
    });
    await new Promise((resolve) => client.once('open', resolve));
  });

  afterEach(async () => {
    client.terminate();
    await new Promise((resolve) => server.close(resolve));
  });

  async function receivedCount(count: number): Promise<void> {
    for (let i = 0; i < 200 && received.length < count; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(received).to.have.length(count);
  }

  it('gives ws one array for the whole connection; every message arrives whole', async () => {
    const sent = [randomBytes(1), randomBytes(300), randomBytes(70_000), randomBytes(5)];
    for (const message of sent) client.send(message);
    client.send('text after binary');
    // One message in three pieces (FIN only on the last), then one more whole one.
    const pieces = [randomBytes(100), randomBytes(2000), randomBytes(7)];
    pieces.forEach((piece, i) => client.send(piece, { fin: i === pieces.length - 1 }));
    client.send(randomBytes(9));
    await receivedCount(7);

    sent.forEach((message, i) => expect(received[i]!.data.equals(message)).to.equal(true));
    expect(received[4]).to.deep.include({ isBinary: false });
    expect(received[4]!.data.toString()).to.equal('text after binary');
    expect(received[5]!.data.equals(Buffer.concat(pieces))).to.equal(true);
    expect(received[6]!.data.length).to.equal(9);
    expect(new Set(arrays).size, 'the same array every time').to.equal(1);
    expect(arrays[0]).to.deep.equal([]);
  });

  it('leaves alone a parser array that already holds pieces, and odd sockets', () => {
    const holding = { binaryType: 'nodebuffer', _receiver: { _fragments: [Buffer.from('x')] } };
    const fragments = ReceiverFragments.of(holding as unknown as WebSocket)!;
    const before = holding._receiver._fragments;
    fragments.reset();
    expect(holding._receiver._fragments).to.equal(before);
    expect(before).to.have.length(1);

    const asFragments = { binaryType: 'fragments', _receiver: { _fragments: [] } };
    expect(ReceiverFragments.of(asFragments as unknown as WebSocket)).to.equal(undefined);
    expect(ReceiverFragments.of({ binaryType: 'nodebuffer' } as unknown as WebSocket)).to.equal(
      undefined,
    );
  });
});
