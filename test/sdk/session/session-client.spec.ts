import { expect } from 'chai';
import type { RelayGateway } from '../../support/relay-gateway.js';
import {
  END_USER,
  TECHNICIAN,
  clientOf,
  closeAll,
  collect,
  startPair,
  waitFor,
} from '../../support/session-pair.js';

const text = (s: string) => Buffer.from(s, 'utf8');

describe('session client', () => {
  let relay: RelayGateway | undefined;
  afterEach(async () => {
    await closeAll(relay);
    relay = undefined;
  });

  it('shakes hands through the relay and both sides show the same SAS', async () => {
    const pair = await startPair();
    relay = pair.relay;
    const { technician, endUser } = pair;

    expect(technician.participantId).to.equal('tech-1');
    expect(endUser.participantId).to.equal('user-1');
    const seenByTech = technician.peer('user-1')!;
    const seenByUser = endUser.peer('tech-1')!;
    expect(seenByTech.role).to.equal('end-user');
    expect(seenByUser.role).to.equal('technician');
    expect(seenByUser.permissions).to.deep.equal(['remote-control', 'file-transfer']);
    expect(seenByTech.sas).to.match(/^\d{6}$/);
    expect(seenByTech.sas).to.equal(seenByUser.sas);
    expect(technician.state).to.equal('active');
  });

  it('carries records both ways, acknowledged, and the relay sees no plaintext', async () => {
    const pair = await startPair();
    relay = pair.relay;
    const { technician, endUser } = pair;
    const atUser = collect(endUser, 'test');
    const atTech = collect(technician, 'test');

    await technician.send('user-1', 'test', text('secret-from-technician-4711'));
    await endUser.send('tech-1', 'test', text('secret-from-end-user-0815'));
    await waitFor(() => atTech.length === 1, 'the technician got its record');

    expect(atUser).to.deep.equal(['secret-from-technician-4711']);
    expect(atTech).to.deep.equal(['secret-from-end-user-0815']);
    const bytes = relay.allBytes();
    expect(bytes.includes('secret-from')).to.equal(false);
    expect(bytes.includes('4711')).to.equal(false);
  });

  it('refuses bad channels, too-big bodies and unknown peers', async () => {
    const pair = await startPair();
    relay = pair.relay;
    const reasons = await Promise.all([
      pair.technician.send('user-1', 'has space', text('x')).catch((e) => e.reason),
      pair.technician.send('user-1', 'big', new Uint8Array(1024 * 1024)).catch((e) => e.reason),
      pair.technician.send('nobody', 'test', text('x')).catch((e) => e.reason),
    ]);
    expect(reasons).to.deep.equal(['bad-channel', 'too-big', 'unknown-peer']);
  });

  it('stops with not-admitted on credentials the engine refuses', async () => {
    const pair = await startPair();
    relay = pair.relay;
    const stranger = clientOf(relay, { kind: 'technician', token: 'wrong' });
    const error = await stranger.connect().then(
      () => undefined,
      (e: { reason: string }) => e.reason,
    );
    expect(error).to.equal('not-admitted');
    expect(stranger.closed).to.deep.equal({ code: 4003, reason: 'not-admitted' });
  });

  it('stops after 4010 when the same participant connects elsewhere', async () => {
    const pair = await startPair();
    relay = pair.relay;
    const second = clientOf(relay, END_USER);
    await second.connect();
    await waitFor(() => pair.endUser.closed !== undefined, 'the first client stopped');
    expect(pair.endUser.closed!.code).to.equal(4010);
    expect(relay.isConnected('user-1')).to.equal(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(second.closed).to.equal(undefined);
  });

  it('ends everyone with 4100 and the reason when one side ends the session', async () => {
    const pair = await startPair();
    relay = pair.relay;
    const states: string[] = [];
    pair.endUser.on('state', (s) => states.push(s.state));
    pair.technician.end();
    await waitFor(() => pair.endUser.closed !== undefined, 'the end user stopped');
    expect(pair.endUser.closed).to.deep.equal({ code: 4100, reason: 'ended-by-technician' });
    expect(states).to.deep.equal(['closed']);
    await waitFor(() => pair.technician.closed !== undefined, 'the technician stopped');
  });

  it('rejects pending sends with peer-gone when the peer is removed for good', async () => {
    const pair = await startPair();
    relay = pair.relay;
    relay.tamper = () => [];
    const pending = pair.technician.send('user-1', 'test', text('never acked'));
    relay.remove('user-1');
    const reason = await pending.then(
      () => 'acked',
      (e: { reason: string }) => e.reason,
    );
    expect(reason).to.equal('peer-gone');
    expect(pair.technician.peer('user-1')).to.equal(undefined);
    await waitFor(() => pair.endUser.closed?.code === 4011, 'the end user was removed');
  });

  it('reconnects after 1001 and 1006 with the same box key, and keeps its peers', async () => {
    const pair = await startPair();
    relay = pair.relay;
    const atTech = collect(pair.technician, 'test');
    const codes: number[] = [];
    pair.endUser.on('reconnecting', (e) => codes.push(e.code));

    relay.closeWith('user-1', 1001, 'going-away');
    await waitFor(() => codes.length === 1 && relay!.isConnected('user-1'), 'back after 1001');
    relay.drop('user-1');
    await waitFor(() => codes.length === 2 && relay!.isConnected('user-1'), 'back after 1006');
    await pair.endUser.send('tech-1', 'test', text('still here'));

    expect(codes).to.deep.equal([1001, 1006]);
    expect(atTech).to.deep.equal(['still here']);
    const boxKeys = relay.recorded
      .filter((m) => m.direction === 'in' && m.data.toString('utf8').includes('"auth"'))
      .map((m) => JSON.parse(m.data.toString('utf8')) as { boxKey: string; credentials: unknown })
      .filter((auth) => JSON.stringify(auth.credentials) === JSON.stringify(END_USER))
      .map((auth) => auth.boxKey);
    expect(boxKeys.length).to.equal(3);
    expect(new Set(boxKeys).size).to.equal(1);
    expect(pair.technician.peer('user-1')!.sas).to.equal(pair.endUser.peer('tech-1')!.sas);
  });

  it('logs lifecycle steps but no token, secret, key or message body', async () => {
    const lines: string[] = [];
    const logger = {
      info: (fields: object, message: string) => lines.push(JSON.stringify({ fields, message })),
      warn: (fields: object, message: string) => lines.push(JSON.stringify({ fields, message })),
      debug: (fields: object, message: string) => lines.push(JSON.stringify({ fields, message })),
    };
    const pair = await startPair();
    relay = pair.relay;
    const technician = clientOf(relay, TECHNICIAN, { logger });
    await technician.connect();
    await waitFor(() => technician.peer('user-1') !== undefined, 'the peer is known');
    await technician.send('user-1', 'test', text('body-text-never-logged'));
    relay.drop('tech-1');
    await waitFor(() => lines.some((l) => l.includes('reconnecting')), 'a drop was logged');
    technician.close();

    const all = lines.join('\n');
    expect(all).to.include('ready');
    expect(all).to.include('peer joined');
    expect(all).to.include('session client ended');
    for (const secret of [
      'tech-token-1',
      'user-secret-1',
      'body-text-never-logged',
      relay.sessionId,
      technician.certificate!.boxKey,
    ]) {
      expect(all).to.not.include(secret);
    }
  });
});
