import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import { startTestEngine, type TestEngine } from '../../../sdk/testing/test-engine.js';
import { signedInMember } from '../../support/identity-helpers.js';
import type { CreatedBody, JoinedBody } from './session-fixtures.js';

describe('session logs', function () {
  this.timeout(60_000);
  let engine: TestEngine | undefined;
  let logged = '';

  before(async () => {
    const sink = new PassThrough();
    sink.on('data', (chunk: Buffer) => (logged += chunk.toString('utf8')));
    engine = await startTestEngine({ logTo: sink });
  });
  after(() => engine?.stop());

  it('never carry the join code, the GUID, the end user secret or the sign-in token', async () => {
    const tech = await signedInMember(engine!, 'logs@a.test', 'technician');
    const made = (
      await engine!.request('/api/v1/sessions', { method: 'POST', headers: tech.headers, body: {} })
    ).json as CreatedBody;
    const wrong = String((Number(made.joinCode) + 1) % 1_000_000).padStart(6, '0');
    await engine!.request('/api/v1/sessions/join', { method: 'POST', body: { code: wrong } });
    const joined = (
      await engine!.request('/api/v1/sessions/join', {
        method: 'POST',
        body: { code: made.joinCode },
      })
    ).json as JoinedBody;
    const port = engine!.engine.sessionGatewayPort();
    const token = (tech.headers.authorization ?? '').slice('Bearer '.length);
    const boxKey = randomBytes(32).toString('base64');
    const user = await port.admit({
      sessionId: made.sessionId,
      boxKey,
      credentials: { kind: 'end-user', participantId: joined.participantId, secret: joined.secret },
      clientIp: '127.0.0.1',
    });
    await port
      .admit({
        sessionId: made.sessionId,
        boxKey,
        credentials: { kind: 'end-user', participantId: joined.participantId, secret: 'wrong' },
        clientIp: '127.0.0.1',
      })
      .catch(() => undefined);
    const owner = await port.admit({
      sessionId: made.sessionId,
      boxKey,
      credentials: { kind: 'technician', token },
      clientIp: '127.0.0.1',
    });
    await port.connected(user);
    await port.connected(owner);
    await port.report(user, 'consent.granted', 'remote-control');
    await port.end(user);
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(logged).to.contain(made.id);
    expect(logged).to.contain('session close');
    for (const secret of [made.joinCode, made.sessionId, joined.secret, token]) {
      expect(logged).not.to.contain(secret);
    }
  });
});
