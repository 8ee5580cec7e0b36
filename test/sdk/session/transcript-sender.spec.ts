import { expect } from 'chai';
import { ChatChannel } from '../../../sdk/session/chat-channel.js';
import { TranscriptSender, type TranscriptEntry } from '../../../sdk/session/transcript-sender.js';
import type { TextStore } from '../../../sdk/session/text-store.js';
import type { RelayGateway } from '../../support/relay-gateway.js';
import { closeAll, startPair, waitFor } from '../../support/session-pair.js';

/** A TextStore on a Map, as a page's sessionStorage behaves. */
function mapStore(): TextStore & { readonly map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    get: (name) => map.get(name),
    set: (name, value) => void map.set(name, value),
    remove: (name) => void map.delete(name),
  };
}

describe('transcript sender', () => {
  let relay: RelayGateway | undefined;
  afterEach(async () => {
    await closeAll(relay);
    relay = undefined;
  });

  it('records both ways in order and retries a failed post until stored', async () => {
    const pair = await startPair();
    relay = pair.relay;
    const stored: TranscriptEntry[] = [];
    let failuresLeft = 2;
    const post = async (messages: readonly TranscriptEntry[]) => {
      if (failuresLeft-- > 0) throw new Error('engine away');
      stored.push(...messages);
    };
    const techChat = new ChatChannel(pair.technician);
    const userChat = new ChatChannel(pair.endUser);
    const sender = new TranscriptSender(pair.technician, techChat, post, {
      delayMs: 5,
      retryMs: 10,
    });
    await sender.send('How can I help?').delivered;
    await userChat.send('The screen is blank').delivered;
    await waitFor(() => stored.length === 2, 'both messages stored');
    await sender.flush();

    expect(stored.map((entry) => [entry.from, entry.participantId, entry.text])).to.deep.equal([
      ['technician', 'tech-1', 'How can I help?'],
      ['end-user', 'user-1', 'The screen is blank'],
    ]);
    expect(failuresLeft).to.equal(-1);
    sender.dispose();
  });

  it('posts in batches of at most the batch size, oldest first', async () => {
    const pair = await startPair();
    relay = pair.relay;
    const posts: number[] = [];
    const sender = new TranscriptSender(
      pair.technician,
      new ChatChannel(pair.technician),
      async (messages) => void posts.push(messages.length),
      { batch: 3, delayMs: 1_000 },
    );
    for (let i = 0; i < 7; i++) sender.send(`line ${i}`);
    await sender.flush();
    expect(posts).to.deep.equal([3, 3, 1]);
    sender.dispose();
  });

  it('gives up flushing after bounded tries when the engine never answers', async () => {
    const pair = await startPair();
    relay = pair.relay;
    let tries = 0;
    const sender = new TranscriptSender(
      pair.technician,
      new ChatChannel(pair.technician),
      async () => {
        tries++;
        throw new Error('down');
      },
      { retryMs: 0 },
    );
    sender.send('lost in space');
    let failed = false;
    await sender.flush().catch(() => (failed = true));
    expect(failed).to.equal(true);
    expect(tries).to.be.at.least(100);
    sender.dispose();
  });

  it('keeps what is not stored yet in its store, and a new sender posts it', async () => {
    const pair = await startPair();
    relay = pair.relay;
    const store = mapStore();
    const chat = new ChatChannel(pair.technician);
    const unreachable = () => Promise.reject(new Error('the engine is away'));
    const away = new TranscriptSender(pair.technician, chat, unreachable, {
      delayMs: 5,
      retryMs: 10_000,
      store,
    });
    away.send('written before the reload');
    await waitFor(() => store.map.has('transcript'), 'kept');
    // A reload: the page goes without disposing anything; a new sender finds the entry.
    const stored: TranscriptEntry[] = [];
    const post = async (messages: readonly TranscriptEntry[]) => void stored.push(...messages);
    const back = new TranscriptSender(pair.technician, chat, post, { store });
    await back.flush();
    expect(stored.map((entry) => entry.text)).to.deep.equal(['written before the reload']);
    expect(store.map.has('transcript'), 'removed once stored').to.equal(false);
    away.dispose();
    back.dispose();
  });

  it('drops kept entries it cannot read, and removes them at dispose', async () => {
    const pair = await startPair();
    relay = pair.relay;
    const chat = new ChatChannel(pair.technician);
    const posted: number[] = [];
    const post = async (messages: readonly TranscriptEntry[]) => void posted.push(messages.length);
    for (const bad of ['not json', '[{"id":"a","from":"robot"}]', '{"id":"a"}']) {
      const store = mapStore();
      store.map.set('transcript', bad);
      const sender = new TranscriptSender(pair.technician, chat, post, { store });
      await sender.flush();
      expect(store.map.has('transcript'), bad).to.equal(false);
      sender.dispose();
    }
    expect(posted).to.deep.equal([]);
    const store = mapStore();
    const sender = new TranscriptSender(pair.technician, chat, () => new Promise(() => {}), {
      delayMs: 60_000,
      store,
    });
    sender.send('never posted');
    expect(store.map.has('transcript')).to.equal(true);
    sender.dispose();
    expect(store.map.has('transcript'), 'dropped from the store too').to.equal(false);
  });
});
