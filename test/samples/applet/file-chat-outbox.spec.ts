import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { FileChatOutbox } from '../../../samples/applet/file-chat-outbox.js';

const message = (id: string) => ({ id, text: `text ${id}`, sentAt: '2026-05-04T09:00:00.000Z' });

describe('the applet chat outbox file', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tether-outbox-'));
    file = path.join(dir, 'tether-session.json.outbox.json');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('starts empty without a file, and a later run loads what is kept, in order', async () => {
    const first = new FileChatOutbox(file);
    expect(await first.load()).to.deep.equal([]);
    await first.keep(message('a'));
    await first.keep(message('b'));
    await first.keep(message('c'));
    await first.drop('b');
    // A restart: a new outbox on the same file.
    expect(await new FileChatOutbox(file).load()).to.deep.equal([message('a'), message('c')]);
    expect((await stat(file)).mode & 0o777, 'owner only').to.equal(0o600);
    expect(await readdir(dir), 'no temporary file left').to.deep.equal([path.basename(file)]);
  });

  it('adds a message kept before the first load after those the file holds', async () => {
    await writeFile(file, JSON.stringify([message('old')]));
    const outbox = new FileChatOutbox(file);
    const keeping = outbox.keep(message('new'));
    expect(await outbox.load()).to.deep.equal([message('old'), message('new')]);
    await keeping;
    await outbox.drop('unknown');
    expect(await new FileChatOutbox(file).load()).to.deep.equal([message('old'), message('new')]);
  });

  it('refuses a file that is not a list of messages, and the next change replaces it', async () => {
    for (const [text, why] of [
      ['{ not json', 'not JSON'],
      ['{"id":"a"}', 'something other than messages'],
      ['[{"id":"a","text":1,"sentAt":"x"}]', 'something other than messages'],
    ]) {
      await writeFile(file, text!);
      const outbox = new FileChatOutbox(file);
      const error = await outbox.load().catch((caught: Error) => caught);
      expect(String(error), text).to.contain(why);
      await outbox.keep(message('fresh'));
      expect(await new FileChatOutbox(file).load()).to.deep.equal([message('fresh')]);
    }
  });

  it('removes the file once the session is over', async () => {
    const outbox = new FileChatOutbox(file);
    await outbox.keep(message('a'));
    await outbox.clear();
    expect(await readdir(dir)).to.deep.equal([]);
    await outbox.clear();
  });
});
