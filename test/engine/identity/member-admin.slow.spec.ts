import { expect } from 'chai';
import type { MemberRole } from '../../../engine/contracts/storage-contract.js';
import type { TestResponse } from '../../../sdk/testing/https-request.js';
import { startTestEngine, type TestEngine } from '../../../sdk/testing/test-engine.js';
import {
  ADMIN_PASSWORD,
  addGroup,
  addMember,
  auditOf,
  expectAuditChainWhole,
  expectError,
  login,
  loginOk,
  sessionOf,
  signedInMember,
  tenantScope,
  tokenHash,
  type SignedInMember,
} from '../../support/identity-helpers.js';

const NEW_PASSWORD = 'another quite long passphrase for members 77';

interface MemberView {
  readonly id: string;
  readonly email: string;
  readonly role: string;
  readonly groupId?: string;
  readonly disabled: boolean;
  readonly locked: boolean;
}
interface Made {
  readonly member: MemberView;
  readonly oneTimeSecret: string;
  readonly expiresAt: string;
}

describe('member administration API', () => {
  let engine: TestEngine;
  let master: Record<string, string>;
  let masterId: string;
  /** A and its child A1 are in the scoped administrator's reach; B is not. */
  const group = { a: '', a1: '', b: '' };
  let scoped: SignedInMember;

  const send = (headers: Record<string, string>, method: string, path: string, body?: unknown) =>
    engine.request(path, { method, headers, body });
  const make = (headers: Record<string, string>, email: string, role: string, groupId?: string) =>
    send(headers, 'POST', '/api/v1/members', {
      email,
      displayName: email.split('@')[0],
      role,
      ...(groupId ? { groupId } : {}),
    });
  const act = (headers: Record<string, string>, memberId: string, action: string) =>
    send(headers, 'POST', `/api/v1/members/${memberId}/${action}`);
  const stored = async (id: string) => (await tenantScope(engine).members.findById(id))!;
  const tech = (email: string, groupId: string) =>
    signedInMember(engine, email, 'technician', { groupId });
  /** Whether the sign-in behind these headers is revoked in storage (asked before any use). */
  const revoked = async (headers: Record<string, string>) =>
    !!(await tenantScope(engine).signIns.findByTokenHash(tokenHash(headers)))?.revokedAt;

  before(async () => {
    engine = await startTestEngine();
    master = await engine.signInFirstAdmin();
    masterId = engine.firstStart!.memberId;
    group.a = await addGroup(engine, 'A');
    group.a1 = await addGroup(engine, 'A1', group.a);
    group.b = await addGroup(engine, 'B');
    scoped = await signedInMember(engine, 'scoped@example.test', 'administrator', {
      groupId: group.a,
      scopes: [group.a],
    });
  });
  after(() => engine?.stop());

  it('lets a master administrator make a technician who signs in once with a secret', async () => {
    const answer = await make(master, 'first-tech@example.test', 'technician', group.a);
    expect(answer.status, answer.text).to.equal(201);
    const made = answer.json as Made;
    expect(made.member).to.include({ role: 'technician', groupId: group.a, disabled: false });
    expect(made.oneTimeSecret).to.be.a('string').with.length.greaterThan(20);
    expect(Date.parse(made.expiresAt)).to.be.greaterThan(Date.now());

    const first = await loginOk(engine, 'first-tech@example.test', made.oneTimeSecret);
    expect(first.body.state).to.equal('password-change-required');
    const halfway = (await sessionOf(engine, first.headers)).json as { state: string };
    expect(halfway.state).to.equal('password-change-required');
    const early = await send(first.headers, 'GET', '/api/v1/groups');
    expectError(early, 403, 'TETHER_E_SIGN_IN_INCOMPLETE');
    const change = await send(first.headers, 'POST', '/api/v1/auth/password', {
      newPassword: NEW_PASSWORD,
    });
    expect(change.status, change.text).to.equal(200);
    expect((change.json as { state: string }).state).to.equal('active');
    const again = await loginOk(engine, 'first-tech@example.test', NEW_PASSWORD);
    expect(again.body.state).to.equal('active');

    const [record] = (await auditOf(engine, 'member.created')).filter(
      (r) => r.target?.id === made.member.id,
    );
    expect(record?.actor.id).to.equal(masterId);
    expect(record?.nodeId).to.equal(group.a);
    expect(record?.after).to.include({ email: 'first-tech@example.test', role: 'technician' });
  });

  it('takes the one-time secret only once', async () => {
    const made = (await make(master, 'once@example.test', 'technician', group.b)).json as Made;
    expect((await login(engine, 'once@example.test', made.oneTimeSecret)).status).to.equal(200);
    const second = await login(engine, 'once@example.test', made.oneTimeSecret);
    expectError(second, 401, 'TETHER_E_SIGN_IN_FAILED');
  });

  it('lets a scoped administrator make technicians only in their subtree', async () => {
    const inA = await make(scoped.headers, 'by-scoped-a@example.test', 'technician', group.a);
    expect(inA.status, inA.text).to.equal(201);
    const inA1 = await make(scoped.headers, 'by-scoped-a1@example.test', 'technician', group.a1);
    expect(inA1.status, inA1.text).to.equal(201);

    const refused: Array<[TestResponse, number, string]> = [
      [await make(scoped.headers, 'r1@example.test', 'technician', group.b), 404, 'NOT_FOUND'],
      [await make(scoped.headers, 'r2@example.test', 'technician'), 400, 'VALIDATION'],
      [await make(scoped.headers, 'r3@example.test', 'administrator', group.a), 403, 'FORBIDDEN'],
      [
        await make(scoped.headers, 'r4@example.test', 'master-administrator', group.a),
        403,
        'FORBIDDEN',
      ],
    ];
    for (const [answer, status, code] of refused) expectError(answer, status, `TETHER_E_${code}`);
    for (const email of ['r1', 'r2', 'r3', 'r4']) {
      expect(await tenantScope(engine).members.findByEmail(`${email}@example.test`)).to.equal(
        undefined,
      );
    }
  });

  it('lists for an administrator only the technicians of their subtree', async () => {
    const inA = await addMember(
      engine,
      'list-a@example.test',
      ADMIN_PASSWORD,
      'technician',
      group.a,
    );
    const inA1 = await addMember(
      engine,
      'list-a1@example.test',
      ADMIN_PASSWORD,
      'technician',
      group.a1,
    );
    const inB = await addMember(
      engine,
      'list-b@example.test',
      ADMIN_PASSWORD,
      'technician',
      group.b,
    );
    const peer = await addMember(
      engine,
      'peer@example.test',
      ADMIN_PASSWORD,
      'administrator',
      group.a,
    );
    const masterInA = await addMember(
      engine,
      'master-in-a@example.test',
      ADMIN_PASSWORD,
      'master-administrator',
      group.a,
    );

    const all = await send(master, 'GET', '/api/v1/members?limit=500');
    const allIds = (all.json as { items: MemberView[] }).items.map((m) => m.id);
    expect(allIds).to.include.members([inA, inA1, inB, peer, masterInA, masterId]);

    const answer = await send(scoped.headers, 'GET', '/api/v1/members?limit=500');
    expect(answer.status, answer.text).to.equal(200);
    const items = (answer.json as { items: MemberView[] }).items;
    expect(items.map((m) => m.id)).to.include.members([inA, inA1]);
    for (const member of items) {
      expect(member.role, member.email).to.equal('technician');
      expect([group.a, group.a1], member.email).to.include(member.groupId);
    }
    expect(items.map((m) => m.id)).not.to.include.oneOf([
      inB,
      peer,
      masterInA,
      masterId,
      scoped.id,
    ]);
  });

  it('ends sign-ins at once on disable, refuses sign-in, and lets back in on enable', async () => {
    const target = await tech('disabled@example.test', group.a);
    const disabled = await act(master, target.id, 'disable');
    expect(disabled.status, disabled.text).to.equal(200);
    expect((disabled.json as { member: MemberView }).member.disabled).to.equal(true);
    expect(await revoked(target.headers), 'revoked before the bearer is used again').to.equal(true);
    expectError(await sessionOf(engine, target.headers), 401, 'TETHER_E_SESSION_EXPIRED');
    expectError(await login(engine, target.email, ADMIN_PASSWORD), 401, 'TETHER_E_SIGN_IN_FAILED');

    const enabled = await act(scoped.headers, target.id, 'enable');
    expect(enabled.status, enabled.text).to.equal(200);
    expect((await loginOk(engine, target.email, ADMIN_PASSWORD)).body.state).to.equal('active');
    expectError(await sessionOf(engine, target.headers), 401, 'TETHER_E_SESSION_EXPIRED');

    const records = (await auditOf(engine, 'member.disable', 'member.enable')).filter(
      (r) => r.target?.id === target.id,
    );
    expect(records.map((r) => r.action)).to.deep.equal(['member.disable', 'member.enable']);
    expect(records[0]).to.deep.include({ nodeId: group.a });
    expect(records[0]?.before).to.include({ disabled: false });
    expect(records[0]?.after).to.include({ disabled: true });
  });

  it('unlocks a member locked after five failed sign-ins', async () => {
    const id = await addMember(
      engine,
      'locked@example.test',
      ADMIN_PASSWORD,
      'technician',
      group.a1,
    );
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      await login(engine, 'locked@example.test', `wrong guess ${attempt}`);
    }
    expectError(
      await login(engine, 'locked@example.test', ADMIN_PASSWORD),
      401,
      'TETHER_E_SIGN_IN_FAILED',
    );
    expect((await stored(id)).lockedAt).to.be.instanceOf(Date);

    const answer = await act(scoped.headers, id, 'unlock');
    expect(answer.status, answer.text).to.equal(200);
    expect((answer.json as { member: MemberView }).member.locked).to.equal(false);
    await loginOk(engine, 'locked@example.test', ADMIN_PASSWORD);
  });

  it('resets a password: sign-ins end, the old password fails, a new secret works', async () => {
    const target = await tech('reset@example.test', group.a);
    const answer = await act(master, target.id, 'reset-password');
    expect(answer.status, answer.text).to.equal(200);
    const secret = (answer.json as { oneTimeSecret?: string }).oneTimeSecret;
    expect(secret).to.be.a('string').with.length.greaterThan(20);
    expect(await revoked(target.headers)).to.equal(true);
    expectError(await sessionOf(engine, target.headers), 401, 'TETHER_E_SESSION_EXPIRED');
    expectError(await login(engine, target.email, ADMIN_PASSWORD), 401, 'TETHER_E_SIGN_IN_FAILED');
    const next = await loginOk(engine, target.email, secret!);
    expect(next.body.state).to.equal('password-change-required');
  });

  it('lets nobody disable, reset or re-role themselves', async () => {
    for (const self of [{ id: masterId, headers: master }, scoped]) {
      for (const action of ['disable', 'reset-password']) {
        expectError(await act(self.headers, self.id, action), 404, 'TETHER_E_NOT_FOUND');
      }
      const patch = await send(self.headers, 'PATCH', `/api/v1/members/${self.id}`, {
        role: 'master-administrator',
      });
      expectError(patch, 404, 'TETHER_E_NOT_FOUND');
      expect((await stored(self.id)).disabled).to.equal(false);
      expect((await sessionOf(engine, self.headers)).status).to.equal(200);
    }
    expect((await stored(scoped.id)).role).to.equal('administrator');
  });

  it('puts master administrators and administrators out of an administrator reach', async () => {
    const masterInA = await addMember(
      engine,
      'untouchable@example.test',
      ADMIN_PASSWORD,
      'master-administrator',
      group.a,
    );
    const peer = await addMember(
      engine,
      'peer-a@example.test',
      ADMIN_PASSWORD,
      'administrator',
      group.a,
    );
    for (const id of [masterInA, peer]) {
      for (const action of ['disable', 'enable', 'unlock', 'reset-password']) {
        expectError(await act(scoped.headers, id, action), 404, 'TETHER_E_NOT_FOUND');
      }
      const patch = await send(scoped.headers, 'PATCH', `/api/v1/members/${id}`, {
        displayName: 'Taken over',
      });
      expectError(patch, 404, 'TETHER_E_NOT_FOUND');
      expect(await stored(id)).to.include({ disabled: false });
      expect((await stored(id)).displayName).not.to.equal('Taken over');
    }
    await loginOk(engine, 'untouchable@example.test', ADMIN_PASSWORD);
  });

  it('keeps the master account holder out of a master administrator reach', async () => {
    const holder = await addMember(
      engine,
      'holder@example.test',
      ADMIN_PASSWORD,
      'master-account-holder',
    );
    expectError(await act(master, holder, 'disable'), 404, 'TETHER_E_NOT_FOUND');
    expect((await stored(holder)).disabled).to.equal(false);
  });

  it('moves a technician between groups in reach, never out of it', async () => {
    const id = await addMember(engine, 'mover@example.test', ADMIN_PASSWORD, 'technician', group.a);
    const path = `/api/v1/members/${id}`;
    const moved = await send(scoped.headers, 'PATCH', path, { groupId: group.a1 });
    expect(moved.status, moved.text).to.equal(200);
    expect((moved.json as MemberView).groupId).to.equal(group.a1);
    const [record] = (await auditOf(engine, 'member.changed')).filter((r) => r.target?.id === id);
    expect(record).to.deep.include({ nodeId: group.a1 });
    expect(record?.before).to.include({ groupId: group.a });
    expect(record?.after).to.include({ groupId: group.a1 });

    expectError(
      await send(scoped.headers, 'PATCH', path, { groupId: group.b }),
      404,
      'TETHER_E_NOT_FOUND',
    );
    expectError(
      await send(scoped.headers, 'PATCH', path, { groupId: null }),
      403,
      'TETHER_E_FORBIDDEN',
    );
    expect((await stored(id)).groupId).to.equal(group.a1);

    expect((await send(master, 'PATCH', path, { groupId: group.b })).status).to.equal(200);
    expectError(
      await send(scoped.headers, 'PATCH', path, { groupId: group.a }),
      404,
      'TETHER_E_NOT_FOUND',
    );
    expect((await stored(id)).groupId).to.equal(group.b);
  });

  it('refuses role escalation through PATCH', async () => {
    const id = await addMember(
      engine,
      'climber@example.test',
      ADMIN_PASSWORD,
      'technician',
      group.a,
    );
    const path = `/api/v1/members/${id}`;
    const attempts: Array<[Record<string, string>, string, number, string]> = [
      [scoped.headers, 'administrator', 403, 'TETHER_E_FORBIDDEN'],
      [scoped.headers, 'master-administrator', 403, 'TETHER_E_FORBIDDEN'],
      [scoped.headers, 'master-account-holder', 400, 'TETHER_E_VALIDATION'],
      [master, 'master-account-holder', 400, 'TETHER_E_VALIDATION'],
    ];
    for (const [headers, role, status, code] of attempts) {
      expectError(await send(headers, 'PATCH', path, { role }), status, code);
      expect((await stored(id)).role, role).to.equal('technician');
    }
    const promoted = await send(master, 'PATCH', path, { role: 'administrator' });
    expect(promoted.status, promoted.text).to.equal(200);
    expect((await stored(id)).role).to.equal('administrator' satisfies MemberRole);
  });

  it('answers a technician 403 on every member route', async () => {
    const caller = await tech('tech-caller@example.test', group.a);
    const other = await addMember(
      engine,
      'tech-other@example.test',
      ADMIN_PASSWORD,
      'technician',
      group.a,
    );
    const routes = engine.engine.routes().filter((r) => r.definition.tags?.includes('members'));
    expect(routes.length).to.be.at.least(7);
    for (const { definition, fullPath } of routes) {
      for (const id of [other, caller.id]) {
        const path = fullPath.replace(':memberId', id);
        const body = definition.body
          ? { email: 'x@example.test', displayName: 'x', role: 'technician', groupId: group.a }
          : undefined;
        const answer = await send(caller.headers, definition.method, path, body);
        expectError(answer, 403, 'TETHER_E_FORBIDDEN');
      }
    }
    expect(await stored(other)).to.include({ disabled: false, role: 'technician' });
    expect(await tenantScope(engine).members.findByEmail('x@example.test')).to.equal(undefined);
    await expectAuditChainWhole(engine);
  });
});
