import { expect } from 'chai';
import { Permission } from '../../../engine/contracts/permission-contract.js';
import { startTestEngine, type TestEngine } from '../../../sdk/testing/test-engine.js';
import { fixturePlugin } from '../../support/fixture-paths.js';
import { addGroup, signedInMember, tenantScope } from '../../support/identity-helpers.js';

describe('Permission contract, as a plugin reads it', () => {
  let engine: TestEngine;
  let master: Record<string, string>;

  before(async () => {
    engine = await startTestEngine({ plugins: [fixturePlugin('perm-probe')] });
    master = await engine.signInFirstAdmin();
  });
  after(() => engine?.stop());

  const check = async (headers: Record<string, string>) => {
    const answer = await engine.request('/api/v1/plugins/perm-probe/check', { headers });
    expect(answer.status, answer.text).to.equal(200);
    return answer.json as { run: boolean; all: string[] };
  };
  const allow = (groupId: string, permission: string, allowed: boolean | null) =>
    engine.request(`/api/v1/groups/${groupId}/permissions/${permission}`, {
      method: 'PUT',
      headers: master,
      body: { allowed },
    });

  it("follows the member's group, inherited from the top, for a plugin permission", async () => {
    const parent = await addGroup(engine, 'Field');
    const child = await addGroup(engine, 'Field east', parent);
    const other = await addGroup(engine, 'Office');
    const inChild = await signedInMember(engine, 'east@example.test', 'technician', {
      groupId: child,
    });
    const inOther = await signedInMember(engine, 'office@example.test', 'technician', {
      groupId: other,
    });
    expect((await check(inChild.headers)).run).to.equal(false);

    expect((await allow(parent, 'perm-probe.run', true)).status).to.equal(200);
    expect((await check(inChild.headers)).run).to.equal(true);
    expect((await check(inOther.headers)).run).to.equal(false);

    expect((await allow(child, 'perm-probe.run', false)).status).to.equal(200);
    expect((await check(inChild.headers)).run).to.equal(false);
    expect((await allow(child, 'remote-control', true)).status).to.equal(200);
    expect((await check(inChild.headers)).all).to.deep.equal(['chat', 'remote-control']);
  });

  it('gives a member outside any group the defaults, and a disabled member nothing', async () => {
    const loose = await signedInMember(engine, 'loose@example.test', 'technician');
    expect((await check(loose.headers)).all).to.deep.equal(['chat']);
    await tenantScope(engine).members.updateCredentials(loose.id, { disabled: true });
    const contract = engine.engine.root.get<Permission>(Permission);
    const granted = await contract.groupPermissions(engine.firstStart!.tenantId, loose.id);
    expect([...granted]).to.deep.equal([]);
  });
});
