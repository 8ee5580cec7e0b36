import { expect } from 'chai';
import { startTestEngine, type TestEngine } from '../../../sdk/testing/test-engine.js';
import { ADMIN_PASSWORD, signedInMember } from '../../support/identity-helpers.js';

describe('built-in plugin audit-export', () => {
  let engine: TestEngine;
  let master: Record<string, string>;

  before(async () => {
    engine = await startTestEngine();
    master = await engine.signInFirstAdmin(ADMIN_PASSWORD);
  });
  after(() => engine?.stop());

  it('loads with the engine, as every built-in plugin does', () => {
    const status = engine.engine.plugins().find((plugin) => plugin.name === 'audit-export');
    expect(status).to.include({ state: 'active', origin: 'built-in' });
  });

  it("exports the tenant's audit records as CSV, oldest first", async () => {
    await engine.request('/api/v1/groups', {
      method: 'POST',
      headers: master,
      body: { name: 'Support, "first line"' },
    });
    const answer = await engine.request('/api/v1/plugins/audit-export/audit.csv', {
      headers: master,
    });
    expect(answer.status, answer.text).to.equal(200);
    expect(answer.headers['content-type']).to.equal('text/csv; charset=utf-8');
    const lines = answer.text.trimEnd().split('\r\n');
    expect(lines[0]).to.equal('seq,at,action,actor,target,node,ip,before,after');
    expect(lines[1]).to.match(/^1,\S+,tenant\.created,system,/);
    const group = lines.find((line) => line.includes(',group.created,'));
    expect(group).to.contain('"{""id"":').and.contain('Support, \\""first line\\""');
  });

  it('filters by action and period', async () => {
    const answer = await engine.request(
      `/api/v1/plugins/audit-export/audit.csv?action=group.created&from=${encodeURIComponent(
        new Date(Date.now() - 60_000).toISOString(),
      )}`,
      { headers: master },
    );
    const rows = answer.text.trimEnd().split('\r\n').slice(1);
    expect(rows).to.have.length(1);
    expect(rows[0]).to.contain(',group.created,');
  });

  it('filters by group', async () => {
    const made = async (name: string) => {
      const answer = await engine.request('/api/v1/groups', {
        method: 'POST',
        headers: master,
        body: { name },
      });
      return (answer.json as { id: string }).id;
    };
    const [north, south] = [await made('North'), await made('South')];
    const answer = await engine.request(`/api/v1/plugins/audit-export/audit.csv?nodeId=${north}`, {
      headers: master,
    });
    const rows = answer.text.trimEnd().split('\r\n').slice(1);
    expect(rows).to.have.length(1);
    expect(rows[0]).to.contain(`,group.created,`).and.contain(north).and.not.contain(south);
  });

  it('answers only master administrators', async () => {
    const technician = await signedInMember(engine, 'csv-tech@example.test', 'technician');
    const refused = await engine.request('/api/v1/plugins/audit-export/audit.csv', {
      headers: technician.headers,
    });
    expect(refused.status).to.equal(403);
    expect((await engine.request('/api/v1/plugins/audit-export/audit.csv')).status).to.equal(401);
  });
});
