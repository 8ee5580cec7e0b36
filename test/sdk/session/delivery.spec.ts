import { expect } from 'chai';
import type { RelayGateway } from '../../support/relay-gateway.js';
import {
  END_USER,
  clientOf,
  closeAll,
  collect,
  startPair,
  waitFor,
} from '../../support/session-pair.js';

const text = (s: string) => Buffer.from(s, 'utf8');
const numbered = (n: number) => Array.from({ length: n }, (_, i) => `m${i + 1}`);

describe('session client delivery', () => {
  let relay: RelayGateway | undefined;
  afterEach(async () => {
    await closeAll(relay);
    relay = undefined;
  });

  it('drops forged, replayed and truncated frames, counts them, delivers each once', async () => {
    const pair = await startPair();
    relay = pair.relay;
    const atUser = collect(pair.endUser, 'test');
    relay.tamper = ({ from, frame, index }) => {
      if (from !== 'tech-1') return [frame];
      if (index === 3) {
        const forged = Buffer.from(frame);
        forged[forged.length - 5]! ^= 0x01;
        return [forged];
      }
      if (index === 5) return [frame, frame];
      if (index === 7) return [frame.subarray(0, 12), frame];
      if (index === 9) return [Buffer.from(frame.subarray(0, 10)), frame];
      return [frame];
    };

    await Promise.all(numbered(12).map((m) => pair.technician.send('user-1', 'test', text(m))));
    expect(atUser).to.deep.equal(numbered(12));
    const { dropped } = pair.endUser.stats();
    expect(dropped.forged).to.equal(1);
    expect(dropped.replayed).to.be.greaterThanOrEqual(1);
    expect(dropped.truncated).to.equal(2);
  });

  it('counts frames of unknown peers and bad envelopes, delivering nothing', async () => {
    const pair = await startPair();
    relay = pair.relay;
    const atUser = collect(pair.endUser, 'test');
    relay.sendRaw('user-1', Uint8Array.from([0x01, 5, ...Buffer.from('ghost'), 1, 2, 3]));
    relay.sendRaw('user-1', Uint8Array.from([0x07, 1]));
    await pair.technician.send('user-1', 'test', text('after'));
    expect(atUser).to.deep.equal(['after']);
    expect(pair.endUser.stats().dropped['unknown-peer']).to.equal(1);
    expect(pair.endUser.stats().dropped['bad-envelope']).to.equal(1);
  });

  it('starts both numberings afresh when the peer comes back with a new key', async () => {
    const pair = await startPair();
    relay = pair.relay;
    const atTech = collect(pair.technician, 'test');
    for (const m of ['a', 'b', 'c']) await pair.endUser.send('tech-1', 'test', text(m));
    const oldSas = pair.technician.peer('user-1')!.sas;

    const changes: string[] = [];
    pair.technician.on('peer-joined', (e) => changes.push(e.change));
    pair.endUser.close();
    await waitFor(() => !relay!.isConnected('user-1'), 'the old applet is gone');
    const queued = pair.technician.send('user-1', 'test', text('while away'));

    const restarted = clientOf(relay, END_USER);
    const atRestarted = collect(restarted, 'test');
    await restarted.connect();
    await queued;
    await restarted.send('tech-1', 'test', text('after restart'));

    expect(changes).to.deep.equal(['restarted']);
    expect(atRestarted).to.deep.equal(['while away']);
    expect(atTech).to.deep.equal(['a', 'b', 'c', 'after restart']);
    expect(pair.technician.peer('user-1')!.sas).to.equal(restarted.peer('tech-1')!.sas);
    expect(pair.technician.peer('user-1')!.sas).to.not.equal(oldSas);
  });

  it('still resends to a restarted peer whose RESUME was lost', async () => {
    const pair = await startPair();
    relay = pair.relay;
    pair.endUser.close();
    await waitFor(() => !relay!.isConnected('user-1'), 'the old applet is gone');
    const queued = pair.technician.send('user-1', 'test', text('while away'));

    let lost = 0;
    relay.tamper = ({ from, frame }) => (from === 'user-1' && lost++ === 0 ? [] : [frame]);
    const restarted = clientOf(relay, END_USER);
    const atRestarted = collect(restarted, 'test');
    await restarted.connect();
    await queued;
    expect(lost).to.be.greaterThan(1);
    expect(atRestarted).to.deep.equal(['while away']);
  });
});
