import { expect } from 'chai';
import { startTestEngine, type TestEngine } from '../../../sdk/testing/test-engine.js';
import { fixturePlugin } from '../../support/fixture-paths.js';
import {
  ADMIN_PASSWORD,
  addGroup,
  addMember,
  auditOf,
  expectError,
  signedInMember,
  tenantScope,
  type SignedInMember,
} from '../../support/identity-helpers.js';

type Headers = Record<string, string>;
interface GroupView {
  readonly id: string;
  readonly parentId?: string;
  readonly name: string;
}
interface Effective {
  readonly permission: string;
  readonly allowed: boolean;
  readonly own: boolean | null;
  readonly lockedBy?: string;
}

/** Requests and look-ups shared by the specs below, bound to one engine. */
function client(engine: () => TestEngine) {
  const send = (headers: Headers, method: string, path: string, body?: unknown) =>
    engine().request(path, { method, headers, body });
  const permissions = async (headers: Headers, groupId: string) => {
    const answer = await send(headers, 'GET', `/api/v1/groups/${groupId}/permissions`);
    expect(answer.status, answer.text).to.equal(200);
    return (answer.json as { items: Effective[] }).items;
  };
  return {
    send,
    permissions,
    permission: async (headers: Headers, groupId: string, id: string) =>
      (await permissions(headers, groupId)).find((p) => p.permission === id),
    put: (headers: Headers, groupId: string, id: string, body: object) =>
      send(headers, 'PUT', `/api/v1/groups/${groupId}/permissions/${id}`, body),
    stored: (groupId: string) => tenantScope(engine()).groups.findById(groupId),
  };
}

describe('group administration API', () => {
  let engine: TestEngine;
  let master: Headers;
  /** A (with child A1) is in the scoped administrator's reach; B is not. */
  const group = { a: '', a1: '', b: '' };
  let scoped: SignedInMember;
  const { send, permissions, permission, put, stored } = client(() => engine);

  before(async () => {
    engine = await startTestEngine();
    master = await engine.signInFirstAdmin();
    group.a = await addGroup(engine, 'A');
    group.a1 = await addGroup(engine, 'A1', group.a);
    group.b = await addGroup(engine, 'B');
    scoped = await signedInMember(engine, 'scoped@example.test', 'administrator', {
      scopes: [group.a],
    });
  });
  after(() => engine?.stop());

  it('makes groups at the top for master roles only', async () => {
    const made = await send(master, 'POST', '/api/v1/groups', { name: 'Top' });
    expect(made.status, made.text).to.equal(201);
    const top = made.json as GroupView;
    expect(top).to.deep.equal({ id: top.id, name: 'Top' });
    const [record] = (await auditOf(engine, 'group.created')).filter((r) => r.nodeId === top.id);
    expect(record?.after).to.deep.equal({ id: top.id, name: 'Top' });

    const refused = await send(scoped.headers, 'POST', '/api/v1/groups', { name: 'Sneaky top' });
    expectError(refused, 403, 'TETHER_E_FORBIDDEN');
    const names = (await tenantScope(engine).groups.list()).map((g) => g.name);
    expect(names).not.to.include('Sneaky top');
  });

  it('makes groups below a group in reach, and not below one out of it', async () => {
    const below = await send(scoped.headers, 'POST', '/api/v1/groups', {
      name: 'Below A1',
      parentId: group.a1,
    });
    expect(below.status, below.text).to.equal(201);
    expect((below.json as GroupView).parentId).to.equal(group.a1);
    const outside = { name: 'Below B', parentId: group.b };
    expectError(
      await send(scoped.headers, 'POST', '/api/v1/groups', outside),
      404,
      'TETHER_E_NOT_FOUND',
    );
    const names = (await tenantScope(engine).groups.list()).map((g) => g.name);
    expect(names).not.to.include('Below B');
  });

  it('lists for an administrator only the groups of their subtree', async () => {
    const all = await tenantScope(engine).groups.list();
    const parentOf = new Map(all.map((g) => [g.id, g.parentId]));
    const underA = (id: string | undefined): boolean =>
      id !== undefined && (id === group.a || underA(parentOf.get(id)));
    const expected = all.filter((g) => underA(g.id)).map((g) => g.id);
    expect(expected).to.include.members([group.a, group.a1]);

    const answer = await send(scoped.headers, 'GET', '/api/v1/groups');
    expect(answer.status, answer.text).to.equal(200);
    const seen = (answer.json as { items: GroupView[] }).items.map((g) => g.id);
    expect(seen).to.have.members(expected);
    const everything = (await send(master, 'GET', '/api/v1/groups')).json as { items: GroupView[] };
    expect(everything.items.map((g) => g.id)).to.have.members(all.map((g) => g.id));
  });

  it('renames a group in reach, and not one out of it', async () => {
    const renamed = await send(scoped.headers, 'PATCH', `/api/v1/groups/${group.a1}`, {
      name: 'A1 renamed',
    });
    expect(renamed.status, renamed.text).to.equal(200);
    expect((await stored(group.a1))?.name).to.equal('A1 renamed');
    const [record] = (await auditOf(engine, 'group.changed')).filter((r) => r.nodeId === group.a1);
    expect(record?.before).to.include({ name: 'A1' });
    expect(record?.after).to.include({ name: 'A1 renamed' });

    const b = await send(scoped.headers, 'PATCH', `/api/v1/groups/${group.b}`, { name: 'Mine' });
    expectError(b, 404, 'TETHER_E_NOT_FOUND');
    expect((await stored(group.b))?.name).to.equal('B');
  });

  it('refuses moving a group below itself, and an administrator moving out of reach', async () => {
    const x = await addGroup(engine, 'X');
    const x1 = await addGroup(engine, 'X1', x);
    const x2 = await addGroup(engine, 'X2', x1);
    for (const parentId of [x, x2]) {
      const answer = await send(master, 'PATCH', `/api/v1/groups/${x}`, { parentId });
      expectError(answer, 400, 'TETHER_E_VALIDATION');
      expect((answer.json as { error: { message: string } }).error.message).to.match(
        /^body\.parentId:/,
      );
    }
    expect((await stored(x))?.parentId).to.equal(undefined);
    expect((await send(master, 'PATCH', `/api/v1/groups/${x2}`, { parentId: x })).status).to.equal(
      200,
    );
    expect((await stored(x2))?.parentId).to.equal(x);

    const a1 = `/api/v1/groups/${group.a1}`;
    expectError(
      await send(scoped.headers, 'PATCH', a1, { parentId: null }),
      403,
      'TETHER_E_FORBIDDEN',
    );
    expectError(
      await send(scoped.headers, 'PATCH', a1, { parentId: group.b }),
      404,
      'TETHER_E_NOT_FOUND',
    );
    expect((await stored(group.a1))?.parentId).to.equal(group.a);
  });

  it('deletes only an empty group', async () => {
    const d = await addGroup(engine, 'D', group.a);
    const d1 = await addGroup(engine, 'D1', d);
    const e = await addGroup(engine, 'E', group.a);
    await addMember(engine, 'in-e@example.test', ADMIN_PASSWORD, 'technician', e);
    expectError(
      await send(scoped.headers, 'DELETE', `/api/v1/groups/${d}`),
      409,
      'TETHER_E_CONFLICT',
    );
    expectError(
      await send(scoped.headers, 'DELETE', `/api/v1/groups/${e}`),
      409,
      'TETHER_E_CONFLICT',
    );
    expect(await stored(d)).to.not.equal(undefined);
    expect(await stored(e)).to.not.equal(undefined);

    expect((await send(scoped.headers, 'DELETE', `/api/v1/groups/${d1}`)).status).to.equal(204);
    expect((await send(scoped.headers, 'DELETE', `/api/v1/groups/${d}`)).status).to.equal(204);
    expect(await stored(d)).to.equal(undefined);
    const [record] = (await auditOf(engine, 'group.deleted')).filter((r) => r.nodeId === d);
    expect(record?.before).to.include({ name: 'D' });

    expectError(
      await send(scoped.headers, 'DELETE', `/api/v1/groups/${group.b}`),
      404,
      'TETHER_E_NOT_FOUND',
    );
    expect(await stored(group.b)).to.not.equal(undefined);
  });

  it('inherits permissions down the tree; a child overrides, then inherits again', async () => {
    const parent = await addGroup(engine, 'Parent', group.a);
    const child = await addGroup(engine, 'Child', parent);
    const defaults = await permissions(scoped.headers, child);
    expect(defaults.find((p) => p.permission === 'chat')).to.deep.equal({
      permission: 'chat',
      allowed: true,
      own: null,
    });
    for (const p of defaults.filter((p) => p.permission !== 'chat')) {
      expect(p, p.permission).to.deep.equal({
        permission: p.permission,
        allowed: false,
        own: null,
      });
    }

    const set = await put(scoped.headers, parent, 'screen-sharing', { allowed: true });
    expect(set.status, set.text).to.equal(200);
    expect(set.json).to.deep.equal({ permission: 'screen-sharing', allowed: true, own: true });
    expect(await permission(scoped.headers, child, 'screen-sharing')).to.include({
      allowed: true,
      own: null,
    });

    expect(
      (await put(scoped.headers, child, 'screen-sharing', { allowed: false })).status,
    ).to.equal(200);
    expect(await permission(scoped.headers, child, 'screen-sharing')).to.include({
      allowed: false,
      own: false,
    });
    expect(await permission(scoped.headers, parent, 'screen-sharing')).to.include({
      allowed: true,
    });

    expect((await put(scoped.headers, child, 'screen-sharing', { allowed: null })).status).to.equal(
      200,
    );
    expect(await permission(scoped.headers, child, 'screen-sharing')).to.include({
      allowed: true,
      own: null,
    });
    const changes = (await auditOf(engine, 'group.permission.changed')).filter(
      (r) => r.nodeId === child,
    );
    expect(changes).to.have.length(2);
    expect(changes[1]?.before).to.include({ allowed: false, own: false });
    expect(changes[1]?.after).to.include({ allowed: true, own: null });
  });

  it('holds a master lock against administrators on the group and below', async () => {
    const locked = await addGroup(engine, 'Locked', group.a);
    const child = await addGroup(engine, 'Locked child', locked);
    const grandchild = await addGroup(engine, 'Locked grandchild', child);
    const childAdmin = await signedInMember(engine, 'child-admin@example.test', 'administrator', {
      scopes: [child],
    });
    const lock = await put(master, locked, 'remote-control', { allowed: false, locked: true });
    expect(lock.status, lock.text).to.equal(200);
    expect(lock.json).to.deep.include({ allowed: false, lockedBy: locked });

    for (const [headers, groupId] of [
      [childAdmin.headers, child],
      [childAdmin.headers, grandchild],
      [scoped.headers, locked],
    ] as const) {
      for (const allowed of [true, null]) {
        const answer = await put(headers, groupId, 'remote-control', { allowed });
        expectError(answer, 403, 'TETHER_E_LOCKED_SETTING');
      }
      expect(await permission(master, groupId, 'remote-control')).to.include({ allowed: false });
    }
    expect(
      (await put(childAdmin.headers, child, 'file-manager', { allowed: true })).status,
    ).to.equal(200);
    expect((await put(master, grandchild, 'remote-control', { allowed: true })).status).to.equal(
      200,
    );
  });

  it('pins the inherited value when a permission is locked without one', async () => {
    const pinned = await addGroup(engine, 'Pinned', group.a);
    expect(await permission(master, pinned, 'reboot')).to.include({ allowed: false });
    const lock = await put(master, pinned, 'reboot', { allowed: null, locked: true });
    expect(lock.json).to.deep.include({ allowed: false, lockedBy: pinned });
    expect((await put(scoped.headers, group.a, 'reboot', { allowed: true })).status).to.equal(200);
    expect(await permission(master, pinned, 'reboot')).to.include({ allowed: false });
    await put(master, group.a, 'reboot', { allowed: null });
  });

  it('keeps an administrator from moving a group out from under a lock', async () => {
    const locked = await addGroup(engine, 'Locked parent', group.a);
    const inside = await addGroup(engine, 'Inside the lock', locked);
    expect((await put(master, locked, 'reboot', { allowed: false, locked: true })).status).to.equal(
      200,
    );

    const escape = await send(scoped.headers, 'PATCH', `/api/v1/groups/${inside}`, {
      parentId: group.a,
    });
    expectError(escape, 403, 'TETHER_E_LOCKED_SETTING');
    expect((await stored(inside))?.parentId).to.equal(locked);
    expectError(
      await put(scoped.headers, inside, 'reboot', { allowed: true }),
      403,
      'TETHER_E_LOCKED_SETTING',
    );
    const moved = await send(master, 'PATCH', `/api/v1/groups/${inside}`, { parentId: group.a });
    expect(moved.status, moved.text).to.equal(200);
  });

  it('lets no administrator set a lock', async () => {
    const answer = await put(scoped.headers, group.a1, 'chat', { allowed: true, locked: true });
    expect(answer.status, answer.text).to.equal(403);
    expect(await permission(master, group.a1, 'chat')).to.deep.equal({
      permission: 'chat',
      allowed: true,
      own: null,
    });
  });

  it('answers 404 for a permission nobody declared', async () => {
    for (const id of ['no-such-permission', 'lens-like.camera']) {
      expectError(await put(master, group.a, id, { allowed: true }), 404, 'TETHER_E_NOT_FOUND');
    }
    const ids = (await permissions(master, group.a)).map((p) => p.permission);
    expect(ids).not.to.include('lens-like.camera');
  });

  it('answers a technician 403 on every group route', async () => {
    const tech = await signedInMember(engine, 'tech@example.test', 'technician', {
      groupId: group.a,
    });
    const routes = engine.engine.routes().filter((r) => r.definition.tags?.includes('groups'));
    expect(routes.length).to.be.at.least(6);
    for (const { definition, fullPath } of routes) {
      const path = fullPath.replace(':groupId', group.a).replace(':permission', 'remote-control');
      const body = definition.body ? { name: 'By a technician', allowed: true } : undefined;
      const answer = await send(tech.headers, definition.method, path, body);
      expectError(answer, 403, 'TETHER_E_FORBIDDEN');
    }
    expect((await stored(group.a))?.name).to.equal('A');
    expect(await permission(master, group.a, 'remote-control')).to.include({ own: null });
  });
});

describe('group administration API with a plugin that declares a permission', () => {
  let engine: TestEngine;
  let master: Headers;
  const { permission, put } = client(() => engine);

  before(async () => {
    engine = await startTestEngine({ plugins: [fixturePlugin('lens-like')] });
    master = await engine.signInFirstAdmin();
  });
  after(() => engine?.stop());

  it('puts the plugin permission in the matrix, denied until a group allows it', async () => {
    const groupId = await addGroup(engine, 'Cameras');
    expect(await permission(master, groupId, 'lens-like.camera')).to.deep.equal({
      permission: 'lens-like.camera',
      allowed: false,
      own: null,
    });
    const answer = await put(master, groupId, 'lens-like.camera', { allowed: true });
    expect(answer.status, answer.text).to.equal(200);
    expect(await permission(master, groupId, 'lens-like.camera')).to.include({
      allowed: true,
      own: true,
    });
  });
});
