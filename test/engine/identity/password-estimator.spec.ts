import { expect } from 'chai';
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { DIST_ROOT } from '../../../engine/version.js';
import { PasswordEstimator } from '../../../engine/identity/password-estimator.js';

const STRONG = 'correct-horse-battery-staple-7Q!';

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('PasswordEstimator', function () {
  this.timeout(20_000);

  it('answers requests made together, each with its own score', async () => {
    const estimator = new PasswordEstimator(100);
    const [weak, strong, named] = await Promise.all([
      estimator.estimate('password123456', []),
      estimator.estimate(STRONG, []),
      estimator.estimate('bluefinchlogistics', ['bluefinchlogistics']),
    ]);
    expect(weak.score).to.be.below(3);
    expect(weak.warning).to.be.a('string');
    expect(strong.score).to.equal(4);
    expect(named.score).to.be.below(2);
  });

  it('stops its worker once idle, and starts a new one for the next request', async () => {
    const estimator = new PasswordEstimator(50);
    await estimator.estimate(STRONG, []);
    expect(estimator.running).to.equal(true);
    await until(() => !estimator.running, 5_000);

    expect((await estimator.estimate('password123456', [])).score).to.be.below(3);
    expect(estimator.running).to.equal(true);
  });

  it('fails the requests of a worker that stopped, and starts a new one after', async () => {
    const estimator = new PasswordEstimator(1_000);
    await estimator.estimate(STRONG, []);
    // As if the worker thread died just as a request came (out of memory, say).
    const stopping = (estimator as unknown as { worker: Worker }).worker.terminate();
    const pending = estimator.estimate(STRONG, []);
    await stopping;

    const error = await pending.then(
      () => undefined,
      (rejected: unknown) => rejected,
    );
    expect(String(error)).to.contain('password estimator exited');
    expect(estimator.running).to.equal(false);
    expect((await estimator.estimate(STRONG, [])).score).to.equal(4);
  });

  it('does not keep a process alive once it answered', async () => {
    // A worker kept referenced would hold this child for the whole idle time (10 s).
    const policy = path.join(DIST_ROOT, 'engine', 'identity', 'password-policy.js');
    const script =
      `require(${JSON.stringify(policy)}).checkPassword(${JSON.stringify(STRONG)}, ` +
      `{ minLength: 12, minStrength: 3 }, { email: 'a@example.org' }).then(() => ` +
      `process.stdout.write('checked'))`;
    const started = Date.now();
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));

    expect({ code, out }).to.deep.equal({ code: 0, out: 'checked' });
    expect(Date.now() - started).to.be.below(8_000);
  });
});
