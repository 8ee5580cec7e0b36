import { expect } from 'chai';
import { startTestEngine, type TestEngine } from '../../../sdk/testing/test-engine.js';
import {
  ADMIN_PASSWORD,
  addGroup,
  addMember,
  expectError,
  login,
  loginOk,
} from '../../support/identity-helpers.js';

describe('address allow-lists per technician group', () => {
  let engine: TestEngine;
  let master: Record<string, string>;

  before(async () => {
    engine = await startTestEngine();
    master = await engine.signInFirstAdmin(ADMIN_PASSWORD);
  });
  after(() => engine?.stop());

  const restrict = (groupId: string, ipAllowList: string[] | null) =>
    engine.request(`/api/v1/groups/${groupId}`, {
      method: 'PATCH',
      headers: master,
      body: { ipAllowList },
    });

  it('refuses the members of a group, and of the groups below it, from elsewhere', async () => {
    const field = await addGroup(engine, 'Field');
    const below = await addGroup(engine, 'Field north', field);
    const office = await addGroup(engine, 'Office');
    await addMember(engine, 'f@example.test', ADMIN_PASSWORD, 'technician', field);
    await addMember(engine, 'n@example.test', ADMIN_PASSWORD, 'technician', below);
    await addMember(engine, 'o@example.test', ADMIN_PASSWORD, 'technician', office);
    const changed = await restrict(field, ['10.0.0.0/8']);
    expect(changed.status, changed.text).to.equal(200);
    expect((changed.json as { ipAllowList: string[] }).ipAllowList).to.deep.equal(['10.0.0.0/8']);

    expectError(
      await login(engine, 'f@example.test', ADMIN_PASSWORD),
      403,
      'TETHER_E_IP_NOT_ALLOWED',
    );
    expectError(
      await login(engine, 'n@example.test', ADMIN_PASSWORD),
      403,
      'TETHER_E_IP_NOT_ALLOWED',
    );
    await loginOk(engine, 'o@example.test', ADMIN_PASSWORD);
  });

  it('tells nothing to someone who does not know the password', async () => {
    const group = await addGroup(engine, 'Closed');
    await addMember(engine, 'closed@example.test', ADMIN_PASSWORD, 'technician', group);
    await restrict(group, ['192.0.2.0/24']);
    const wrong = await login(engine, 'closed@example.test', 'not the password at all');
    expectError(wrong, 401, 'TETHER_E_SIGN_IN_FAILED');
  });

  it('ends the use of a sign-in once its group stops allowing the address', async () => {
    const group = await addGroup(engine, 'Later');
    await addMember(engine, 'later@example.test', ADMIN_PASSWORD, 'technician', group);
    const { headers } = await loginOk(engine, 'later@example.test', ADMIN_PASSWORD);
    expect((await engine.request('/api/v1/auth/session', { headers })).status).to.equal(200);
    await restrict(group, ['::1', '127.0.0.1']);
    expect((await engine.request('/api/v1/auth/session', { headers })).status).to.equal(200);
    await restrict(group, ['198.51.100.7']);
    expectError(
      await engine.request('/api/v1/auth/session', { headers }),
      403,
      'TETHER_E_IP_NOT_ALLOWED',
    );
    await restrict(group, null);
    expect((await engine.request('/api/v1/auth/session', { headers })).status).to.equal(200);
  });

  it('refuses a bad entry, naming it', async () => {
    const group = await addGroup(engine, 'Typo');
    const answer = await restrict(group, ['10.0.0.0/8', '300.1.1.1']);
    expect(answer.status).to.equal(400);
    expect((answer.json as { error: { message: string } }).error.message).to.match(
      /^body\.ipAllowList\.1: /,
    );
  });
});
