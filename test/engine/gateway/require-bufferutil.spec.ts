import { expect } from 'chai';
import { isTetherError } from '../../../engine/errors.js';
import { requireBufferutil } from '../../../engine/gateway/require-bufferutil.js';

describe('requireBufferutil', () => {
  afterEach(() => delete process.env.WS_NO_BUFFER_UTIL);

  it('finds the native addon here', () => {
    expect(requireBufferutil()).to.match(/bufferutil[/\\]index\.js$/);
  });

  it('fails the start when ws is told not to use it', () => {
    process.env.WS_NO_BUFFER_UTIL = '1';
    let failure: unknown;
    try {
      requireBufferutil();
    } catch (error) {
      failure = error;
    }
    expect(isTetherError(failure, 'TETHER_E_CONFIG'), String(failure)).to.equal(true);
  });
});
