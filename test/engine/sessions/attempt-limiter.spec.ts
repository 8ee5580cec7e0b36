import { expect } from 'chai';
import type { Clock } from '../../../engine/contracts/clock-contract.js';
import { isTetherError } from '../../../engine/errors.js';
import { AttemptLimiter } from '../../../engine/sessions/attempt-limiter.js';
import {
  END_USER_ID_PATTERN,
  endUserSecretHash,
  endUserSecretMatches,
  joinCodeHash,
  newEndUserParticipantId,
  newEndUserSecret,
  newJoinCode,
  newSessionGuid,
  newSessionRef,
  SESSION_REF_PATTERN,
} from '../../../engine/sessions/session-secrets.js';

class StepClock implements Clock {
  ms = 1_000_000;
  now = () => new Date(this.ms);
  nowMs = () => this.ms;
}

const refused = (call: () => void) => {
  try {
    call();
    return false;
  } catch (error) {
    return isTetherError(error) && error.code === 'TETHER_E_RATE_LIMITED';
  }
};

describe('AttemptLimiter', () => {
  it('refuses an address from its max-th counted attempt until the window passes', () => {
    const clock = new StepClock();
    const limiter = new AttemptLimiter(clock, 3, 60_000);
    for (let i = 0; i < 3; i += 1) {
      expect(refused(() => limiter.check('a'))).to.equal(false);
      limiter.count('a');
    }
    expect(refused(() => limiter.check('a'))).to.equal(true);
    expect(refused(() => limiter.check('b'))).to.equal(false);
    clock.ms += 59_999;
    expect(refused(() => limiter.check('a'))).to.equal(true);
    clock.ms += 1;
    expect(refused(() => limiter.check('a'))).to.equal(false);
  });
});

describe('session secrets', () => {
  it('makes refs, GUIDs, codes, participant ids and secrets of the documented shapes', () => {
    const refs = new Set(Array.from({ length: 200 }, newSessionRef));
    expect(refs.size).to.equal(200);
    for (const ref of refs) expect(ref).to.match(SESSION_REF_PATTERN);
    expect(newSessionGuid()).to.match(/^[0-9a-f]{32}$/);
    for (let i = 0; i < 200; i += 1) expect(newJoinCode()).to.match(/^\d{6}$/);
    expect(newEndUserParticipantId()).to.match(END_USER_ID_PATTERN);
    expect(Buffer.from(newEndUserSecret(), 'base64url')).to.have.length(32);
    expect(joinCodeHash('123456')).to.match(/^[0-9a-f]{64}$/);
  });

  it('matches an end user secret only against its own hash', () => {
    const secret = newEndUserSecret();
    const hash = endUserSecretHash(secret);
    expect(endUserSecretMatches(secret, hash)).to.equal(true);
    expect(endUserSecretMatches(newEndUserSecret(), hash)).to.equal(false);
    expect(endUserSecretMatches('', hash)).to.equal(false);
    expect(endUserSecretMatches(secret, 'short')).to.equal(false);
  });
});
