import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { Consent } from '../../../engine/contracts/consent-contract.js';
import { ContentCipher } from '../../../engine/contracts/content-cipher-contract.js';
import { PARTICIPANT_ID_PATTERN } from '../../../sdk/crypto/participant-certificate.js';
import { Sessions, type SupportSessionEvent } from '../../../engine/contracts/sessions-contract.js';
import type { TenantId } from '../../../engine/contracts/storage-contract.js';
import { isTetherError } from '../../../engine/errors.js';
import type {
  Admission,
  AdmissionRequest,
  GatewayCredentials,
  SessionGatewayPort,
} from '../../../engine/sessions/session-port.js';
import { sessionControlTopic } from '../../../engine/sessions/session-port.js';
import {
  ADMIN_PASSWORD,
  addMember,
  auditOf,
  login,
  setPolicy,
  signedInMember,
} from '../../support/identity-helpers.js';
import {
  act,
  allow,
  createSession,
  join,
  recordBus,
  startSessionWorld,
  type CreatedBody,
  type JoinedBody,
  type SessionWorld,
} from './session-fixtures.js';
import { hiddenClassCount } from '../../support/hidden-classes.js';

const boxKey = () => randomBytes(32).toString('base64');
const tokenOf = (headers: Record<string, string>) =>
  (headers.authorization ?? '').replace(/^Bearer /, '');

describe('the sessions service as the gateway port', function () {
  this.timeout(60_000);
  let world: SessionWorld;
  let port: SessionGatewayPort;

  const request = (sessionId: string, credentials: GatewayCredentials): AdmissionRequest => ({
    sessionId,
    boxKey: boxKey(),
    credentials,
    clientIp: '127.0.0.1',
  });
  type EndUserCredentials = Extract<GatewayCredentials, { kind: 'end-user' }>;
  const endUser = (joined: JoinedBody): EndUserCredentials => ({
    kind: 'end-user',
    participantId: joined.participantId,
    secret: joined.secret,
  });
  const technician = (headers: Record<string, string>): GatewayCredentials => ({
    kind: 'technician',
    token: tokenOf(headers),
  });
  const detail = async (ref: string) =>
    (await world.engine.request(`/api/v1/sessions/${ref}`, { headers: world.master })).json as {
      state: string;
      closeReason?: string;
      consent: Record<string, string>;
    };

  async function expectRefused(attempt: Promise<unknown>): Promise<void> {
    try {
      await attempt;
    } catch (error) {
      expect(isTetherError(error) && error.code, String(error)).to.equal('TETHER_E_NOT_ADMITTED');
      return;
    }
    expect.fail('the admission went through');
  }

  async function joinedSession(): Promise<{ made: CreatedBody; joined: JoinedBody }> {
    const made = await createSession(world, world.alice);
    const joined = (await join(world, made.joinCode)).json as JoinedBody;
    return { made, joined };
  }

  before(async () => {
    world = await startSessionWorld();
    port = world.engine.engine.sessionGatewayPort();
    await allow(world, world.groupId, 'transfer-sessions');
    await allow(world, world.groupId, 'collaboration');
    await allow(world, world.otherGroupId, 'remote-control');
    await allow(world, world.otherGroupId, 'single-prompt');
  });
  after(() => world?.engine.stop());

  it('admits the end user and makes the owned session active on connection', async () => {
    const made = await createSession(world, world.alice);
    const joined = (await join(world, made.joinCode, 'Pat <b>Smith</b>')).json as JoinedBody;
    const admission = await port.admit(request(made.sessionId, endUser(joined)));
    expect(admission).to.include({
      name: 'Pat <b>Smith</b>',
      sessionId: made.sessionId,
      sessionRef: made.id,
      participantId: joined.participantId,
      role: 'end-user',
      state: 'waiting',
    });
    expect(admission.permissions).to.equal(undefined);
    const bus = await recordBus(world, [sessionControlTopic(made.sessionId)]);
    await port.connected(admission);
    expect((await detail(made.id)).state).to.equal('active');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(bus.messages.map((m) => m.message)).to.deep.equal([{ t: 'state', state: 'active' }]);
    await bus.dispose();
    const joins = await auditOf(world.engine, 'session.joined');
    expect(joins.filter((r) => r.target?.id === made.id)).to.have.length(1);
    await port.connected(admission);
    const again = await auditOf(world.engine, 'session.joined');
    expect(again.filter((r) => r.target?.id === made.id)).to.have.length(1);
  });

  it('gives admissions of a kind one hidden class: the gateway reads one per frame', async () => {
    const admissions: Admission[] = [];
    for (let i = 0; i < 12; i++) {
      const { made, joined } = await joinedSession();
      admissions.push(await port.admit(request(made.sessionId, endUser(joined))));
      admissions.push(await port.admit(request(made.sessionId, technician(world.alice.headers))));
    }
    const ofRole = (role: string) => admissions.filter((a) => a.role === role);
    expect(hiddenClassCount(ofRole('end-user'))).to.be.at.most(2);
    expect(hiddenClassCount(ofRole('technician'))).to.be.at.most(2);
  });

  it('refuses every bad end-user credential with the same code', async () => {
    const { made, joined } = await joinedSession();
    const other = await joinedSession();
    const attempts: GatewayCredentials[] = [
      { ...endUser(joined), secret: randomBytes(32).toString('base64url') },
      { ...endUser(joined), secret: '' },
      { ...endUser(joined), participantId: `u-${randomUUID()}` },
      { ...endUser(joined), participantId: `t-${world.alice.id}` },
      endUser(other.joined),
    ];
    for (const credentials of attempts) {
      await expectRefused(port.admit(request(made.sessionId, credentials)));
    }
    await expectRefused(port.admit(request('0'.repeat(32), endUser(joined))));
    await expectRefused(port.admit(request(made.id, endUser(joined))));
    await expectRefused(port.admit({ ...request(made.sessionId, endUser(joined)), boxKey: 'x' }));
    const ended = await act(world, world.alice, made.id, 'end');
    expect(ended.status).to.equal(200);
    await expectRefused(port.admit(request(made.sessionId, endUser(joined))));
  });

  it('admits the owner with permissions and policy, not other technicians', async () => {
    await setPolicy(world.engine, { sessions: { chatText: 'omit' } });
    const { made } = await joinedSession();
    const owner = await port.admit(request(made.sessionId, technician(world.alice.headers)));
    expect(owner).to.include({ role: 'technician', participantId: `t-${world.alice.id}` });
    expect(owner.memberId).to.equal(world.alice.id);
    expect(owner.name, 'the display name').to.equal('alice');
    expect(owner.permissions).to.include('chat');
    expect(owner.permissions).to.not.include('remote-control');
    expect(owner.policy).to.deep.equal({ singlePrompt: false, chatText: 'omit' });
    expect(owner.participantId).to.match(PARTICIPANT_ID_PATTERN);
    await setPolicy(world.engine, {});
    await expectRefused(port.admit(request(made.sessionId, technician(world.bob.headers))));
    await expectRefused(port.admit(request(made.sessionId, technician(world.master))));
    await expectRefused(port.admit(request(made.sessionId, { kind: 'technician', token: 'x' })));
  });

  it('admits an invited collaborator with their own permissions', async () => {
    const { made } = await joinedSession();
    await expectRefused(port.admit(request(made.sessionId, technician(world.carol.headers))));
    const invited = await act(world, world.alice, made.id, 'collaborators', {
      memberId: world.carol.id,
    });
    expect(invited.status, invited.text).to.equal(200);
    const carol = await port.admit(request(made.sessionId, technician(world.carol.headers)));
    expect(carol.permissions).to.include('remote-control');
    expect(carol.policy).to.deep.equal({ singlePrompt: true, chatText: 'store' });
  });

  it('refuses a signed-out sign-in and one short of its second factor', async () => {
    const { made } = await joinedSession();
    const dave = await signedInMember(world.engine, 'dave@a.test', 'technician', {
      groupId: world.groupId,
    });
    const daveSession = await createSession(world, dave);
    await world.engine.request('/api/v1/auth/logout', { method: 'POST', headers: dave.headers });
    await expectRefused(port.admit(request(daveSession.sessionId, technician(dave.headers))));

    await setPolicy(world.engine, { secondFactor: { required: 'everyone' } });
    try {
      const halfway = await login(world.engine, 'alice@a.test', ADMIN_PASSWORD);
      const token = (halfway.json as { state: string; token: string }).token;
      expect((halfway.json as { state: string }).state).to.not.equal('active');
      await expectRefused(port.admit(request(made.sessionId, { kind: 'technician', token })));
    } finally {
      await setPolicy(world.engine, {});
    }
  });

  it('refuses the former owner after a transfer; the new one makes it active', async () => {
    const { made, joined } = await joinedSession();
    const user = await port.admit(request(made.sessionId, endUser(joined)));
    await port.connected(user);
    const moved = await act(world, world.alice, made.id, 'transfer', { memberId: world.bob.id });
    expect(moved.status, moved.text).to.equal(200);
    await expectRefused(port.admit(request(made.sessionId, technician(world.alice.headers))));
    const bob = await port.admit(request(made.sessionId, technician(world.bob.headers)));
    expect(bob.state).to.equal('transferred');
    await port.connected(bob);
    expect((await detail(made.id)).state).to.equal('active');
    expect((await act(world, world.bob, made.id, 'hold')).status).to.equal(200);
    expect((await detail(made.id)).state).to.equal('on-hold');
    expect((await act(world, world.bob, made.id, 'resume')).status).to.equal(200);
    expect((await detail(made.id)).state).to.equal('active');
    const actions = (await auditOf(world.engine, 'session.on-hold', 'session.resumed'))
      .filter((r) => r.target?.id === made.id)
      .map((r) => r.action);
    expect(actions).to.deep.equal(['session.on-hold', 'session.resumed']);
  });

  it('records consent reports, audits them, and revokes every decision at the end', async () => {
    const { made, joined } = await joinedSession();
    const user = await port.admit(request(made.sessionId, endUser(joined)));
    await port.connected(user);
    await port.report(user, 'consent.asked', 'remote-control');
    await port.report(user, 'consent.granted', 'remote-control');
    await port.report(user, 'consent.denied', 'file-manager');
    const tenantId = world.engine.firstStart!.tenantId as TenantId;
    const consent = world.engine.engine.root.get<Consent>(Consent);
    expect(Object.fromEntries(await consent.decisions(tenantId, made.id))).to.deep.equal({
      'remote-control': 'granted',
      'file-manager': 'denied',
    });
    const bus = await recordBus(world, [sessionControlTopic(made.sessionId)]);
    await port.end(user);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(bus.messages.map((m) => m.message)).to.deep.equal([
      { t: 'state', state: 'closed', reason: 'ended-by-end-user' },
    ]);
    await bus.dispose();
    expect(Object.fromEntries(await consent.decisions(tenantId, made.id))).to.deep.equal({
      'remote-control': 'revoked',
      'file-manager': 'revoked',
    });
    await port.report(user, 'consent.granted', 'remote-control');
    expect((await consent.decisions(tenantId, made.id)).get('remote-control')).to.equal('revoked');
    const audited = (
      await auditOf(world.engine, 'consent.asked', 'consent.granted', 'consent.denied')
    ).filter((r) => r.target?.id === made.id);
    expect(audited.map((r) => r.action)).to.deep.equal([
      'consent.asked',
      'consent.granted',
      'consent.denied',
    ]);
    expect(audited[1]?.details).to.deep.equal({ permission: 'remote-control' });
  });

  it('lets a technician watch the queue of their group only', async () => {
    const watch = await port.watchQueues(tokenOf(world.bob.headers), '127.0.0.1');
    expect(watch.groupIds).to.deep.equal([world.groupId]);
    expect(watch.memberId).to.equal(world.bob.id);
    await expectRefused(port.watchQueues('nonsense', '127.0.0.1'));
  });

  it('tells plugins of session events through Sessions, without the GUID', async () => {
    const sessions = world.engine.engine.root.get<Sessions>(Sessions);
    const heard: SupportSessionEvent[] = [];
    const listening = sessions.onEvent((event) => heard.push(event));
    try {
      const { made, joined } = await joinedSession();
      const user = await port.admit(request(made.sessionId, endUser(joined)));
      await port.connected(user);
      await port.end(user);
      const mine = heard.filter((event) => event.session.ref === made.id);
      expect(mine.map((event) => event.kind)).to.deep.equal([
        'created',
        'joined',
        'state-changed',
        'ended',
      ]);
      expect(JSON.stringify(mine)).not.to.contain(made.sessionId);
      const tenantId = world.engine.firstStart!.tenantId as TenantId;
      const found = await sessions.find(tenantId, made.id);
      expect(found).to.include({ state: 'closed', closeReason: 'ended-by-end-user' });
      expect(found?.technicianIds).to.deep.equal([world.alice.id]);
      expect(found?.seatedTechnicianIds).to.deep.equal([world.alice.id]);
      expect(found?.policy).to.deep.equal({ chatText: 'store' });
    } finally {
      await listening.dispose();
    }
  });

  it('adds relayed bytes up and writes them out', async () => {
    const { made, joined } = await joinedSession();
    const user: Admission = await port.admit(request(made.sessionId, endUser(joined)));
    port.countBytes(user, 1000);
    port.countBytes(user, 24);
    const deadline = Date.now() + 8_000;
    let bytes = 0;
    while (Date.now() < deadline && bytes === 0) {
      const answer = await world.engine.request(`/api/v1/sessions/${made.id}`, {
        headers: world.alice.headers,
      });
      bytes = (answer.json as { relayedBytes: number }).relayedBytes;
      if (bytes === 0) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(bytes).to.equal(1024);
  });

  it('binds a ContentCipher that opens only for the same tenant and purpose', async () => {
    const cipher = world.engine.engine.root.get<ContentCipher>(ContentCipher);
    const tenantId = world.engine.firstStart!.tenantId as TenantId;
    const sealed = await cipher.seal(tenantId, 'chat:S1', 'hello');
    expect(sealed).not.to.contain('hello');
    expect(await cipher.open(tenantId, 'chat:S1', sealed)).to.equal('hello');
    const wrong = await cipher.open(tenantId, 'chat:S2', sealed).catch((error: unknown) => error);
    expect(isTetherError(wrong) && wrong.code).to.equal('TETHER_E_DECRYPT');
  });

  it('refuses a technician of the group who was never invited', async () => {
    const { made } = await joinedSession();
    await addMember(world.engine, 'eve@a.test', ADMIN_PASSWORD, 'technician', world.groupId);
    const signIn = await login(world.engine, 'eve@a.test', ADMIN_PASSWORD);
    const token = (signIn.json as { token: string }).token;
    await expectRefused(port.admit(request(made.sessionId, { kind: 'technician', token })));
  });
});
