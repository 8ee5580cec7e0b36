import { expect } from 'chai';
import { verifyCertificate } from '../../../sdk/crypto/participant-certificate.js';
import { fromBase64, toBase64 } from '../../../sdk/crypto/bytes.js';
import {
  endUserAuth,
  newBoxKey,
  startGatewayHarness,
  technicianAuth,
  type GatewayHarness,
} from './gateway-harness.js';

const SESSION = 'c0ffee00c0ffee00c0ffee00c0ffee00';

describe('gateway authentication', () => {
  let harness: GatewayHarness;

  beforeEach(async () => {
    harness = await startGatewayHarness({ authTimeoutMs: 300 });
    harness.port.addSession(SESSION);
    harness.port.addEndUser(SESSION, 'eu-1', 'end-user secret');
    harness.port.addTechnician(SESSION, 'tech-1', 'tech token', ['chat', 'remote-control']);
  });

  afterEach(() => harness.stop());

  async function readyOf(auth: Record<string, unknown>) {
    const client = await harness.connect();
    client.send(auth);
    return { client, ready: await client.next('ready') };
  }

  function checkedCertificate(ready: Record<string, unknown>) {
    const engineKey = fromBase64(ready.engineKey as string, 32)!;
    return { fields: verifyCertificate(engineKey, ready.certificate, new Date()) };
  }

  it('admits an end user with a certificate signed by the engine key', async () => {
    const auth = endUserAuth(SESSION, 'eu-1', 'end-user secret');
    const { ready } = await readyOf(auth);

    expect(ready).to.include({ participantId: 'eu-1', role: 'end-user', state: 'waiting' });
    expect(ready.engineKey).to.equal(harness.signingKey.publicKey());
    expect(ready.peers).to.deep.equal([]);
    const { fields } = checkedCertificate(ready);
    expect(fields).to.include({ v: 1, sessionId: SESSION, participantId: 'eu-1' });
    expect(fields).to.include({ role: 'end-user', boxKey: auth.boxKey });
    expect(fields).not.to.have.property('permissions');
    const hours = (Date.parse(fields.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).to.be.within(11.9, 12);
    expect(harness.port.count('connected', 'eu-1')).to.equal(1);
  });

  it('admits a technician with its permissions and policy in the certificate', async () => {
    const boxKey = newBoxKey();
    const { ready } = await readyOf(technicianAuth(SESSION, 'tech token', boxKey));

    expect(ready).to.include({ participantId: 'tech-1', role: 'technician' });
    const { fields } = checkedCertificate(ready);
    expect(fields).to.include({ role: 'technician', boxKey, participantId: 'tech-1' });
    expect(fields.permissions).to.deep.equal(['chat', 'remote-control']);
    expect(fields.policy).to.deep.equal({ chatText: true });
  });

  it('passes the client address to admission', async () => {
    await readyOf(endUserAuth(SESSION, 'eu-1', 'end-user secret'));
    const admit = harness.port.calls.find((call) => call.what === 'admit');
    expect(admit?.detail).to.match(/127\.0\.0\.1$/);
  });

  describe('refuses a bad first message with 4000', () => {
    const good = () => endUserAuth(SESSION, 'eu-1', 'end-user secret');
    const bad: Record<string, () => unknown> = {
      'text that is not JSON': () => '{"t":"auth",',
      'a JSON array': () => [1, 2],
      'an unknown t': () => ({ t: 'hello' }),
      'no t': () => ({ v: 1 }),
      'auth of another version': () => ({ ...good(), v: 2 }),
      'auth with an unknown field': () => ({ ...good(), admin: true }),
      'auth without credentials': () => ({ ...good(), credentials: undefined }),
      'credentials of an unknown kind': () => ({ ...good(), credentials: { kind: 'cookie' } }),
      'a session id with a space': () => ({ ...good(), sessionId: 'a b' }),
      'a box key of 31 bytes': () => ({ ...good(), boxKey: toBase64(new Uint8Array(31)) }),
      'a box key of 33 bytes': () => ({ ...good(), boxKey: toBase64(new Uint8Array(33)) }),
      'a box key that is not base64': () => ({ ...good(), boxKey: '!'.repeat(44) }),
      'a box key without padding': () => ({ ...good(), boxKey: good().boxKey.slice(0, 43) }),
      'end before auth': () => ({ t: 'end' }),
      'report before auth': () => ({ t: 'report', event: 'consent.asked', permission: 'chat' }),
      'watch without a token': () => ({ t: 'watch', v: 1 }),
    };
    for (const [name, make] of Object.entries(bad)) {
      it(name, async () => {
        const client = await harness.connect();
        const message = make();
        client.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
        expect((await client.closedWithin()).code).to.equal(4000);
        expect(harness.port.count('admit')).to.equal(0);
      });
    }

    it('binary before auth', async () => {
      const client = await harness.connect();
      client.sendBinary(Buffer.from([1, 4, 0x65, 0x75, 0x2d, 0x31, 9]));
      expect((await client.closedWithin()).code).to.equal(4000);
    });

    it('text over 64 KiB', async () => {
      const client = await harness.connect();
      client.send({ ...good(), pad: 'x'.repeat(64 * 1024) });
      expect((await client.closedWithin()).code).to.equal(4000);
      expect(harness.port.count('admit')).to.equal(0);
    });
  });

  it('refuses a second auth on an admitted connection with 4000', async () => {
    const { client } = await readyOf(endUserAuth(SESSION, 'eu-1', 'end-user secret'));
    client.send(endUserAuth(SESSION, 'eu-1', 'end-user secret'));
    expect((await client.closedWithin()).code).to.equal(4000);
  });

  describe('closes with 4003 when not admitted', () => {
    const cases: Record<string, () => Record<string, unknown>> = {
      'a wrong end-user secret': () => endUserAuth(SESSION, 'eu-1', 'guessed'),
      'another participant id with the secret': () =>
        endUserAuth(SESSION, 'eu-2', 'end-user secret'),
      'a wrong technician token': () => technicianAuth(SESSION, 'tech token?'),
      'an unknown session': () => endUserAuth('c0ffee00c0ffee00', 'eu-1', 'end-user secret'),
    };
    for (const [name, make] of Object.entries(cases)) {
      it(name, async () => {
        const client = await harness.connect();
        client.send(make());
        expect(await client.closedWithin()).to.deep.equal({ code: 4003, reason: 'not-admitted' });
        expect(client.texts('ready')).to.have.length(0);
      });
    }

    it('a closed session', async () => {
      await harness.port.control(SESSION, { t: 'state', state: 'closed' });
      const client = await harness.connect();
      client.send(endUserAuth(SESSION, 'eu-1', 'end-user secret'));
      expect((await client.closedWithin()).code).to.equal(4003);
    });
  });

  it('closes with 4001 when nothing arrives in time, and waits that long', async () => {
    const started = Date.now();
    const client = await harness.connect();
    expect(await client.closedWithin(2_000)).to.deep.equal({ code: 4001, reason: 'auth-timeout' });
    expect(Date.now() - started).to.be.at.least(250);
  });

  it('does not time out a connection whose auth arrived', async () => {
    const { client } = await readyOf(endUserAuth(SESSION, 'eu-1', 'end-user secret'));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(client.ws.readyState).to.equal(client.ws.OPEN);
  });

  it('records consent reports from the end user only', async () => {
    const { client } = await readyOf(endUserAuth(SESSION, 'eu-1', 'end-user secret'));
    client.send({ t: 'report', event: 'consent.granted', permission: 'remote-control' });
    const tech = (await readyOf(technicianAuth(SESSION, 'tech token'))).client;
    tech.send({ t: 'report', event: 'consent.granted', permission: 'remote-control' });

    expect((await tech.closedWithin()).code).to.equal(4000);
    const reports = harness.port.calls.filter((call) => call.what === 'report');
    expect(reports).to.deep.equal([
      {
        what: 'report',
        participantId: 'eu-1',
        detail: { event: 'consent.granted', permission: 'remote-control' },
      },
    ]);
  });

  it('refuses a report with an unknown event or a malformed permission', async () => {
    for (const report of [
      { t: 'report', event: 'consent.stolen', permission: 'chat' },
      { t: 'report', event: 'consent.asked', permission: 'Remote Control' },
    ]) {
      const { client } = await readyOf(endUserAuth(SESSION, 'eu-1', 'end-user secret'));
      client.send(report);
      expect((await client.closedWithin()).code).to.equal(4000);
    }
    expect(harness.port.count('report')).to.equal(0);
  });

  it('ends the session on end: every connection closes 4100 with the reason', async () => {
    const user = (await readyOf(endUserAuth(SESSION, 'eu-1', 'end-user secret'))).client;
    const tech = (await readyOf(technicianAuth(SESSION, 'tech token'))).client;
    tech.send({ t: 'end' });

    const expected = { code: 4100, reason: 'ended by technician' };
    expect(await tech.closedWithin()).to.deep.equal(expected);
    expect(await user.closedWithin()).to.deep.equal(expected);
    expect(harness.port.count('end', 'tech-1')).to.equal(1);
    expect(user.texts('state').at(-1)).to.deep.equal({ t: 'state', ...expectedState() });
  });

  function expectedState() {
    return { state: 'closed', reason: 'ended by technician' };
  }
});
