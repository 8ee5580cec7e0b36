import { expect } from 'chai';
import { startTestEngine, type TestEngine } from '../../../sdk/testing/test-engine.js';
import {
  addGroup,
  expectError,
  signedInMember,
  type SignedInMember,
} from '../../support/identity-helpers.js';
import { parseCsv } from '../../support/parse-csv.js';
import { openSession } from '../../support/session-helpers.js';

const BASE = '/api/v1/plugins/chat';
const T0 = Date.parse('2026-05-04T09:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
const TRICKY = [
  '=HYPERLINK("http://evil.test","click")',
  '+1 555 0100, call me',
  '-2+3',
  '@SUM(A1:A2)',
  'two\nlines, "quoted"',
];

describe('chat transcripts by group, and as CSV', function () {
  this.timeout(60_000);
  let engine: TestEngine;
  let master: Record<string, string>;
  let alice: SignedInMember;
  let bob: SignedInMember;
  const group = { desk: '', field: '' };
  const ref = { alice: '', bob: '' };

  const post = (session: string, who: SignedInMember, texts: string[], from = 0) =>
    engine.request(`${BASE}/sessions/${session}/messages`, {
      method: 'POST',
      headers: who.headers,
      body: {
        messages: texts.map((text, i) => ({
          id: `m${from + i}`,
          from: i % 2 === 0 ? 'end-user' : 'technician',
          participantId: i % 2 === 0 ? 'user-1' : 'tech-1',
          sentAt: at(from + i),
          text,
        })),
      },
    });
  const csv = async (query: Record<string, string>) => {
    const answer = await engine.request(
      `${BASE}/transcripts.csv?${new URLSearchParams(query).toString()}`,
      { headers: master },
    );
    expect(answer.status, answer.text).to.equal(200);
    expect(String(answer.headers['content-type'])).to.match(/^text\/csv/);
    return { answer, rows: parseCsv(answer.text) };
  };

  before(async () => {
    engine = await startTestEngine();
    master = await engine.signInFirstAdmin();
    group.desk = await addGroup(engine, 'Desk');
    group.field = await addGroup(engine, 'Field');
    alice = await signedInMember(engine, 'alice@csv.test', 'technician', { groupId: group.desk });
    bob = await signedInMember(engine, 'bob@csv.test', 'technician', { groupId: group.field });
    ref.alice = await openSession(engine, alice.headers);
    ref.bob = await openSession(engine, bob.headers);
    expect((await post(ref.alice, alice, TRICKY)).status).to.equal(200);
    expect((await post(ref.bob, bob, ['field work', 'on my way'], 100)).status).to.equal(200);
  });
  after(() => engine?.stop());

  it("finds a group's transcripts and no other group's", async () => {
    const search = (groupId: string) =>
      engine.request(`${BASE}/transcripts?group=${groupId}`, { headers: master });
    const desk = (await search(group.desk)).json as { items: { session: string; group: string }[] };
    expect(desk.items).to.have.length(TRICKY.length);
    expect(desk.items.every((m) => m.session === ref.alice && m.group === group.desk)).to.equal(
      true,
    );
    const field = (await search(group.field)).json as { items: { session: string }[] };
    expect(field.items.map((m) => m.session)).to.deep.equal([ref.bob, ref.bob]);
  });

  it('exports every message with its text, quoted and safe from formulas', async () => {
    const { answer, rows } = await csv({ group: group.desk });
    expect(String(answer.headers['content-disposition'])).to.include('chat-transcripts.csv');
    const [header, ...lines] = rows;
    expect(header).to.deep.equal([
      'session',
      'id',
      'sentAt',
      'from',
      'participantId',
      'storedBy',
      'length',
      'text',
      'textStatus',
    ]);
    expect(lines).to.have.length(TRICKY.length);
    const texts = lines.map((line) => line[7]);
    expect(texts).to.deep.equal([
      `'${TRICKY[0]}`,
      `'${TRICKY[1]}`,
      `'${TRICKY[2]}`,
      `'${TRICKY[3]}`,
      TRICKY[4],
    ]);
    expect(lines[0]).to.deep.equal([
      ref.alice,
      'm0',
      at(0),
      'end-user',
      'user-1',
      alice.id,
      String(TRICKY[0]!.length),
      `'${TRICKY[0]}`,
      'stored',
    ]);
  });

  it('exports by period and session too', async () => {
    const { rows } = await csv({ from: at(100), to: at(101) });
    expect(rows.slice(1).map((line) => [line[0], line[7]])).to.deep.equal([
      [ref.bob, 'field work'],
    ]);
    const bySession = await csv({ session: ref.alice });
    expect(bySession.rows).to.have.length(TRICKY.length + 1);
  });

  it('refuses the export to technicians, even of their own sessions', async () => {
    const answer = await engine.request(`${BASE}/transcripts.csv`, { headers: alice.headers });
    expectError(answer, 403, 'TETHER_E_FORBIDDEN');
  });

  it('refuses a malformed group', async () => {
    const answer = await engine.request(`${BASE}/transcripts.csv?group=x`, { headers: master });
    expectError(answer, 400, 'TETHER_E_VALIDATION');
  });
});
