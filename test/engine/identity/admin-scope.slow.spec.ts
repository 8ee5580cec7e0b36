import { expect } from 'chai';
import { startTestEngine, type TestEngine } from '../../../sdk/testing/test-engine.js';
import { fixturePlugin } from '../../support/fixture-paths.js';
import {
  addGroup,
  auditOf,
  expectError,
  signedInMember,
  type SignedInMember,
} from '../../support/identity-helpers.js';

type Headers = Record<string, string>;

describe("administrators' reach and the permission catalogue over the API", function () {
  this.timeout(60_000);
  let engine: TestEngine;
  let master: Headers;
  const group = { a: '', a1: '', b: '' };
  let admin: SignedInMember;
  let technician: SignedInMember;

  const send = (headers: Headers, method: string, path: string, body?: unknown) =>
    engine.request(path, { method, headers, body });
  const setReach = (headers: Headers, memberId: string, groupIds: string[]) =>
    send(headers, 'PUT', `/api/v1/members/${memberId}/reach`, { groupIds });
  const groupsSeenBy = async (headers: Headers) => {
    const answer = await send(headers, 'GET', '/api/v1/groups');
    expect(answer.status, answer.text).to.equal(200);
    return (answer.json as { items: { id: string }[] }).items.map((g) => g.id).sort();
  };

  before(async () => {
    engine = await startTestEngine({ plugins: [fixturePlugin('lens-like')] });
    master = await engine.signInFirstAdmin();
    group.a = await addGroup(engine, 'A');
    group.a1 = await addGroup(engine, 'A1', group.a);
    group.b = await addGroup(engine, 'B');
    admin = await signedInMember(engine, 'admin@reach.test', 'administrator');
    technician = await signedInMember(engine, 'tech@reach.test', 'technician', {
      groupId: group.a1,
    });
  });
  after(() => engine?.stop());

  it('gives an administrator the subtrees of the groups a master administrator sets', async () => {
    expect(await groupsSeenBy(admin.headers)).to.deep.equal([]);
    const set = await setReach(master, admin.id, [group.a, group.a]);
    expect(set.status, set.text).to.equal(200);
    expect(set.json).to.deep.equal({ groupIds: [group.a] });

    const read = await send(master, 'GET', `/api/v1/members/${admin.id}/reach`);
    expect(read.json).to.deep.equal({ groupIds: [group.a] });
    expect(await groupsSeenBy(admin.headers)).to.deep.equal([group.a, group.a1].sort());

    const [record] = (await auditOf(engine, 'member.reach.changed')).slice(-1);
    expect(record?.before).to.deep.equal({ groupIds: [] });
    expect(record?.after).to.deep.equal({ groupIds: [group.a] });
    expect(record?.target).to.deep.equal({ kind: 'member', id: admin.id });
  });

  it('takes a reach away as well', async () => {
    expect((await setReach(master, admin.id, [group.b])).status).to.equal(200);
    expect(await groupsSeenBy(admin.headers)).to.deep.equal([group.b]);
    expect((await setReach(master, admin.id, [])).status).to.equal(200);
    expect(await groupsSeenBy(admin.headers)).to.deep.equal([]);
  });

  it('refuses a reach for a member who is not an administrator', async () => {
    expectError(await setReach(master, technician.id, [group.a]), 400, 'TETHER_E_VALIDATION');
  });

  it('refuses groups that do not exist and malformed ids', async () => {
    const nobody = '00000000-0000-4000-8000-000000000000';
    expectError(await setReach(master, admin.id, [nobody]), 404, 'TETHER_E_NOT_FOUND');
    expectError(await setReach(master, admin.id, ['not-a-uuid']), 400, 'TETHER_E_VALIDATION');
    expect(await groupsSeenBy(admin.headers)).to.deep.equal([]);
  });

  it('lets no administrator widen their own reach or read another one', async () => {
    await setReach(master, admin.id, [group.a1]);
    expectError(
      await setReach(admin.headers, admin.id, [group.a, group.b]),
      403,
      'TETHER_E_FORBIDDEN',
    );
    const read = await send(admin.headers, 'GET', `/api/v1/members/${admin.id}/reach`);
    expectError(read, 403, 'TETHER_E_FORBIDDEN');
    expect(await groupsSeenBy(admin.headers)).to.deep.equal([group.a1]);
  });

  it('lists the built-in and plugin permissions with titles and defaults', async () => {
    const answer = await send(admin.headers, 'GET', '/api/v1/permissions');
    expect(answer.status, answer.text).to.equal(200);
    const items = (answer.json as { items: { id: string; title: string; byDefault: boolean }[] })
      .items;
    expect(items.find((p) => p.id === 'chat')).to.deep.equal({
      id: 'chat',
      title: 'Chat',
      byDefault: true,
    });
    expect(items.find((p) => p.id === 'lens-like.camera')).to.include({ title: 'Camera' });
    expectError(
      await send(technician.headers, 'GET', '/api/v1/permissions'),
      403,
      'TETHER_E_FORBIDDEN',
    );
  });
});
