import { Writable } from 'node:stream';
import { expect } from 'chai';
import busModule from '../../../adapters/bus-memory/index.js';
import { MemoryBus } from '../../../adapters/bus-memory/memory-bus.js';
import { Bus, type BusMessage } from '../../../engine/contracts/bus-contract.js';
import type { ModuleContext } from '../../../engine/contracts/engine-module-contract.js';
import { loadSettings } from '../../../engine/config/load-settings.js';
import { createLogger } from '../../../engine/logging/create-logger.js';

const silent = createLogger({ level: 'silent', format: 'json' });

/** Waits until `condition` holds, failing after `timeoutMs`. */
async function waitFor(condition: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Lets pending deliveries run, for tests that check that something did not arrive. */
async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 50));
}

/** A logger at error level whose JSON lines are collected. */
function collectingLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'error', format: 'json', destination }) };
}

describe('MemoryBus', () => {
  let bus: MemoryBus;

  beforeEach(() => {
    bus = new MemoryBus(silent);
  });

  it('delivers a published JSON message to a subscriber, with its topic', async () => {
    const received: [BusMessage, string][] = [];
    await bus.subscribe('session:1', (message, topic) => void received.push([message, topic]));
    const message = { kind: 'chat', text: 'hello', n: 3, ok: true, none: null, list: [1, 'a'] };
    await bus.publish('session:1', message);
    await waitFor(() => received.length === 1, 'the message');
    expect(received[0]).to.deep.equal([message, 'session:1']);
    await settle();
    expect(received, 'delivered more than once').to.have.length(1);
  });

  it('delivers a Uint8Array as a Uint8Array with the same bytes', async () => {
    const received: BusMessage[] = [];
    await bus.subscribe('frames', (message) => void received.push(message));
    const bytes = Uint8Array.from([0, 1, 2, 254, 255]);
    await bus.publish('frames', bytes);
    await waitFor(() => received.length === 1, 'the bytes');
    const got = received[0] as Uint8Array;
    expect(got).to.be.instanceOf(Uint8Array);
    expect(got).not.to.equal(bytes);
    expect([...got]).to.deep.equal([0, 1, 2, 254, 255]);
  });

  it('hands over only the bytes of a Uint8Array, not the memory around them', async () => {
    const received: BusMessage[] = [];
    await bus.subscribe('frames', (message) => void received.push(message));
    // Small Buffers share Node's allocation pool: the view is 4 bytes of a larger block that
    // also holds the secret made just before it.
    const secret = Buffer.from('secret-of-someone-else');
    const frame = Buffer.from('ping');
    expect(frame.buffer.byteLength).to.be.greaterThan(frame.length);
    await bus.publish('frames', frame);
    await waitFor(() => received.length === 1, 'the frame');
    const got = received[0] as Uint8Array;
    expect(Buffer.from(got).toString()).to.equal('ping');
    expect(got.buffer.byteLength, 'bytes reachable by the handler').to.equal(4);
    expect(Buffer.from(got.buffer).includes(secret)).to.equal(false);
  });

  it('has not run the handler yet when publish returns, and runs it once after', async () => {
    let calls = 0;
    await bus.subscribe('t', () => void (calls += 1));
    const pending = bus.publish('t', 'x');
    expect(calls, 'handler ran inside publish').to.equal(0);
    await pending;
    // Delivery may already have happened by the time the await resumes; it must happen once.
    expect(calls).to.be.at.most(1);
    await waitFor(() => calls === 1, 'the message');
    await settle();
    expect(calls).to.equal(1);
  });

  it('never runs a handler inside the publish call of a handler that publishes', async () => {
    let depth = 0;
    let deepest = 0;
    const seen: number[] = [];
    await bus.subscribe('t', async (message) => {
      depth += 1;
      deepest = Math.max(deepest, depth);
      seen.push(message as number);
      const next = (message as number) < 5 ? bus.publish('t', (message as number) + 1) : null;
      depth -= 1;
      await next;
    });
    await bus.publish('t', 0);
    await waitFor(() => seen.length === 6, 'six rounds');
    expect(seen).to.deep.equal([0, 1, 2, 3, 4, 5]);
    expect(deepest, 'handler entered again before it returned').to.equal(1);
  });

  it("gives each handler its own copy, apart from the publisher's object", async () => {
    const received: { list: number[]; nested: { n: number } }[] = [];
    const mutateFirst = (message: BusMessage) => {
      const copy = message as (typeof received)[number];
      copy.list.push(99);
      copy.nested.n = -1;
      received.push(copy);
    };
    await bus.subscribe('t', mutateFirst);
    await bus.subscribe('t', (message) => void received.push(message as (typeof received)[number]));
    const original = { list: [1, 2], nested: { n: 1 } };
    const pending = bus.publish('t', original);
    original.list.push(3);
    await pending;
    await waitFor(() => received.length === 2, 'both handlers');
    expect(received[0]).to.deep.equal({ list: [1, 2, 99], nested: { n: -1 } });
    expect(received[1]).to.deep.equal({ list: [1, 2], nested: { n: 1 } });
    expect(received[0]).not.to.equal(received[1]);
    expect(original).to.deep.equal({ list: [1, 2, 3], nested: { n: 1 } });
  });

  it('gives each handler its own copy of a Uint8Array', async () => {
    const received: Uint8Array[] = [];
    await bus.subscribe('t', (message) => {
      (message as Uint8Array)[0] = 42;
      received.push(message as Uint8Array);
    });
    await bus.subscribe('t', (message) => void received.push(message as Uint8Array));
    const bytes = Uint8Array.from([1, 2, 3]);
    await bus.publish('t', bytes);
    await waitFor(() => received.length === 2, 'both handlers');
    expect([...(received[0] as Uint8Array)]).to.deep.equal([42, 2, 3]);
    expect([...(received[1] as Uint8Array)]).to.deep.equal([1, 2, 3]);
    expect([...bytes]).to.deep.equal([1, 2, 3]);
  });

  it('keeps the order of 100 messages from one publisher', async () => {
    const started: number[] = [];
    await bus.subscribe('t', (message) => void started.push(message as number));
    const sent = Array.from({ length: 100 }, (_, index) => index);
    for (const n of sent.slice(0, 50)) await bus.publish('t', n);
    await Promise.all(sent.slice(50).map((n) => bus.publish('t', n)));
    await waitFor(() => started.length === 100, '100 messages');
    expect(started).to.deep.equal(sent);
  });

  it('does not deliver messages of other topics', async () => {
    const received: string[] = [];
    await bus.subscribe('session:1', (_message, topic) => void received.push(topic));
    await bus.publish('session:2', 'not yours');
    await bus.publish('session:10', 'not yours');
    await bus.publish('session:', 'not yours');
    await bus.publish('session:1', 'yours');
    await waitFor(() => received.length === 1, 'the message of session:1');
    await settle();
    expect(received).to.deep.equal(['session:1']);
  });

  it('stops delivering once disposed, even a message already on its way', async () => {
    const received: BusMessage[] = [];
    const subscription = await bus.subscribe('t', (message) => void received.push(message));
    await bus.publish('t', 'before');
    await waitFor(() => received.length === 1, 'the first message');
    const inFlight = bus.publish('t', 'in flight');
    await subscription.dispose();
    await inFlight;
    await bus.publish('t', 'after');
    await settle();
    expect(received).to.deep.equal(['before']);
  });

  it('takes a second dispose without harm to later subscribers of the topic', async () => {
    const received: string[] = [];
    const first = await bus.subscribe('t', () => void received.push('first'));
    await first.dispose();
    await bus.subscribe('t', () => void received.push('second'));
    await first.dispose();
    await bus.publish('t', 1);
    await waitFor(() => received.length === 1, 'the second subscriber');
    await settle();
    expect(received).to.deep.equal(['second']);
  });

  it('keeps failing handlers from the publisher and other handlers, and logs them', async () => {
    const { lines, logger } = collectingLogger();
    const failing = new MemoryBus(logger);
    const received: string[] = [];
    await failing.subscribe('t', () => {
      throw new Error('sync boom');
    });
    await failing.subscribe('t', async () => {
      await Promise.resolve();
      throw new Error('async boom');
    });
    await failing.subscribe('t', (message) => void received.push(message as string));
    await failing.publish('t', 'one');
    await failing.publish('t', 'two');
    await waitFor(() => received.length === 2 && lines.length === 4, 'deliveries and log lines');
    expect(received).to.deep.equal(['one', 'two']);
    for (const line of lines) {
      expect(line.level).to.equal(50);
      expect(line.topic).to.equal('t');
      expect(line.msg).to.be.a('string').and.not.equal('');
    }
    const logged = lines.map((line) => (line.err as { message?: string } | undefined)?.message);
    expect(logged.sort()).to.deep.equal(['async boom', 'async boom', 'sync boom', 'sync boom']);
  });

  it('resolves publish on a topic nobody listens to', async () => {
    await bus.publish('nobody', { a: 1 });
    await bus.publish('nobody', new Uint8Array(3));
  });

  it('does not keep a message for a subscriber that joins later', async () => {
    await bus.publish('t', 'early');
    const other: BusMessage[] = [];
    await bus.subscribe('other', (message) => void other.push(message));
    await bus.publish('other', 'to make the early one old');
    const received: BusMessage[] = [];
    await bus.subscribe('t', (message) => void received.push(message));
    await waitFor(() => other.length === 1, 'the other message');
    await settle();
    expect(received).to.deep.equal([]);
    await bus.publish('t', 'late');
    await waitFor(() => received.length === 1, 'the late message');
    expect(received).to.deep.equal(['late']);
  });
});

describe('bus-memory module', () => {
  it('declares and provides a working Bus', async () => {
    const provided = new Map<symbol, unknown>();
    const context: ModuleContext = {
      settings: loadSettings({ env: {} }),
      logger: silent,
      provide: (token, value) => void provided.set(token, value),
      get: (token) => {
        throw new Error(`nothing provides ${String(token)}`);
      },
    };
    expect(busModule.provides).to.deep.equal([Bus]);
    await busModule.load(context);
    expect([...provided.keys()]).to.deep.equal([Bus]);
    const provider = provided.get(Bus) as Bus;
    const received: BusMessage[] = [];
    await provider.subscribe('t', (message) => void received.push(message));
    await provider.publish('t', 'hi');
    await waitFor(() => received.length === 1, 'the message');
  });
});
