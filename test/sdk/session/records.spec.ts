import { expect } from 'chai';
import { InboundRecords } from '../../../sdk/session/inbound-records.js';
import { OutboundRecords, type PendingRecord } from '../../../sdk/session/outbound-records.js';
import { SessionClientError } from '../../../sdk/session/session-client-error.js';
import { decodeRecord, encodeControl, encodeData } from '../../../sdk/session/session-record.js';
import { hiddenClassCount } from '../../support/hidden-classes.js';

const bytes = (s: string) => Buffer.from(s, 'utf8');
const texts = (items: readonly { body: Uint8Array }[]) =>
  items.map((i) => Buffer.from(i.body).toString('utf8'));

describe('session records', () => {
  it('encodes DATA, ACK and RESUME as protocol.md lays them out', () => {
    expect(Buffer.from(encodeData(258, 'chat', bytes('hi'))).toString('hex')).to.equal(
      '01' + '00000102' + '04' + Buffer.from('chat').toString('hex') + '6869',
    );
    expect(Buffer.from(encodeControl('ack', 7)).toString('hex')).to.equal('0200000007');
    expect(Buffer.from(encodeControl('resume', 0)).toString('hex')).to.equal('0300000000');
    const data = decodeRecord(encodeData(9, 'consent', bytes('{}')));
    expect(data?.kind === 'data' && [data.seq, data.channel, texts([data])[0]]).to.deep.equal([
      9,
      'consent',
      '{}',
    ]);
  });

  it('refuses malformed records', () => {
    const bad = [
      new Uint8Array(0),
      Uint8Array.from([0x02, 0, 0, 0]),
      Uint8Array.from([0x02, 0, 0, 0, 1, 9]),
      Uint8Array.from([0x04, 0, 0, 0, 1]),
      Uint8Array.from([0x01, 0, 0, 0, 0, 1, 0x61]),
      Uint8Array.from([0x01, 0, 0, 0, 1, 5, 0x61]),
      Uint8Array.from([0x01, 0, 0, 0, 1, 1, 0x20]),
      Uint8Array.from([0x01, 0, 0, 0, 1, 0]),
    ];
    expect(bad.map((b) => decodeRecord(b))).to.deep.equal(bad.map(() => undefined));
  });

  it('delivers in order exactly once, holding records after a gap', () => {
    const inbound = new InboundRecords(3);
    expect(texts(inbound.receive(1, 'c', bytes('1')).deliver)).to.deep.equal(['1']);
    expect(inbound.receive(3, 'c', bytes('3')).note).to.equal('held');
    expect(inbound.receive(3, 'c', bytes('3')).note).to.equal('duplicate');
    expect(inbound.receive(4, 'c', bytes('4')).note).to.equal('held');
    expect(inbound.receive(1, 'c', bytes('1')).note).to.equal('duplicate');
    expect(texts(inbound.receive(2, 'c', bytes('2')).deliver)).to.deep.equal(['2', '3', '4']);
    expect(inbound.lastDelivered).to.equal(4);
  });

  it('holds at most its limit and drops the rest for the sender to resend', () => {
    const inbound = new InboundRecords(2);
    inbound.receive(3, 'c', bytes('3'));
    inbound.receive(4, 'c', bytes('4'));
    expect(inbound.receive(5, 'c', bytes('5')).note).to.equal('full');
    expect(texts(inbound.receive(1, 'c', bytes('1')).deliver)).to.deep.equal(['1']);
    expect(texts(inbound.receive(2, 'c', bytes('2')).deliver)).to.deep.equal(['2', '3', '4']);
    expect(texts(inbound.receive(5, 'c', bytes('5')).deliver)).to.deep.equal(['5']);
  });

  it('starts afresh after a reset', () => {
    const inbound = new InboundRecords();
    inbound.receive(1, 'c', bytes('1'));
    inbound.reset();
    expect(texts(inbound.receive(1, 'c', bytes('again')).deliver)).to.deep.equal(['again']);
  });

  it('keeps sends waiting while the window is full, first come first served', async () => {
    const admitted: PendingRecord[] = [];
    const outbound = new OutboundRecords({ maxRecords: 2, maxBytes: 1000 }, (r) =>
      admitted.push({ ...r }),
    );
    const settled: number[] = [];
    const sends = [1, 2, 3, 4].map((n) =>
      outbound.enqueue('c', bytes(String(n))).then(() => settled.push(n)),
    );
    expect(admitted.map((r) => r.seq)).to.deep.equal([1, 2]);

    expect(outbound.acknowledge(1)).to.equal(1);
    expect(admitted.map((r) => r.seq)).to.deep.equal([1, 2, 3]);
    outbound.acknowledge(3);
    expect(admitted.map((r) => r.seq)).to.deep.equal([1, 2, 3, 4]);
    expect(outbound.after(3).map((r) => r.seq)).to.deep.equal([4]);
    outbound.acknowledge(4);
    await Promise.all(sends);
    expect(settled).to.deep.equal([1, 2, 3, 4]);
  });

  it('keeps every pending record in one hidden class, however many go out', async () => {
    const admitted: PendingRecord[] = [];
    const outbound = new OutboundRecords({ maxRecords: 1000, maxBytes: 1 << 20 }, (r) =>
      admitted.push(r),
    );
    const sends = Array.from({ length: 64 }, (_, n) => outbound.enqueue('c', bytes(String(n))));
    expect(admitted).to.have.length(64);
    expect(hiddenClassCount(admitted)).to.be.at.most(2);
    outbound.acknowledge(64);
    await Promise.all(sends);
  });

  it('bounds the window in bytes too, but always lets one record through', () => {
    const admitted: number[] = [];
    const outbound = new OutboundRecords({ maxRecords: 100, maxBytes: 10 }, (r) =>
      admitted.push(r.seq),
    );
    void outbound.enqueue('c', new Uint8Array(50)).catch(() => undefined);
    void outbound.enqueue('c', new Uint8Array(5)).catch(() => undefined);
    expect(admitted).to.deep.equal([1]);
    outbound.acknowledge(1);
    expect(admitted).to.deep.equal([1, 2]);
    outbound.failAll(new SessionClientError('closed', 'test over'));
  });

  it('renumbers what is unacknowledged from 1 and rejects everything on failAll', async () => {
    const outbound = new OutboundRecords({ maxRecords: 2, maxBytes: 1000 }, () => undefined);
    const results = [1, 2, 3].map((n) =>
      outbound.enqueue('c', bytes(String(n))).then(
        () => 'ok',
        (e: SessionClientError) => e.reason,
      ),
    );
    outbound.acknowledge(1);
    outbound.renumber();
    expect(outbound.after(0).map((r) => [r.seq, texts([r])[0]])).to.deep.equal([
      [1, '2'],
      [2, '3'],
    ]);
    outbound.failAll(new SessionClientError('peer-gone', 'gone'));
    expect(await Promise.all(results)).to.deep.equal(['ok', 'peer-gone', 'peer-gone']);
  });
});
