import { expect } from 'chai';
import { startTestEngine, type TestEngine } from '../../../../sdk/testing/test-engine.js';
import { samplePlugin } from '../../../support/fixture-paths.js';

describe('sample plugin hello', () => {
  let engine: TestEngine;
  before(async () => {
    engine = await startTestEngine({
      plugins: [samplePlugin('hello')],
      pluginSettings: { hello: { greeting: 'Good morning' } },
    });
  });
  after(() => engine?.stop());

  it('activates', () => {
    const status = engine.engine.plugins().find((plugin) => plugin.name === 'hello');
    expect(status?.state).to.equal('active');
  });

  it('greets the name it is given, with its configured greeting', async () => {
    const answer = await engine.request('/api/v1/plugins/hello/greeting?name=Ada');
    expect(answer.status).to.equal(200);
    const body = answer.json as { message: string; at: string };
    expect(body.message).to.equal('Good morning, Ada!');
    expect(Date.parse(body.at)).to.be.closeTo(Date.now(), 60_000);
  });

  it('greets the world when no name is given', async () => {
    const answer = await engine.request('/api/v1/plugins/hello/greeting');
    expect((answer.json as { message: string }).message).to.equal('Good morning, world!');
  });

  it('refuses a name that is too long, naming the field', async () => {
    const answer = await engine.request(`/api/v1/plugins/hello/greeting?name=${'a'.repeat(81)}`);
    expect(answer.status).to.equal(400);
    expect((answer.json as { error: { message: string } }).error.message).to.match(/^query\.name/);
  });

  it('shows its route in the OpenAPI document', async () => {
    const document = (await engine.request('/api/v1/openapi.json')).json as {
      paths: Record<string, unknown>;
    };
    expect(document.paths).to.have.property('/api/v1/plugins/hello/greeting');
  });
});
