import { expect } from 'chai';
import { queueTopic, type QueueChange } from '../../../engine/sessions/session-port.js';
import { startGatewayHarness, type GatewayHarness } from './gateway-harness.js';
import { FIXTURE_TENANT } from './memory-session-port.js';

const change = (groupId: string, ref: string): QueueChange => ({
  t: 'queue',
  groupId,
  change: 'arrived',
  session: { ref, state: 'waiting', createdAt: '2026-01-01T00:00:00.000Z', endUserName: 'Ann' },
});

describe('gateway queue watching', () => {
  let harness: GatewayHarness;

  beforeEach(async () => {
    harness = await startGatewayHarness({ nodes: 2 });
    harness.port.addWatcher('watch token', ['group-a', 'group-b']);
  });

  afterEach(() => harness.stop());

  async function watcher(node = 0) {
    const client = await harness.connect({ node });
    client.send({ t: 'watch', v: 1, token: 'watch token' });
    expect(await client.next('watching')).to.deep.equal({
      t: 'watching',
      groupIds: ['group-a', 'group-b'],
    });
    return client;
  }

  it("forwards the changes of the member's groups, and only those", async () => {
    const [first, second] = [await watcher(0), await watcher(1)];
    const publish = (groupId: string, ref: string) =>
      harness.bus.publish(queueTopic(FIXTURE_TENANT, groupId), { ...change(groupId, ref) });
    await publish('group-c', 'S-0');
    await publish('group-a', 'S-1');
    await publish('group-b', 'S-2');

    for (const client of [first, second]) {
      expect(await client.next('queue')).to.deep.equal(change('group-a', 'S-1'));
      expect(await client.next('queue')).to.deep.equal(change('group-b', 'S-2'));
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(first.texts('queue')).to.have.length(0);
  });

  it('refuses an unknown token with 4003 and anything but watch after it with 4000', async () => {
    const refused = await harness.connect();
    refused.send({ t: 'watch', v: 1, token: 'stolen' });
    expect((await refused.closedWithin()).code).to.equal(4003);

    for (const message of [{ t: 'end' }, { t: 'watch', v: 1, token: 'watch token' }]) {
      const client = await watcher();
      client.send(message);
      expect((await client.closedWithin()).code).to.equal(4000);
    }
  });

  it('keeps forwarding to the watchers that stay after one leaves', async () => {
    const leaving = await watcher(0);
    const staying = await watcher(0);
    leaving.close();
    await leaving.closed;
    await new Promise((resolve) => setTimeout(resolve, 50));
    await harness.bus.publish(queueTopic(FIXTURE_TENANT, 'group-a'), {
      ...change('group-a', 'S-9'),
    });
    expect(await staying.next('queue')).to.deep.equal(change('group-a', 'S-9'));
  });
});
