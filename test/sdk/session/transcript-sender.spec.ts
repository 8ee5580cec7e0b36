import { expect } from 'chai';
import { ChatChannel } from '../../../sdk/session/chat-channel.js';
import { TranscriptSender, type TranscriptEntry } from '../../../sdk/session/transcript-sender.js';
import type { RelayGateway } from '../../support/relay-gateway.js';
import { closeAll, startPair, waitFor } from '../../support/session-pair.js';

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
});
