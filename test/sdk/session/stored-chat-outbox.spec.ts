import { expect } from 'chai';
import { StoredChatOutbox, type TextStore } from '../../../sdk/session/index.js';

/** A TextStore on a Map, as a page's sessionStorage behaves; `full` makes `set` throw. */
class MapStore implements TextStore {
  readonly map = new Map<string, string>();
  full = false;
  get = (name: string) => this.map.get(name);
  set = (name: string, value: string) => {
    if (this.full) throw new Error('QuotaExceededError');
    this.map.set(name, value);
  };
  remove = (name: string) => void this.map.delete(name);
}

const message = (id: string) => ({ id, text: `text ${id}`, sentAt: '2026-05-04T09:00:00.000Z' });

describe('StoredChatOutbox', () => {
  it('keeps messages in order under its name and forgets the name once empty', async () => {
    const store = new MapStore();
    const outbox = new StoredChatOutbox(store);
    await outbox.keep(message('a'));
    await outbox.keep(message('b'));
    await outbox.keep(message('a'));
    expect(await new StoredChatOutbox(store).load()).to.deep.equal([message('b'), message('a')]);
    await outbox.drop('b');
    await outbox.drop('unknown');
    await outbox.drop('a');
    expect([...store.map.keys()]).to.deep.equal([]);
    expect(await outbox.load()).to.deep.equal([]);
  });

  it('reports unreadable text on load and replaces it on the next change', async () => {
    const store = new MapStore();
    store.map.set('chat-outbox', '{"not":"a list"}');
    const outbox = new StoredChatOutbox(store);
    const error = await outbox.load().catch((caught: Error) => caught);
    expect(String(error)).to.contain('something other than messages');
    await outbox.keep(message('fresh'));
    expect(await outbox.load()).to.deep.equal([message('fresh')]);
  });

  it('rejects a keep when the store is full, and keeps what it had', async () => {
    const store = new MapStore();
    const outbox = new StoredChatOutbox(store, 'mine');
    await outbox.keep(message('a'));
    store.full = true;
    const error = await outbox.keep(message('b')).catch((caught: Error) => caught);
    expect(String(error)).to.contain('QuotaExceededError');
    expect(await outbox.load()).to.deep.equal([message('a')]);
  });
});
