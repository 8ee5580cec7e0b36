import { Validator } from '@seriousme/openapi-schema-validator';
import { expect } from 'chai';
import type { TenantId } from '../../../engine/contracts/storage-contract.js';
import { startTestEngine, type TestEngine } from '../../../sdk/testing/test-engine.js';
import {
  ADMIN_PASSWORD,
  auditOf,
  expectError,
  addGroup,
  signedInMember,
  type SignedInMember,
} from '../../support/identity-helpers.js';
import { inviteCollaborator, openSession } from '../../support/session-helpers.js';
import {
  allow,
  CHAT_BASE as BASE,
  ChatApi,
  items,
  masterOfNewTenant,
  message,
  sentAt,
  setChatText,
  type Stored,
} from './chat-fixtures.js';

describe('built-in plugin chat', function () {
  this.timeout(60_000);
  let engine: TestEngine;
  let chat: ChatApi;
  let tenantId: TenantId;
  let master: Record<string, string>;
  let alice: SignedInMember;
  let bob: SignedInMember;
  let carol: SignedInMember;
  let otherMaster: Record<string, string>;
  let otherTenantId: TenantId;
  /** Sessions made through the sessions service; their refs are drawn by the engine. */
  const ref = { store: '', omit: '', bob: '', race: '', foreign: '' };
  const key = (session: string, id: string) => `${session}/${id}`;
  const post = (ref: string, headers: Record<string, string>, messages: unknown) =>
    chat.post(ref, headers, messages);
  const transcript = (ref: string, headers: Record<string, string>, query = '') =>
    chat.transcript(ref, headers, query);
  const search = (headers: Record<string, string>, query: Record<string, string>) =>
    chat.search(headers, query);
  const records = (tenant: TenantId = tenantId) => chat.records(tenant);

  before(async () => {
    engine = await startTestEngine();
    chat = new ChatApi(engine);
    tenantId = engine.firstStart!.tenantId;
    master = await engine.signInFirstAdmin(ADMIN_PASSWORD);
    const groupId = await addGroup(engine, 'Helpdesk');
    await allow(engine, master, groupId, 'collaboration');
    await allow(engine, master, groupId, 'transfer-sessions');
    alice = await signedInMember(engine, 'alice@chat.test', 'technician', { groupId });
    bob = await signedInMember(engine, 'bob@chat.test', 'technician', { groupId });
    // Carol sits in the same group: she sees its sessions, but takes part in none of them.
    carol = await signedInMember(engine, 'carol@chat.test', 'technician', { groupId });
    const other = await masterOfNewTenant(engine, 'Other tenant');
    otherMaster = other.headers;
    otherTenantId = other.id;
    ref.store = await openSession(engine, alice.headers);
    await inviteCollaborator(engine, alice.headers, ref.store, bob.id);
    ref.omit = await openSession(engine, alice.headers);
    ref.bob = await openSession(engine, bob.headers);
    ref.race = await openSession(engine, alice.headers);
    ref.foreign = await openSession(engine, otherMaster);
    const foreign = await post(ref.foreign, otherMaster, [message('f1', 12, 'other tenant')]);
    expect(foreign.status, foreign.text).to.equal(200);
  });
  after(() => engine?.stop());

  it('loads with the engine, as every built-in plugin does', () => {
    const status = engine.engine.plugins().find((plugin) => plugin.name === 'chat');
    expect(status).to.include({ state: 'active', origin: 'built-in' });
  });

  it('documents its three routes under the chat tag in a valid OpenAPI document', async () => {
    const document = (await engine.request('/api/v1/openapi.json')).json as {
      paths: Record<string, Record<string, { operationId?: string; tags?: string[] }>>;
    };
    const result = await new Validator().validate(document);
    expect(result.errors, JSON.stringify(result.errors)).to.equal(undefined);
    const operations = [
      document.paths[`${BASE}/sessions/{ref}/messages`]?.post,
      document.paths[`${BASE}/transcripts`]?.get,
      document.paths[`${BASE}/sessions/{ref}/transcript`]?.get,
    ];
    expect(operations.map((operation) => operation?.operationId)).to.deep.equal([
      'postChatMessages',
      'listChatTranscripts',
      'getChatTranscript',
    ]);
    for (const operation of operations) expect(operation?.tags).to.deep.equal(['chat']);
  });

  it("stores a technician's messages and gives them back by time sent, then id", async () => {
    const answer = await post(ref.store, alice.headers, [
      message('m3', 20, 'third, said later'),
      message('m1', 10, 'Hello, how can I help?'),
      message('m2b', 15, 'same second, id after m2a', 'end-user'),
      message('m2a', 15, 'My printer is on fire', 'end-user'),
    ]);
    expect(answer.status, answer.text).to.equal(200);
    expect(answer.json).to.deep.equal({ stored: 4, duplicates: 0 });

    const read = await transcript(ref.store, alice.headers);
    expect(read.status, read.text).to.equal(200);
    expect(items(read).map((m) => [m.id, m.text])).to.deep.equal([
      ['m1', 'Hello, how can I help?'],
      ['m2a', 'My printer is on fire'],
      ['m2b', 'same second, id after m2a'],
      ['m3', 'third, said later'],
    ]);
    expect(items(read)[0]).to.include({ session: ref.store, length: 22, storedBy: alice.id });
    expect(items(read)[0]).to.include({ sentAt: sentAt(10), from: 'technician' });
  });

  it('stores nothing twice when a message is sent again, even with another text', async () => {
    const again = await post(ref.store, alice.headers, [
      message('m1', 10, 'Hello, how can I help? (resent, altered)'),
      message('m4', 30, 'a new one'),
      message('m4', 30, 'a new one'),
    ]);
    expect(again.status, again.text).to.equal(200);
    expect(again.json).to.deep.equal({ stored: 1, duplicates: 2 });
    const stored = (await records().list('message')).items.filter((r) =>
      r.key.startsWith(`${ref.store}/`),
    );
    expect(stored.map((r) => r.key)).to.deep.equal([
      key(ref.store, 'm1'),
      key(ref.store, 'm2a'),
      key(ref.store, 'm2b'),
      key(ref.store, 'm3'),
      key(ref.store, 'm4'),
    ]);
    const first = items(await transcript(ref.store, bob.headers))[0];
    expect(first?.text).to.equal('Hello, how can I help?');
  });

  it('stores each message once when the same post arrives twice at once', async () => {
    const batch = [message('r1', 50, 'racing one'), message('r2', 51, 'racing two')];
    const answers = await Promise.all([
      post(ref.race, alice.headers, batch),
      post(ref.race, alice.headers, batch),
    ]);
    const counts = answers.map((answer) => answer.json as { stored: number; duplicates: number });
    expect(counts.map((count) => count.stored + count.duplicates)).to.deep.equal([2, 2]);
    expect(counts[0]!.stored + counts[1]!.stored).to.equal(2);
    expect(items(await transcript(ref.race, alice.headers)).map((m) => m.id)).to.deep.equal([
      'r1',
      'r2',
    ]);
  });

  it('keeps the text only sealed at rest: the record does not hold the plaintext', async () => {
    const record = await records().get('message', key(ref.store, 'm2a'));
    const raw = JSON.stringify(record?.value);
    expect(raw).not.to.contain('printer');
    expect((record?.value as { text?: string }).text).to.match(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(record?.value).not.to.have.property('textOmitted');
  });

  it('stores the metadata but no text when the tenant policy omits chat text', async () => {
    await setChatText(engine, master, 'omit');
    const answer = await post(ref.omit, alice.headers, [
      message('o1', 40, 'secret password is hunter2', 'end-user'),
    ]).finally(() => setChatText(engine, master, 'store'));
    expect(answer.json).to.deep.equal({ stored: 1, duplicates: 0 });
    const audited = (await auditOf(engine, 'chat.transcript-stored')).at(-1);
    expect(audited?.details).to.deep.include({ stored: 1, textOmitted: true });
    const record = await records().get('message', key(ref.omit, 'o1'));
    expect(record?.value).not.to.have.property('text');
    expect(JSON.stringify(record?.value)).not.to.contain('hunter2');
    expect(record?.value).to.include({ id: 'o1', from: 'end-user', length: 26, textOmitted: true });

    const read = items(await transcript(ref.omit, master));
    expect(read).to.have.length(1);
    expect(read[0]).to.include({ id: 'o1', textOmitted: true, participantId: 'user-1' });
    expect(read[0]).not.to.have.property('text');
  });

  it('lets administrators search by session, technician and period, page by page', async () => {
    await post(ref.bob, bob.headers, [message('b1', 25, 'bob speaking')]);
    const ids = async (query: Record<string, string>) => {
      const answer = await search(master, query);
      expect(answer.status, answer.text).to.equal(200);
      return items(answer).map((m) => `${m.session}/${m.id}`);
    };
    expect(await ids({})).to.deep.equal([
      key(ref.store, 'm1'),
      key(ref.store, 'm2a'),
      key(ref.store, 'm2b'),
      key(ref.store, 'm3'),
      key(ref.bob, 'b1'),
      key(ref.store, 'm4'),
      key(ref.omit, 'o1'),
      key(ref.race, 'r1'),
      key(ref.race, 'r2'),
    ]);
    expect(await ids({ session: ref.bob })).to.deep.equal([key(ref.bob, 'b1')]);
    expect(await ids({ technician: bob.id })).to.have.length(6);
    expect(await ids({ technician: carol.id })).to.deep.equal([]);
    expect(await ids({ technician: alice.id, session: ref.bob })).to.deep.equal([]);
    expect(await ids({ from: sentAt(15), to: sentAt(30) })).to.deep.equal([
      key(ref.store, 'm2a'),
      key(ref.store, 'm2b'),
      key(ref.store, 'm3'),
      key(ref.bob, 'b1'),
    ]);

    const seen: string[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 10; pages += 1) {
      const answer = await search(master, { limit: '3', ...(after ? { after } : {}) });
      const page = answer.json as { items: Stored[]; next?: string };
      seen.push(...page.items.map((m) => m.id));
      after = page.next;
      if (!after) break;
    }
    expect(seen).to.deep.equal(['m1', 'm2a', 'm2b', 'm3', 'b1', 'm4', 'o1', 'r1', 'r2']);
  });

  it("shows another tenant's master administrator nothing of this tenant", async () => {
    const all = await search(otherMaster, {});
    expect(all.status, all.text).to.equal(200);
    expect(items(all).map((m) => `${m.session}/${m.id}`)).to.deep.equal([key(ref.foreign, 'f1')]);
    expect(items(await search(otherMaster, { session: ref.store }))).to.deep.equal([]);
    expect(items(await search(otherMaster, { technician: alice.id }))).to.deep.equal([]);
    expectError(await transcript(ref.store, otherMaster), 404, 'TETHER_E_NOT_FOUND');
    const foreign = await post(ref.store, otherMaster, [message('x1', 1, 'intruder')]);
    expectError(foreign, 404, 'TETHER_E_NOT_FOUND');
    expect(await records().get('message', key(ref.store, 'x1'))).to.equal(undefined);
    expect(await records(otherTenantId).get('message', key(ref.store, 'x1'))).to.equal(undefined);
  });

  it("shows this tenant's master administrator nothing of the other tenant", async () => {
    expect(items(await search(master, { session: ref.foreign }))).to.deep.equal([]);
    expectError(await transcript(ref.foreign, master), 404, 'TETHER_E_NOT_FOUND');
    const intruding = await post(ref.foreign, alice.headers, [message('x2', 1, 'intruder')]);
    expectError(intruding, 404, 'TETHER_E_NOT_FOUND');
    const theirs = await records(otherTenantId).list('message');
    expect(theirs.items.map((r) => r.key)).to.deep.equal([key(ref.foreign, 'f1')]);
  });

  it('refuses a technician who did not take part in the session with 403', async () => {
    // The sessions service shows Carol her group's session; chat still wants a participant.
    const seen = await engine.request(`/api/v1/sessions/${ref.store}`, { headers: carol.headers });
    expect(seen.status, seen.text).to.equal(200);
    const refused = await post(ref.store, carol.headers, [message('c1', 1, 'not mine')]);
    expectError(refused, 403, 'TETHER_E_FORBIDDEN');
    expect(await records().get('message', key(ref.store, 'c1'))).to.equal(undefined);
    expectError(await transcript(ref.store, carol.headers), 403, 'TETHER_E_FORBIDDEN');
    expectError(await transcript(ref.bob, alice.headers), 403, 'TETHER_E_FORBIDDEN');
    expectError(await search(alice.headers, {}), 403, 'TETHER_E_FORBIDDEN');
    expectError(
      await post(ref.bob, master, [message('c2', 1, 'admin')]),
      403,
      'TETHER_E_FORBIDDEN',
    );
  });

  it('lets a technician transferred away read only what was said before they left', async () => {
    const moved = await openSession(engine, alice.headers);
    const early = await post(moved, alice.headers, [message('t1', 1, 'alice was here')]);
    expect(early.status, early.text).to.equal(200);
    const transfer = await engine.request(`/api/v1/sessions/${moved}/transfer`, {
      method: 'POST',
      headers: alice.headers,
      body: { memberId: bob.id },
    });
    expect(transfer.status, transfer.text).to.equal(200);
    const later = await post(moved, bob.headers, [message('t2', 2, 'after alice left')]);
    expect(later.status, later.text).to.equal(200);
    // Alice's console may still flush what it saw before the transfer.
    const flushed = await post(moved, alice.headers, [message('t0', 0, 'alice flushed')]);
    expect(flushed.status, flushed.text).to.equal(200);

    const ids = async (headers: Record<string, string>) =>
      items(await transcript(moved, headers)).map((m) => m.id);
    expect(await ids(alice.headers)).to.deep.equal(['t0', 't1']);
    expect(await ids(bob.headers)).to.deep.equal(['t0', 't1', 't2']);
    expect(await ids(master)).to.deep.equal(['t0', 't1', 't2']);
  });

  it('answers 404 for an unknown session and 401 to nobody signed in', async () => {
    expectError(
      await post('S-NONE', alice.headers, [message('n1', 1, 'x')]),
      404,
      'TETHER_E_NOT_FOUND',
    );
    expectError(await transcript('S-NONE', master), 404, 'TETHER_E_NOT_FOUND');
    const wellFormed = 'SAAAAAAAAAA';
    expect(Object.values(ref)).not.to.include(wellFormed);
    expectError(
      await post(wellFormed, alice.headers, [message('n3', 1, 'x')]),
      404,
      'TETHER_E_NOT_FOUND',
    );
    expectError(await transcript(wellFormed, master), 404, 'TETHER_E_NOT_FOUND');
    expect((await post(ref.store, {}, [message('n2', 1, 'x')])).status).to.equal(401);
    expect((await transcript(ref.store, {})).status).to.equal(401);
    expect((await search({}, {})).status).to.equal(401);
  });

  it('refuses bad bodies and queries with 400 TETHER_E_VALIDATION, storing nothing', async () => {
    const good = message('v1', 1, 'fine');
    const bad: unknown[] = [
      [],
      Array.from({ length: 101 }, (_, i) => message(`many-${i}`, i, 'x')),
      [{ ...good, text: 'x'.repeat(16_385) }],
      [{ ...good, from: 'engine' }],
      [{ ...good, sentAt: 'yesterday' }],
      [{ ...good, id: '' }],
      [{ ...good, id: 'i'.repeat(65) }],
      [{ ...good, id: 'bad\u0000id' }],
      [{ ...good, participantId: undefined }],
      [{ ...good, participantId: 'has space' }],
      [{ ...good, text: 42 }],
      'not a list',
    ];
    for (const messages of bad) {
      expectError(await post(ref.store, alice.headers, messages), 400, 'TETHER_E_VALIDATION');
    }
    expectError(await post('bad%2Fref', alice.headers, [good]), 400, 'TETHER_E_VALIDATION');
    expect((await records().list('message')).items.map((r) => r.key)).not.to.include(
      key(ref.store, 'v1'),
    );
    const queries: Record<string, string>[] = [
      { from: 'soon' },
      { technician: 'not-a-uuid' },
      { limit: '0' },
      { after: '!!' },
    ];
    for (const query of queries) {
      expectError(await search(master, query), 400, 'TETHER_E_VALIDATION');
    }
  });

  it('audits each post once as chat.transcript-stored, with counts and no text', async () => {
    const before = (await auditOf(engine, 'chat.transcript-stored')).length;
    await post(ref.bob, bob.headers, [message('b1', 25, 'bob speaking'), message('b2', 26, 'bye')]);
    const records = await auditOf(engine, 'chat.transcript-stored');
    expect(records).to.have.length(before + 1);
    const last = records.at(-1)!;
    expect(last.actor).to.deep.include({ kind: 'member', id: bob.id });
    expect(last.target).to.deep.equal({ kind: 'session', id: ref.bob });
    expect(last.details).to.deep.equal({
      received: 2,
      stored: 1,
      duplicates: 1,
      textOmitted: false,
    });
    const all = JSON.stringify(await auditOf(engine, 'chat.transcript-stored'));
    for (const text of ['bob speaking', 'bye', 'printer', 'hunter2'])
      expect(all).not.to.contain(text);
  });

  it('marks a message whose sealed text was tampered with as unreadable', async () => {
    const record = await records().get('message', key(ref.bob, 'b2'));
    const value = record!.value as Record<string, string>;
    const [version, iv, tag, body] = value.text!.split('.');
    const flipped = Buffer.from(body!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    const text = [version, iv, tag, flipped.toString('base64url')].join('.');
    await records().put(
      'message',
      key(ref.bob, 'b2'),
      { ...value, text },
      { tags: [`session:${ref.bob}`], at: record!.at },
    );
    const read = items(await transcript(ref.bob, bob.headers));
    expect(read.map((m) => [m.id, m.text, m.textUnreadable])).to.deep.equal([
      ['b1', 'bob speaking', undefined],
      ['b2', undefined, true],
    ]);
  });

  it('still takes the messages of a session that has ended', async () => {
    const ended = await openSession(engine, alice.headers);
    const end = await engine.request(`/api/v1/sessions/${ended}/end`, {
      method: 'POST',
      headers: alice.headers,
      body: {},
    });
    expect(end.status, end.text).to.equal(200);
    expect((end.json as { state: string }).state).to.equal('closed');
    const late = await post(ended, alice.headers, [message('e1', 60, 'sent before the end')]);
    expect(late.status, late.text).to.equal(200);
    expect(late.json).to.deep.equal({ stored: 1, duplicates: 0 });
    const read = items(await transcript(ended, alice.headers));
    expect(read.map((m) => [m.id, m.text])).to.deep.equal([['e1', 'sent before the end']]);
  });
});
