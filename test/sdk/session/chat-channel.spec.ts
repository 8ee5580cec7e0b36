import { expect } from 'chai';
import { ChatChannel, type ChatMessage } from '../../../sdk/session/index.js';
import type { RelayGateway } from '../../support/relay-gateway.js';
import { closeAll, startPair, waitFor } from '../../support/session-pair.js';

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
});
