import { expect } from 'chai';
import { ReconnectBackoff } from '../../../sdk/session/reconnect-backoff.js';

describe('reconnect backoff', () => {
  it('waits 0.25 s, doubling up to 5 s, for a bounded number of tries', () => {
    const backoff = new ReconnectBackoff({ maxAttempts: 9 });
    const delays = Array.from({ length: 10 }, () => backoff.next());
    expect(delays).to.deep.equal([250, 500, 1000, 2000, 4000, 5000, 5000, 5000, 5000, undefined]);
  });

  it('starts again from the first delay after a reset', () => {
    const backoff = new ReconnectBackoff();
    backoff.next();
    backoff.next();
    backoff.reset();
    expect(backoff.next()).to.equal(250);
    expect(backoff.attempts).to.equal(1);
  });
});
