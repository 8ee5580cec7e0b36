import { expect } from 'chai';
import type { ContentCipher } from '../../../engine/contracts/content-cipher-contract.js';
import type { PluginData } from '../../../engine/contracts/plugin-data-contract.js';
import type { SupportSessionSummary } from '../../../engine/contracts/sessions-contract.js';
import type { TenantId } from '../../../engine/contracts/storage-contract.js';
import { TetherError } from '../../../engine/errors.js';
import { ChatTranscripts } from '../../../plugins/chat/chat-transcripts.js';
import {
  openStorage,
  silentLogger,
  sqliteMemoryFixture,
  type OpenStorage,
} from '../../adapters/storage-sequelize/storage-fixtures.js';
import { TestClock } from '../../support/test-clock.js';

/** A cipher that seals reversibly and fails to open as told: the plugin's handling is tested. */
class ScriptedCipher implements ContentCipher {
  failure?: TetherError;

  async seal(_tenant: TenantId, purpose: string, plain: string): Promise<string> {
    return `sealed:${purpose}:${Buffer.from(plain).toString('base64url')}`;
  }

  async open(_tenant: TenantId, purpose: string, sealed: string): Promise<string> {
    if (this.failure) throw this.failure;
    const prefix = `sealed:${purpose}:`;
    if (!sealed.startsWith(prefix)) throw new TetherError('TETHER_E_DECRYPT', 'wrong purpose');
    return Buffer.from(sealed.slice(prefix.length), 'base64url').toString('utf8');
  }
}

const message = (id: string, text = `text of ${id}`) => ({
  id,
  from: 'technician' as const,
  participantId: 'tech-1',
  sentAt: '2026-05-04T09:00:00.000Z',
  text,
});

describe('ChatTranscripts', () => {
  const fixture = sqliteMemoryFixture();
  let opened: OpenStorage;
  let tenantId: TenantId;
  let transcripts: ChatTranscripts;
  const cipher = new ScriptedCipher();

  const session = (ref: string, extra: Partial<SupportSessionSummary> = {}) =>
    ({
      tenantId,
      ref,
      state: 'active',
      technicianIds: ['t-1'],
      seatedTechnicianIds: ['t-1'],
      policy: { chatText: 'store' },
      createdAt: new Date(),
      ...extra,
    }) as SupportSessionSummary;

  before(async () => {
    opened = openStorage(fixture, await fixture.fresh());
    await opened.storage.migrate();
    tenantId = (await opened.storage.tenants.create('chat unit')).id;
    const data: PluginData = {
      forTenant: (id) => opened.storage.forTenant(id).pluginRecords('chat'),
    };
    transcripts = new ChatTranscripts(data, cipher, new TestClock(), silentLogger);
  });
  after(async () => {
    await opened?.storage.close();
    await fixture.tearDown();
  });
  afterEach(() => (cipher.failure = undefined));

  it('omits the text under any chatText policy but store, fail closed', async () => {
    for (const [ref, chatText] of [
      ['P-1', 'maybe'],
      ['P-2', false],
      ['P-3', 'omit'],
    ] as const) {
      const outcome = await transcripts.store(session(ref, { policy: { chatText } }), 't-1', [
        message('m1', 'do not keep'),
      ]);
      expect(outcome, ref).to.deep.equal({ stored: 1, duplicates: 0, textOmitted: true });
    }
    const page = await transcripts.search(tenantId, {}, {});
    expect(page.items.map((item) => item.textOmitted)).to.deep.equal([true, true, true]);
    const raw = await opened.storage.forTenant(tenantId).pluginRecords('chat').list('message');
    expect(JSON.stringify(raw.items)).not.to.contain('do not keep');
  });

  it('indexes a session of many technicians within the storage limit of tags', async () => {
    const technicianIds = Array.from({ length: 40 }, (_, i) => `t-${i}`);
    const big = session('BIG', { technicianIds });
    expect(await transcripts.store(big, 't-39', [message('m1')])).to.include({ stored: 1 });
    const byPoster = await transcripts.search(tenantId, { technician: 't-39' }, {});
    expect(byPoster.items.map((item) => item.session)).to.deep.equal(['BIG']);
  });

  it('shows a seenBy search only what was stored while that member was seated', async () => {
    const both = { technicianIds: ['t-1', 't-2'], seatedTechnicianIds: ['t-1', 't-2'] };
    await transcripts.store(session('MOVE', both), 't-2', [message('before')]);
    const moved = { technicianIds: ['t-1', 't-2'], seatedTechnicianIds: ['t-2'] };
    await transcripts.store(session('MOVE', moved), 't-2', [message('after')]);
    // A post by the member who left names them: they saw what they posted.
    await transcripts.store(session('MOVE', moved), 't-1', [message('flushed')]);
    const ids = async (seenBy: string) =>
      (await transcripts.search(tenantId, { session: 'MOVE', seenBy }, {})).items.map((m) => m.id);
    expect(await ids('t-1')).to.deep.equal(['before', 'flushed']);
    expect(await ids('t-2')).to.deep.equal(['after', 'before', 'flushed']);
    expect(await ids('t-3')).to.deep.equal([]);
    const page = await transcripts.search(tenantId, { session: 'MOVE' }, {});
    expect(page.items[0]).not.to.have.property('seenBy');
  });

  it('marks only a failed decryption unreadable; any other failure fails the search', async () => {
    await transcripts.store(session('FAIL'), 't-1', [message('m1')]);
    cipher.failure = new TetherError('TETHER_E_DECRYPT', 'tampered');
    const page = await transcripts.search(tenantId, { session: 'FAIL' }, {});
    expect(page.items[0]).to.include({ id: 'm1', textUnreadable: true });
    expect(page.items[0]).not.to.have.property('text');

    cipher.failure = new TetherError('TETHER_E_STORAGE', 'key store unreachable');
    let caught: unknown;
    try {
      await transcripts.search(tenantId, { session: 'FAIL' }, {});
    } catch (error) {
      caught = error;
    }
    expect(caught).to.have.property('code', 'TETHER_E_STORAGE');
  });

  it('binds each text to its session: a record moved to another one does not open', async () => {
    await transcripts.store(session('FROM'), 't-1', [message('m1', 'belongs to FROM')]);
    const records = opened.storage.forTenant(tenantId).pluginRecords('chat');
    const moved = await records.get('message', 'FROM/m1');
    const value = { ...(moved!.value as Record<string, unknown>), session: 'TO' };
    await records.put('message', 'TO/m1', value, { tags: ['session:TO'], at: moved!.at });
    const page = await transcripts.search(tenantId, { session: 'TO' }, {});
    expect(page.items[0]).to.include({ textUnreadable: true });
  });
});
