import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { Storage } from '../../../engine/contracts/storage-contract.js';
import { isTetherError } from '../../../engine/errors.js';
import { PasswordHasher } from '../../../engine/identity/password-hasher.js';
import { ADMIN_PASSWORD, expectError } from '../../support/identity-helpers.js';
import {
  act,
  allow,
  arrive,
  createSession,
  refOf,
  startSessionWorld,
  type JoinedBody,
  type SessionWorld,
} from './session-fixtures.js';

describe('sessions keep to their tenant', function () {
  this.timeout(60_000);
  let world: SessionWorld;
  let outsider: { id: string; headers: Record<string, string> };
  let outsiderAdmin: Record<string, string>;

  async function memberOf(
    tenant: string,
    email: string,
    role: 'technician' | 'master-administrator',
    groupId?: string,
  ) {
    const storage = world.engine.engine.root.get<Storage>(Storage);
    const found = await storage.tenants.findByName(tenant);
    const members = storage.forTenant(found!.id).members;
    const made = await members.create({ email, displayName: email, role, groupId });
    await members.updateCredentials(made.id, {
      passwordHash: await new PasswordHasher().hash(ADMIN_PASSWORD),
      passwordChangedAt: new Date(),
      mustChangePassword: false,
    });
    const signIn = await world.engine.request('/api/v1/auth/login', {
      method: 'POST',
      body: { tenant, email, password: ADMIN_PASSWORD, client: 'api' },
    });
    expect(signIn.status, signIn.text).to.equal(200);
    const token = (signIn.json as { token: string }).token;
    return { id: made.id, headers: { authorization: `Bearer ${token}` } };
  }

  before(async () => {
    world = await startSessionWorld();
    await allow(world, world.groupId, 'transfer-sessions');
    await allow(world, world.groupId, 'collaboration');
    const storage = world.engine.engine.root.get<Storage>(Storage);
    const tenant = await storage.tenants.create('Other tenant');
    const group = await storage.forTenant(tenant.id).groups.create({ name: 'Their desk' });
    outsider = await memberOf('Other tenant', 'tech@b.test', 'technician', group.id);
    outsiderAdmin = (await memberOf('Other tenant', 'boss@b.test', 'master-administrator')).headers;
  });
  after(() => world?.engine.stop());

  it('hides one tenant’s sessions from another’s technicians and administrators', async () => {
    const made = await createSession(world, world.alice);
    for (const headers of [outsider.headers, outsiderAdmin]) {
      const list = await world.engine.request('/api/v1/sessions', { headers });
      expect(list.status).to.equal(200);
      expect(list.text).not.to.contain(made.id);
      const one = await world.engine.request(`/api/v1/sessions/${made.id}`, { headers });
      expectError(one, 404, 'TETHER_E_NOT_FOUND');
      for (const action of ['end', 'hold', 'resume', 'pick-up']) {
        expectError(await act(world, { headers }, made.id, action), 404, 'TETHER_E_NOT_FOUND');
      }
    }
  });

  it('lets no other tenant pick up, see or watch a queued session', async () => {
    const arrived = await arrive(world, world.groupId, 'Queued');
    const ref = await refOf(world, (arrived.json as JoinedBody).sessionId);
    const queue = await world.engine.request('/api/v1/queue', { headers: outsider.headers });
    expect(queue.text).not.to.contain(ref);
    expectError(await act(world, outsider, ref, 'pick-up'), 404, 'TETHER_E_NOT_FOUND');
    const watch = await world.engine.engine
      .sessionGatewayPort()
      .watchQueues(outsider.headers.authorization!.slice(7), '127.0.0.1');
    expect(watch.groupIds).not.to.include(world.groupId);
  });

  it('admits no technician of another tenant to a session through the gateway', async () => {
    const made = await createSession(world, world.alice);
    const error = await world.engine.engine
      .sessionGatewayPort()
      .admit({
        sessionId: made.sessionId,
        boxKey: randomBytes(32).toString('base64'),
        credentials: { kind: 'technician', token: outsider.headers.authorization!.slice(7) },
        clientIp: '127.0.0.1',
      })
      .catch((thrown: unknown) => thrown);
    expect(isTetherError(error) && error.code).to.equal('TETHER_E_NOT_ADMITTED');
  });

  it('refuses to transfer or invite to a member of another tenant', async () => {
    const made = await createSession(world, world.alice);
    const transfer = await act(world, world.alice, made.id, 'transfer', {
      memberId: outsider.id,
    });
    expectError(transfer, 404, 'TETHER_E_NOT_FOUND');
    const invite = await act(world, world.alice, made.id, 'collaborators', {
      memberId: outsider.id,
    });
    expectError(invite, 404, 'TETHER_E_NOT_FOUND');
  });
});
