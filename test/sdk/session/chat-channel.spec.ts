import { expect } from 'chai';
import {
  ChatChannel,
  type ChatMessage,
  type ChatOutbox,
  type OutgoingChat,
} from '../../../sdk/session/index.js';
import type { RelayGateway } from '../../support/relay-gateway.js';
import { closeAll, startPair, waitFor } from '../../support/session-pair.js';

/** An outbox in memory that notes each call, standing in for a file a restart keeps. */
class NotingOutbox implements ChatOutbox {
  readonly calls: string[] = [];
  constructor(public kept: OutgoingChat[] = []) {}
  async load() {
    this.calls.push('load');
    return this.kept;
  }
  async keep(message: OutgoingChat) {
    this.calls.push(`keep ${message.text}`);
    this.kept = [...this.kept, message];
  }
  async drop(id: string) {
    this.calls.push(`drop ${id}`);
    this.kept = this.kept.filter((message) => message.id !== id);
  }
}

describe('chat channel', () => {
  let relay: RelayGateway | undefined;
  afterEach(async () => {
    await closeAll(relay);
    relay = undefined;
  });

  it('chats both ways with ids, senders and times, and the relay sees no text', async () => {
    const pair = await startPair();
    relay = pair.relay;
    const techChat = new ChatChannel(pair.technician);
    const userChat = new ChatChannel(pair.endUser);
    const atUser: ChatMessage[] = [];
    const atTech: ChatMessage[] = [];
    userChat.on('message', (m) => atUser.push(m));
    techChat.on('message', (m) => atTech.push(m));

    const hello = techChat.send('Hello, I am Kim from support');
    await hello.delivered;
    await userChat.send('Hi Kim, my printer is on fire').delivered;
    await waitFor(() => atTech.length === 1, 'the technician got the answer');

    expect(atUser.map((m) => [m.id, m.text, m.from])).to.deep.equal([
      [hello.id, 'Hello, I am Kim from support', 'tech-1'],
    ]);
    expect(atTech.map((m) => [m.text, m.from])).to.deep.equal([
      ['Hi Kim, my printer is on fire', 'user-1'],
    ]);
    expect(Date.parse(atUser[0]!.sentAt)).to.be.closeTo(Date.now(), 5000);
    expect(relay.allBytes().includes('printer')).to.equal(false);
  });

  it('drops a message whose id it has seen from that sender', async () => {
    const pair = await startPair();
    relay = pair.relay;
    const userChat = new ChatChannel(pair.endUser);
    const seen: string[] = [];
    userChat.on('message', (m) => seen.push(m.text));
    const body = { type: 'message', id: 'same', text: 'once', sentAt: new Date().toISOString() };
    await pair.technician.sendJson('user-1', 'chat', body);
    await pair.technician.sendJson('user-1', 'chat', { ...body, text: 'twice' });
    await pair.technician.sendJson('user-1', 'chat', { ...body, id: 'other', text: 'other' });
    expect(seen).to.deep.equal(['once', 'other']);
  });

  it('sends typing on and off, and turns it off by itself after the idle time', async () => {
    const pair = await startPair();
    relay = pair.relay;
    const techChat = new ChatChannel(pair.technician, { typingIdleMs: 150 });
    const userChat = new ChatChannel(pair.endUser);
    const typing: boolean[] = [];
    userChat.on('typing', (t) => typing.push(t.typing));

    techChat.setTyping(true);
    techChat.setTyping(true);
    await waitFor(() => typing.length === 1, 'typing arrived');
    await waitFor(() => typing.length === 2, 'typing turned off by itself');
    techChat.setTyping(true);
    await waitFor(() => typing.length === 3, 'typing again');
    await techChat.send('done typing').delivered;
    await waitFor(() => typing.length === 4, 'sending turned typing off');
    expect(typing).to.deep.equal([true, false, true, false]);
    techChat.dispose();
  });

  it('rejects delivery with no peer to send to', async () => {
    const pair = await startPair();
    relay = pair.relay;
    relay.remove('user-1');
    await waitFor(() => pair.technician.peers().length === 0, 'the end user is gone');
    const chat = new ChatChannel(pair.technician);
    const reason = await chat.send('anyone?').delivered.catch((e) => e.reason);
    expect(reason).to.equal('unknown-peer');
  });

  it('keeps a message in the outbox until acknowledged, in the order sent', async () => {
    const pair = await startPair();
    relay = pair.relay;
    const outbox = new NotingOutbox();
    const userChat = new ChatChannel(pair.endUser, { outbox });
    const atTech: string[] = [];
    new ChatChannel(pair.technician).on('message', (m) => atTech.push(m.text));
    const first = userChat.send('first');
    const second = userChat.send('second');
    await Promise.all([first.delivered, second.delivered]);
    await waitFor(() => outbox.kept.length === 0, 'both dropped');
    expect(outbox.calls.slice(0, 3)).to.deep.equal(['load', 'keep first', 'keep second']);
    const drops = [`drop ${first.id}`, `drop ${second.id}`].sort();
    expect(outbox.calls.slice(3).sort(), 'each dropped once delivered').to.deep.equal(drops);
    expect(atTech).to.deep.equal(['first', 'second']);
  });

  it('sends what an earlier run kept again, once, under its id and time', async () => {
    const pair = await startPair();
    relay = pair.relay;
    const atTech: ChatMessage[] = [];
    new ChatChannel(pair.technician).on('message', (m) => atTech.push(m));
    // `arrived` reached the technician before the crash; only its acknowledgement was lost.
    const arrived = { id: 'kept-1', text: 'arrived', sentAt: '2026-05-04T09:00:00.000Z' };
    await pair.endUser.sendJson('tech-1', 'chat', { type: 'message', ...arrived });
    const lost = { id: 'kept-2', text: 'lost', sentAt: '2026-05-04T09:00:01.000Z' };
    const outbox = new NotingOutbox([arrived, lost]);
    const userChat = new ChatChannel(pair.endUser, { outbox });
    const resent: string[] = [];
    userChat.on('resent', (sent) => {
      resent.push(sent.text);
      void sent.delivered.then(() => resent.push(`delivered ${sent.id}`));
    });
    await waitFor(() => outbox.kept.length === 0, 'the kept messages were delivered');
    await waitFor(() => resent.length === 4, 'both resends reported');
    expect(atTech.map((m) => [m.id, m.text, m.sentAt])).to.deep.equal([
      ['kept-1', 'arrived', arrived.sentAt],
      ['kept-2', 'lost', lost.sentAt],
    ]);
    expect(resent.slice(0, 2)).to.deep.equal(['arrived', 'lost']);
  });

  it('keeps what an earlier run kept while no peer is there to send it to', async () => {
    const pair = await startPair();
    relay = pair.relay;
    relay.remove('user-1');
    await waitFor(() => pair.technician.peers().length === 0, 'the end user is gone');
    const kept = { id: 'later', text: 'for whoever comes', sentAt: new Date().toISOString() };
    const outbox = new NotingOutbox([kept]);
    new ChatChannel(pair.technician, { outbox });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(outbox.kept, 'nobody to send to: still kept').to.deep.equal([kept]);
  });
});
