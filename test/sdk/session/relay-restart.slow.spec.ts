import { expect } from 'chai';
import type { RelayGateway } from '../../support/relay-gateway.js';
import { closeAll, collect, startPair, waitFor } from '../../support/session-pair.js';

const text = (s: string) => Buffer.from(s, 'utf8');
const numbered = (n: number) => Array.from({ length: n }, (_, i) => `m${i + 1}`);

/** Waits until the end user dropped `drops` times in all and both clients are back. */
async function bothBack(relay: RelayGateway, seen: readonly number[], drops: number) {
  await waitFor(
    () => seen.length >= drops && relay.isConnected('user-1') && relay.isConnected('tech-1'),
    'both clients reconnected',
  );
}

describe('session client across relay restarts', () => {
  let relay: RelayGateway | undefined;
  afterEach(async () => {
    await closeAll(relay);
    relay = undefined;
  });

  it('loses and duplicates nothing across a dropped link and two relay restarts', async () => {
    const pair = await startPair();
    relay = pair.relay;
    const atUser = collect(pair.endUser, 'test');
    const atTech = collect(pair.technician, 'test');
    const expected = numbered(200);
    const drops: number[] = [];
    pair.endUser.on('reconnecting', (e) => drops.push(e.code));
    let sent = 0;
    const sends: Promise<void>[] = [];
    for (const m of expected) {
      sends.push(pair.technician.send('user-1', 'test', text(m)));
      sends.push(pair.endUser.send('tech-1', 'test', text(m)));
      sent++;
      if (sent === 50) relay.drop('user-1');
      if (sent === 100 || sent === 160) await relay.restart();
      if (sent === 50) await bothBack(relay, drops, 1);
      if (sent === 100) await bothBack(relay, drops, 2);
      if (sent === 160) await bothBack(relay, drops, 3);
      if (sent % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 15));
    }
    await Promise.all(sends);

    expect(atUser).to.deep.equal(expected);
    expect(atTech).to.deep.equal(expected);
    expect(drops.length).to.be.greaterThanOrEqual(3);
    expect(drops.every((code) => code === 1006)).to.equal(true);
  });
});
