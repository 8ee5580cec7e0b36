import { expect } from 'chai';
import { parseGatewayMessage } from '../../../sdk/session/gateway-messages.js';

const ready = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    t: 'ready',
    participantId: 'u-1',
    role: 'end-user',
    certificate: {},
    state: 'active',
    peers: [],
    ...extra,
  });

describe('gateway messages', () => {
  it('takes a ready with or without the seated participants', () => {
    expect(parseGatewayMessage(ready())).to.include({ t: 'ready', participantId: 'u-1' });
    const seated = parseGatewayMessage(ready({ seated: ['u-1', 't-a'] }));
    expect(seated).to.deep.include({ seated: ['u-1', 't-a'] });
  });

  it('ignores a ready whose seated is not a list of ids, and other malformed messages', () => {
    for (const bad of [
      ready({ seated: 't-a' }),
      ready({ seated: [1] }),
      ready({ state: 'dancing' }),
      ready({ peers: {} }),
      '{"t":"peer-left"}',
      '{"t":"unknown"}',
      'not json',
      '[]',
    ]) {
      expect(parseGatewayMessage(bad), bad).to.equal(undefined);
    }
  });
});
