import { expect } from 'chai';
import { Storage, type TenantId } from '../../../engine/contracts/storage-contract.js';
import type { RegisteredRoute } from '../../../engine/http/api-registry.js';
import { PasswordHasher } from '../../../engine/identity/password-hasher.js';
import { startTestEngine, type TestEngine } from '../../../sdk/testing/test-engine.js';
import { samplePlugin } from '../../support/fixture-paths.js';
import { openSession } from '../../support/session-helpers.js';

const PASSWORD = 'walker passphrase for reach tests 8';
/** A well-formed member id of nobody, for bodies that name a member. */
const NOBODY = '00000000-0000-4000-8000-000000000000';

/** Ids the walker puts into path parameters: another tenant's, or outside a subtree. */
interface Foreign {
  readonly groupId: string;
  readonly memberId: string;
  readonly keyId: string;
  /** A support session there, of a technician the caller is not. */
  readonly sessionRef: string;
}

/**
 * A request body that gets past validation for each route that takes one, so that what answers
 * is the reach check, not the schema. A new route with a body fails the walk until it is here.
 */
const SAMPLE_BODIES: Readonly<Record<string, unknown>> = {
  signIn: { tenant: 'x', email: 'x@example.test', password: 'x' },
  changePassword: { newPassword: 'x' },
  confirmTotpSetup: { code: '123456' },
  verifySecondFactor: { method: 'totp', code: '123456' },
  sendSmsCode: { phone: '+4915112345678' },
  createMember: { email: 'new@example.test', displayName: 'New', role: 'technician' },
  updateMember: { displayName: 'Renamed' },
  createGroup: { name: 'New group' },
  updateGroup: { name: 'Renamed' },
  setGroupPermission: { allowed: true },
  setMemberReach: { groupIds: [] },
  putPolicy: {},
  createApiKey: { name: 'k', scopes: ['members:read'], expiresInDays: 1 },
  greeterGreet: { name: 'x' },
  createSession: {},
  transferSession: { memberId: NOBODY },
  inviteCollaborator: { memberId: NOBODY },
  endSession: {},
  joinSession: { code: '000000' },
  joinSessionApplet: { code: '000000' },
  arriveInQueue: { name: 'x' },
  postChatMessages: {
    messages: [
      {
        id: 'm1',
        from: 'technician',
        participantId: 'p1',
        sentAt: '2026-01-01T00:00:00.000Z',
        text: 'x',
      },
    ],
  },
};

function fill(path: string, ids: Foreign): string {
  return path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    if (name === 'groupId') return ids.groupId;
    if (name === 'memberId') return ids.memberId;
    if (name === 'permission') return 'chat';
    if (name === 'keyId') return ids.keyId;
    if (name === 'ref' || name === 'id') return ids.sessionRef;
    throw new Error(`the route walker does not know the parameter :${name} of ${path}`);
  });
}

function bodyOf(route: RegisteredRoute): unknown {
  if (!route.definition.body) return undefined;
  const sample = SAMPLE_BODIES[route.definition.operationId];
  if (sample === undefined) {
    throw new Error(`the route walker has no sample body for ${route.definition.operationId}`);
  }
  return sample;
}

/**
 * Lists that are tenant-wide by rule, not by an administrator's reach: whom a session can be
 * handed to (a transfer may go to any enabled member or group of the tenant), by name only.
 */
const TENANT_WIDE_LISTS = new Set(['/api/v1/colleagues']);

describe('every route keeps to the caller tenant and reach', function () {
  this.timeout(120_000);
  let engine: TestEngine;
  let master: Record<string, string>;
  let admin: Record<string, string>;
  let technician: Record<string, string>;
  let otherTenant: Foreign;
  let outOfReach: Foreign;
  let routes: readonly RegisteredRoute[];

  const storage = () => engine.engine.root.get<Storage>(Storage);

  async function memberWithPassword(
    tenantId: TenantId,
    email: string,
    role: 'administrator' | 'technician',
    groupId?: string,
  ) {
    const members = storage().forTenant(tenantId).members;
    const made = await members.create({ email, displayName: email, role, groupId });
    const passwordHash = await new PasswordHasher().hash(PASSWORD);
    await members.updateCredentials(made.id, { passwordHash, passwordChangedAt: new Date() });
    return made.id;
  }

  async function keyIn(tenantId: TenantId, memberId: string): Promise<string> {
    const now = new Date();
    const key = await storage()
      .forTenant(tenantId)
      .apiKeys.create({
        memberId,
        name: 'walker',
        scopes: ['members:read'],
        createdAt: now,
        expiresAt: new Date(now.getTime() + 86_400_000),
        keyHash: `${memberId.replace(/-/g, '')}`.padEnd(64, '0'),
      });
    return key.id;
  }

  async function bearer(tenant: string, email: string): Promise<Record<string, string>> {
    const login = await engine.request('/api/v1/auth/login', {
      method: 'POST',
      body: { tenant, email, password: PASSWORD },
    });
    expect(login.status, login.text).to.equal(200);
    return { authorization: `Bearer ${(login.json as { token: string }).token}` };
  }

  before(async () => {
    engine = await startTestEngine({ plugins: [samplePlugin('tsyringe-greeter')] });
    master = await engine.signInFirstAdmin(PASSWORD);
    const tenantA = engine.firstStart!.tenantId;
    const groupsA = storage().forTenant(tenantA).groups;
    const inReach = await groupsA.create({ name: 'In reach' });
    const outside = await groupsA.create({ name: 'Out of reach' });
    const adminId = await memberWithPassword(tenantA, 'admin@a.test', 'administrator');
    await groupsA.setAdminScopes(adminId, [inReach.id]);
    await memberWithPassword(tenantA, 'tech@a.test', 'technician', inReach.id);
    const outsider = await memberWithPassword(tenantA, 'far@a.test', 'technician', outside.id);
    outOfReach = {
      groupId: outside.id,
      memberId: outsider,
      keyId: await keyIn(tenantA, outsider),
      sessionRef: await openSession(engine, await bearer(engine.firstStart!.tenant, 'far@a.test')),
    };

    const tenantB = await storage().tenants.create('Tenant B');
    const groupB = await storage().forTenant(tenantB.id).groups.create({ name: 'B group' });
    const memberB = await memberWithPassword(tenantB.id, 'tech@b.test', 'technician', groupB.id);
    otherTenant = {
      groupId: groupB.id,
      memberId: memberB,
      keyId: await keyIn(tenantB.id, memberB),
      sessionRef: await openSession(engine, await bearer('Tenant B', 'tech@b.test')),
    };

    admin = await bearer(engine.firstStart!.tenant, 'admin@a.test');
    technician = await bearer(engine.firstStart!.tenant, 'tech@a.test');
    routes = engine.engine.routes();
  });
  after(() => engine?.stop());

  const call = (route: RegisteredRoute, headers: Record<string, string>, ids: Foreign) =>
    engine.request(fill(route.fullPath, ids), {
      method: route.definition.method,
      headers,
      body: bodyOf(route),
    });

  /** Routes that name something of a tenant; public ones have no caller whose reach counts. */
  const withParams = () =>
    routes.filter((route) => route.fullPath.includes('/:') && route.definition.access !== 'public');

  it('walks a meaningful number of routes', () => {
    expect(routes.length).to.be.greaterThan(25);
    expect(withParams().length).to.be.greaterThan(8);
  });

  it('answers 401 to every route but the public ones when nobody signed in', async () => {
    for (const route of routes.filter((r) => r.definition.access !== 'public')) {
      const answer = await call(route, {}, outOfReach);
      expect(answer.status, `${route.definition.method} ${route.fullPath}`).to.equal(401);
    }
  });

  it("answers 403 or 404 when a master administrator names another tenant's ids", async () => {
    for (const route of withParams()) {
      const answer = await call(route, master, otherTenant);
      const where = `${route.definition.method} ${route.fullPath}: ${answer.text}`;
      expect([403, 404], where).to.include(answer.status);
    }
  });

  it('answers 403 or 404 when an administrator names ids outside their subtree', async () => {
    for (const route of withParams()) {
      const answer = await call(route, admin, outOfReach);
      const where = `${route.definition.method} ${route.fullPath}: ${answer.text}`;
      expect([403, 404], where).to.include(answer.status);
    }
  });

  it('answers 403 to a technician on every administration route', async () => {
    for (const route of routes.filter((r) => r.definition.roles !== undefined)) {
      const answer = await call(route, technician, outOfReach);
      expect(answer.status, `${route.definition.method} ${route.fullPath}`).to.equal(403);
    }
  });

  it('lists nothing of another tenant, nor an administrator anything out of reach', async () => {
    const lists = routes.filter(
      (route) => route.definition.method === 'GET' && !route.fullPath.includes('/:'),
    );
    for (const route of lists) {
      const checks = [
        ['master', master, otherTenant],
        ['administrator', admin, outOfReach],
      ] as const;
      for (const [who, headers, hidden] of checks.filter(
        ([who]) => who === 'master' || !TENANT_WIDE_LISTS.has(route.fullPath),
      )) {
        const answer = await call(route, headers, outOfReach);
        const where = `${who} ${route.fullPath}`;
        expect(answer.text, where).not.to.contain(hidden.groupId);
        expect(answer.text, where).not.to.contain(hidden.memberId);
      }
    }
  });
});
