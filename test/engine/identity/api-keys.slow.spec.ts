import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { Storage, type TenantId } from '../../../engine/contracts/storage-contract.js';
import { startTestEngine, type TestEngine } from '../../../sdk/testing/test-engine.js';

describe('API keys', () => {
  let engine: TestEngine;
  let master: Record<string, string>;
  let tenantId: TenantId;
  const storage = () => engine.engine.root.get<Storage>(Storage);

  const makeKey = async (scopes: string[], headers = master) =>
    engine.request('/api/v1/api-keys', {
      method: 'POST',
      headers,
      body: { name: 'CRM sync', scopes, expiresInDays: 30 },
    });
  const withKey = (key: string) => ({ authorization: `Bearer ${key}` });

  before(async () => {
    engine = await startTestEngine();
    master = await engine.signInFirstAdmin();
    tenantId = engine.firstStart!.tenantId;
  });
  after(() => engine?.stop());

  it('shows a new key once and keeps only its hash', async () => {
    const made = await makeKey(['members:read']);
    expect(made.status).to.equal(201);
    const { key, apiKey } = made.json as { key: string; apiKey: { id: string } };
    expect(key).to.match(new RegExp(`^tak\\.${tenantId}\\.[A-Za-z0-9_-]{43}$`));
    const listed = await engine.request('/api/v1/api-keys', { headers: master });
    expect(listed.text).not.to.contain(key.split('.')[2]);
    const stored = await storage()
      .forTenant(tenantId)
      .apiKeys.findByHash(createHash('sha256').update(key).digest('hex'));
    expect(stored?.id).to.equal(apiKey.id);
  });

  it('acts within its scopes only', async () => {
    const { key } = (await makeKey(['members:read'])).json as { key: string };
    expect((await engine.request('/api/v1/members', { headers: withKey(key) })).status).to.equal(
      200,
    );
    const write = await engine.request('/api/v1/members', {
      method: 'POST',
      headers: withKey(key),
      body: { email: 'x@example.test', displayName: 'X', role: 'technician' },
    });
    expect(write.status).to.equal(403);
    expect((await engine.request('/api/v1/groups', { headers: withKey(key) })).status).to.equal(
      403,
    );
    expect((await engine.request('/api/v1/api-keys', { headers: withKey(key) })).status).to.equal(
      403,
    );
  });

  it('never passes the sign-in routes', async () => {
    const { key } = (await makeKey(['members:read'])).json as { key: string };
    const session = await engine.request('/api/v1/auth/session', { headers: withKey(key) });
    expect(session.status).to.equal(401);
  });

  it('stops working once revoked', async () => {
    const { key, apiKey } = (await makeKey(['audit:read'])).json as {
      key: string;
      apiKey: { id: string };
    };
    expect((await engine.request('/api/v1/audit', { headers: withKey(key) })).status).to.equal(200);
    const revoked = await engine.request(`/api/v1/api-keys/${apiKey.id}/revoke`, {
      method: 'POST',
      headers: master,
    });
    expect(revoked.status).to.equal(200);
    expect((await engine.request('/api/v1/audit', { headers: withKey(key) })).status).to.equal(401);
  });

  it('stops working once expired', async () => {
    const key = `tak.${tenantId}.${'e'.repeat(43)}`;
    const expiresAt = new Date(Date.now() + 1500);
    await storage()
      .forTenant(tenantId)
      .apiKeys.create({
        memberId: engine.firstStart!.memberId,
        name: 'short-lived',
        scopes: ['audit:read'],
        createdAt: new Date(),
        expiresAt,
        keyHash: createHash('sha256').update(key).digest('hex'),
      });
    expect((await engine.request('/api/v1/audit', { headers: withKey(key) })).status).to.equal(200);
    await new Promise((resolve) => setTimeout(resolve, expiresAt.getTime() - Date.now() + 50));
    expect((await engine.request('/api/v1/audit', { headers: withKey(key) })).status).to.equal(401);
  });

  it('stops working when the member it acts for is disabled', async () => {
    const members = storage().forTenant(tenantId).members;
    const owner = await members.create({
      email: 'owner@example.test',
      displayName: 'Owner',
      role: 'master-administrator',
    });
    const now = new Date();
    const key = `tak.${tenantId}.${'k'.repeat(43)}`;
    await storage()
      .forTenant(tenantId)
      .apiKeys.create({
        memberId: owner.id,
        name: 'owner key',
        scopes: ['members:read'],
        createdAt: now,
        expiresAt: new Date(now.getTime() + 86_400_000),
        keyHash: createHash('sha256').update(key).digest('hex'),
      });
    expect((await engine.request('/api/v1/members', { headers: withKey(key) })).status).to.equal(
      200,
    );
    await members.updateCredentials(owner.id, { disabled: true });
    expect((await engine.request('/api/v1/members', { headers: withKey(key) })).status).to.equal(
      401,
    );
  });

  it('is made only by master administrators, for scopes that exist', async () => {
    expect((await makeKey(['members:read'], {})).status).to.equal(401);
    const unknown = await makeKey(['everything:write']);
    expect(unknown.status).to.equal(400);
  });
});
