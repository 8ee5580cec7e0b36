import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { AuditLog } from '../../../engine/contracts/audit-log-contract.js';
import type { SessionGatewayPort } from '../../../engine/sessions/session-port.js';
import { startTestEngine, type TestEngine } from '../../../sdk/testing/test-engine.js';
import { signedInMember } from '../../support/identity-helpers.js';
import { TestClock } from '../../support/test-clock.js';
import type { CreatedBody, JoinedBody } from './session-fixtures.js';

const SWEEP_WAIT_MS = 12_000;

describe('the grace period', function () {
  this.timeout(90_000);
  let dataDir: string;
  let engine: TestEngine | undefined;
  const clock = new TestClock();

  const start = async () => {
    engine = await startTestEngine({ dataDir, configure: clock.install });
    return engine;
  };
  const stateOf = async (ref: string, headers: Record<string, string>) => {
    const answer = await engine!.request(`/api/v1/sessions/${ref}`, { headers });
    return answer.json as { state: string; closeReason?: string };
  };
  async function waitForState(ref: string, headers: Record<string, string>, state: string) {
    const deadline = Date.now() + SWEEP_WAIT_MS;
    let seen = await stateOf(ref, headers);
    while (seen.state !== state && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      seen = await stateOf(ref, headers);
    }
    return seen;
  }

  async function connectedSession(port: SessionGatewayPort, headers: Record<string, string>) {
    const made = (await engine!.request('/api/v1/sessions', { method: 'POST', headers, body: {} }))
      .json as CreatedBody;
    const joined = (
      await engine!.request('/api/v1/sessions/join', {
        method: 'POST',
        body: { code: made.joinCode },
      })
    ).json as JoinedBody;
    const admission = await port.admit({
      sessionId: made.sessionId,
      boxKey: randomBytes(32).toString('base64'),
      credentials: { kind: 'end-user', participantId: joined.participantId, secret: joined.secret },
      clientIp: '127.0.0.1',
    });
    await port.connected(admission);
    return { made, admission };
  }

  before(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'tether-grace-'));
  });
  after(async () => {
    await engine?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('survives a restart, then closes when the end user stays away', async () => {
    await start();
    const tech = await signedInMember(engine!, 'grace@a.test', 'technician');
    const tenantId = engine!.firstStart!.tenantId;
    let port = engine!.engine.sessionGatewayPort();
    const kept = await connectedSession(port, tech.headers);
    const dropped = await connectedSession(port, tech.headers);
    await port.disconnected(dropped.admission);
    await engine!.stop();
    engine = undefined;

    clock.advance(60_000);
    await start();
    port = engine!.engine.sessionGatewayPort();
    expect((await stateOf(kept.made.id, tech.headers)).state).to.equal('active');
    expect((await stateOf(dropped.made.id, tech.headers)).state).to.equal('active');

    // 160 s after the drop, but the new node has seen nobody leave for a grace period yet.
    clock.advance(100_000);
    await port.seen(kept.admission);
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect((await stateOf(dropped.made.id, tech.headers)).state).to.equal('active');

    // The node is up past the grace period: the end user who answers pings stays, the other goes.
    clock.advance(30_000);
    const lost = await waitForState(dropped.made.id, tech.headers, 'closed');
    expect(lost).to.deep.include({ state: 'closed', closeReason: 'connection-lost' });
    expect((await stateOf(kept.made.id, tech.headers)).state).to.equal('active');
    const log = engine!.engine.root.get<AuditLog>(AuditLog);
    const ended = await log.list(tenantId, { actions: ['session.ended'] });
    const record = ended.find((r) => r.target?.id === dropped.made.id);
    expect(record?.actor).to.deep.equal({ kind: 'system' });
    expect(record?.details).to.deep.equal({ reason: 'connection-lost' });
  });
});
