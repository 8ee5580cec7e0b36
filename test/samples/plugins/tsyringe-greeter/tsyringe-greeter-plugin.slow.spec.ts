import { expect } from 'chai';
import { startTestEngine, type TestEngine } from '../../../../sdk/testing/test-engine.js';
import { samplePlugin } from '../../../support/fixture-paths.js';

describe('sample plugin tsyringe-greeter', () => {
  let engine: TestEngine;
  let headers: Record<string, string>;
  before(async () => {
    engine = await startTestEngine({ plugins: [samplePlugin('tsyringe-greeter')] });
    headers = await engine.signInFirstAdmin();
  });
  after(() => engine?.stop());

  const stats = async () =>
    (
      (await engine.request('/api/v1/plugins/tsyringe-greeter/stats', { headers })).json as {
        greeted: number;
      }
    ).greeted;

  it('greets through classes its own tsyringe container made with the engine clock', async () => {
    const answer = await engine.request('/api/v1/plugins/tsyringe-greeter/greetings', {
      method: 'POST',
      headers,
      body: { name: 'Grace' },
    });
    expect(answer.status).to.equal(201);
    expect((answer.json as { message: string }).message).to.equal('Greetings, Grace.');
  });

  it('counts the greetings the engine bus carried to it', async () => {
    const before = await stats();
    for (const name of ['Ada', 'Alan']) {
      await engine.request('/api/v1/plugins/tsyringe-greeter/greetings', {
        method: 'POST',
        headers,
        body: { name },
      });
    }
    const deadline = Date.now() + 2000;
    while ((await stats()) < before + 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await stats()).to.equal(before + 2);
  });

  it('answers only a signed-in member', async () => {
    const anonymous = await engine.request('/api/v1/plugins/tsyringe-greeter/stats');
    expect(anonymous.status).to.equal(401);
  });

  it('stops counting once the engine stopped it: its subscription is gone', async () => {
    await engine.engine.stop('test');
    const status = engine.engine.plugins().find((plugin) => plugin.name === 'tsyringe-greeter');
    expect(status?.state).to.equal('stopped');
  });
});
