import { expect } from 'chai';
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
