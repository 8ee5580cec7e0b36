import { expect } from 'chai';
import { startTestEngine, type TestEngine } from '../../../sdk/testing/test-engine.js';
import { fixturePlugin } from '../../support/fixture-paths.js';

const TOKEN = 'operator-token-0123456789abcdef';

describe('HTTP API', () => {
  let engine: TestEngine;

  before(async () => {
    engine = await startTestEngine({
      plugins: [fixturePlugin('echo')],
      settings: { maxBodyBytes: '2048' },
    });
  });
  after(() => engine?.stop());

  const echo = (init: Parameters<TestEngine['request']>[1]) =>
    engine.request('/api/v1/plugins/echo/echo', { method: 'POST', ...init });

  it('answers /health and /ready', async () => {
    const health = await engine.request('/health');
    expect(health.status).to.equal(200);
    expect(health.json).to.deep.equal({ status: 'alive', version: '0.1.0' });
    expect((await engine.request('/ready')).json).to.include({ status: 'ready' });
  });

  it('answers an unknown route with a 404 in the error shape', async () => {
    const missing = await engine.request('/api/v1/nothing-here');
    expect(missing.status).to.equal(404);
    expect(missing.json).to.deep.equal({
      error: { code: 'TETHER_E_NOT_FOUND', message: 'No such resource' },
    });
  });

  it('answers a known path with the wrong method with a 405 and Allow', async () => {
    const wrong = await engine.request('/health', { method: 'DELETE' });
    expect(wrong.status).to.equal(405);
    expect(wrong.headers.allow).to.contain('GET');
    expect((wrong.json as { error: { code: string } }).error.code).to.equal(
      'TETHER_E_METHOD_NOT_ALLOWED',
    );
  });

  it('answers a malformed body with a 400, never a 500', async () => {
    const broken = await echo({
      body: '{"name": "x", ',
      headers: { 'content-type': 'application/json' },
    });
    expect(broken.status).to.equal(400);
    expect((broken.json as { error: { code: string } }).error.code).to.equal('TETHER_E_BAD_JSON');
  });

  it('names the bad field of a body that does not match the schema', async () => {
    const bad = await echo({ body: { name: 'x', count: 'many' } });
    expect(bad.status).to.equal(400);
    const { error } = bad.json as { error: { code: string; message: string } };
    expect(error.code).to.equal('TETHER_E_VALIDATION');
    expect(error.message).to.match(/^body\.count: /);
    const absent = await echo({});
    expect((absent.json as { error: { message: string } }).error.message).to.match(/^body: /);
  });

  it('names a bad path parameter and a bad query value', async () => {
    const id = await engine.request('/api/v1/plugins/echo/items/42');
    expect((id.json as { error: { message: string } }).error.message).to.match(/^params\.id: /);
    const uuid = '0b6d1f7e-8a3c-4e59-9d1a-3f2b7c6e5a41';
    const query = await engine.request(`/api/v1/plugins/echo/items/${uuid}?verbose=maybe`);
    expect(query.status).to.equal(400);
    expect((query.json as { error: { message: string } }).error.message).to.match(
      /^query\.verbose: /,
    );
    const fine = await engine.request(`/api/v1/plugins/echo/items/${uuid}?verbose=yes`);
    expect(fine.json).to.deep.equal({ id: uuid, verbose: 'yes' });
  });

  it('refuses a body of another type (415) and one too large (413)', async () => {
    const text = await echo({ body: 'name=x', headers: { 'content-type': 'text/plain' } });
    expect(text.status).to.equal(415);
    const large = await echo({ body: { name: 'x'.repeat(4000), count: 1 } });
    expect(large.status).to.equal(413);
    expect((large.json as { error: { code: string } }).error.code).to.equal(
      'TETHER_E_BODY_TOO_LARGE',
    );
  });

  it('hides an unexpected failure behind TETHER_E_INTERNAL, with no detail or stack', async () => {
    const boom = await engine.request('/api/v1/plugins/echo/boom');
    expect(boom.status).to.equal(500);
    expect(boom.json).to.deep.equal({
      error: { code: 'TETHER_E_INTERNAL', message: 'Internal error' },
    });
    expect(boom.text).not.to.contain('secret-internal-detail').and.not.to.contain(' at ');
  });

  it('sends the security headers on every answer', async () => {
    for (const pathname of ['/health', '/nowhere']) {
      const answer = await engine.request(pathname);
      expect(answer.headers['strict-transport-security']).to.equal('max-age=31536000');
      expect(answer.headers['x-content-type-options']).to.equal('nosniff');
    }
  });
});

describe('GET /metrics', () => {
  let withToken: TestEngine;
  let withoutToken: TestEngine;

  before(async () => {
    withToken = await startTestEngine({ env: { TETHER_METRICS_TOKEN: TOKEN } });
    withoutToken = await startTestEngine();
  });
  after(async () => {
    await withToken?.stop();
    await withoutToken?.stop();
  });

  it('does not exist when no operator token is configured', async () => {
    const answer = await withoutToken.request('/metrics', {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(answer.status).to.equal(404);
  });

  it('refuses a missing or wrong token', async () => {
    expect((await withToken.request('/metrics')).status).to.equal(401);
    const wrong = await withToken.request('/metrics', {
      headers: { authorization: `Bearer ${TOKEN}x` },
    });
    expect(wrong.status).to.equal(401);
  });

  it('answers the Prometheus text format for the right token', async () => {
    await withToken.request('/health');
    const answer = await withToken.request('/metrics', {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(answer.status).to.equal(200);
    expect(answer.headers['content-type']).to.contain('text/plain');
    expect(answer.text).to.match(/tether_http_requests_total\{method="GET",route="\/health"/);
    expect(answer.text).to.contain('tether_process_resident_memory_bytes');
  });
});
