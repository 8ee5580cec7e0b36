import { expect } from 'chai';
import { Storage } from '../../../engine/contracts/storage-contract.js';
import { addMember, tenantScope } from '../../support/identity-helpers.js';
import { startSessionWorld, type SessionWorld } from './session-fixtures.js';

interface ColleaguesBody {
  technicians: { id: string; displayName: string; groupId?: string }[];
  groups: { id: string; name: string }[];
  truncated: boolean;
}

describe('GET /api/v1/colleagues', function () {
  this.timeout(60_000);
  let world: SessionWorld;
  let disabledId: string;

  before(async () => {
    world = await startSessionWorld();
    disabledId = await addMember(world.engine, 'dora@a.test', 'a disabled passphrase 123');
    await tenantScope(world.engine).members.update(disabledId, { groupId: world.groupId });
    await tenantScope(world.engine).members.updateCredentials(disabledId, { disabled: true });
  });
  after(() => world?.engine.stop());

  async function colleaguesOf(headers: Record<string, string>): Promise<ColleaguesBody> {
    const answer = await world.engine.request('/api/v1/colleagues', { headers });
    expect(answer.status, answer.text).to.equal(200);
    return answer.json as ColleaguesBody;
  }

  it("lists a technician's colleagues in every group, and the groups, by name only", async () => {
    const body = await colleaguesOf(world.alice.headers);
    const ids = body.technicians.map((t) => t.id);
    expect(ids).to.include.members([world.bob.id, world.carol.id]);
    expect(ids, 'not the caller').not.to.include(world.alice.id);
    expect(body.technicians.find((t) => t.id === world.carol.id)?.groupId).to.equal(
      world.otherGroupId,
    );
    expect(body.groups.map((g) => g.id)).to.include.members([world.groupId, world.otherGroupId]);
    expect(body.truncated).to.equal(false);
    expect(JSON.stringify(body), 'no e-mail address').not.to.include('@a.test');
  });

  it('leaves out disabled members and members in no group', async () => {
    const body = await colleaguesOf(world.bob.headers);
    const ids = body.technicians.map((t) => t.id);
    expect(ids).not.to.include(disabledId);
    const master = await world.engine.request('/api/v1/auth/session', { headers: world.master });
    const masterId = (master.json as { member: { id: string } }).member.id;
    expect(ids, 'the first administrator is in no group').not.to.include(masterId);
  });

  it("never lists another tenant's people", async () => {
    const storage = world.engine.engine.root.get<Storage>(Storage);
    const other = await storage.tenants.create('Other tenant');
    const stranger = await storage.forTenant(other.id).members.create({
      email: 'stranger@b.test',
      displayName: 'Stranger',
      role: 'technician',
    });
    const body = await colleaguesOf(world.alice.headers);
    expect(body.technicians.map((t) => t.id)).not.to.include(stranger.id);
  });

  it('answers 401 without a sign-in', async () => {
    const answer = await world.engine.request('/api/v1/colleagues');
    expect(answer.status).to.equal(401);
  });
});
