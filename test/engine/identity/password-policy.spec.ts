import { expect } from 'chai';
import { isTetherError, ProgrammerError, type TetherError } from '../../../engine/errors.js';
import {
  checkPassword,
  DEFAULT_PASSWORD_POLICY,
  passwordExpired,
  type PasswordContext,
  type PasswordPolicy,
} from '../../../engine/identity/password-policy.js';

const SOMEONE: PasswordContext = { email: 'someone@example.org' };
const MARGUERITE: PasswordContext = {
  email: 'marguerite.o@bluefinch.example',
  displayName: 'Marguerite Okonkwo',
  tenantName: 'Bluefinch Logistics',
};
const STRONG = 'correct-horse-battery-staple-7Q!';
const DAY_MS = 24 * 60 * 60 * 1000;

function refusal(
  password: string,
  policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY,
  context: PasswordContext = SOMEONE,
): TetherError {
  try {
    checkPassword(password, policy, context);
  } catch (error) {
    expect(isTetherError(error, 'TETHER_E_PASSWORD_POLICY'), String(error)).to.equal(true);
    const refused = error as TetherError;
    expect(refused.message).to.not.contain(password);
    expect(refused.message.toLowerCase()).to.not.contain(password.toLowerCase());
    return refused;
  }
  throw new Error(`expected "${password}" to be refused`);
}

describe('checkPassword', () => {
  it('has a default policy of 12 characters, strength 3 and no expiry', () => {
    expect(DEFAULT_PASSWORD_POLICY).to.deep.equal({ minLength: 12, minStrength: 3 });
  });

  it('refuses a password shorter than the minimum, saying how long it must be', () => {
    const error = refusal('Xq7!vR2#kLp');
    expect(error.message).to.equal('password: at least 12 characters');
    expect(error.details).to.include({ reason: 'length' });
    expect(error.details?.score).to.be.a('number');
  });

  it('refuses a common password as too easy to guess, with its score and a hint', () => {
    const error = refusal('password123456');
    expect(error.message).to.match(/^password: too easy to guess \(strength [0-2] of 4, needs 3\)/);
    expect(error.message).to.contain('commonly used password');
    expect(error.details).to.include({ reason: 'strength' });
    expect(error.details?.score).to.be.below(3);
  });

  it('accepts a long random passphrase at the default policy', () => {
    expect(() => checkPassword(STRONG, DEFAULT_PASSWORD_POLICY, SOMEONE)).to.not.throw();
    expect(() => checkPassword(STRONG, DEFAULT_PASSWORD_POLICY, MARGUERITE)).to.not.throw();
  });

  it('refuses a password that contains the e-mail local part, in any case', () => {
    const password = 'Zebra-MARGUERITE.o-Quartz-91!';
    expect(() => checkPassword(password, DEFAULT_PASSWORD_POLICY, SOMEONE)).to.not.throw();

    const error = refusal(password, DEFAULT_PASSWORD_POLICY, MARGUERITE);
    expect(error.details).to.include({ reason: 'contains-identity' });
    expect(error.message).to.contain('e-mail address');
  });

  it('lets a local part shorter than 4 characters appear in a password', () => {
    const context = { email: 'al@example.org' };
    expect(() => checkPassword(`metal-${STRONG}`, DEFAULT_PASSWORD_POLICY, context)).to.not.throw();
  });

  it('scores a password made of the names it knows as weak', () => {
    const password = 'MargueriteOkonkwoBluefinch';
    expect(() => checkPassword(password, DEFAULT_PASSWORD_POLICY, SOMEONE)).to.not.throw();

    const error = refusal(password, DEFAULT_PASSWORD_POLICY, MARGUERITE);
    expect(error.details).to.include({ reason: 'strength' });
  });

  it('accepts "abcd" under a policy of strength 0 and 4 characters, not "abc"', () => {
    const lax: PasswordPolicy = { minLength: 4, minStrength: 0 };
    expect(() => checkPassword('abcd', lax, SOMEONE)).to.not.throw();
    expect(refusal('abc', lax).details).to.include({ reason: 'length' });
  });

  it('counts characters after NFKC normalisation, as the hasher sees them', () => {
    const lax: PasswordPolicy = { minLength: 4, minStrength: 0 };
    // Four characters as typed: a ligature that becomes "ffi" and three letters.
    expect(() => checkPassword('\uFB03xyz', { ...lax, minLength: 6 }, SOMEONE)).to.not.throw();
    expect(refusal('\uFB03xyz', { ...lax, minLength: 7 }).details).to.include({ reason: 'length' });
  });

  it('refuses a password over 1024 characters as a length problem, whatever the policy', () => {
    const lax: PasswordPolicy = { minLength: 1, minStrength: 0 };
    expect(() => checkPassword(`${STRONG}${'x'.repeat(992)}`, lax, SOMEONE)).to.not.throw();

    const error = refusal(`${STRONG}${'x'.repeat(993)}`, lax);
    expect(error.message).to.equal('password: at most 1024 characters');
    expect(error.details).to.deep.equal({ reason: 'length' });
  });

  it('treats a policy outside its ranges as a programming mistake', () => {
    const broken: PasswordPolicy[] = [
      { minLength: Number.NaN, minStrength: 3 },
      { minLength: 0, minStrength: 3 },
      { minLength: 12, minStrength: 5 as 4 },
      { minLength: 12, minStrength: 3, maxAgeDays: 0 },
    ];
    for (const policy of broken) {
      expect(() => checkPassword(STRONG, policy, SOMEONE), JSON.stringify(policy)).to.throw(
        ProgrammerError,
      );
    }
  });
});

describe('passwordExpired', () => {
  const now = new Date('2025-06-01T12:00:00Z');
  const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const ninetyDays: PasswordPolicy = { ...DEFAULT_PASSWORD_POLICY, maxAgeDays: 90 };

  it('never expires a password when the policy has no maximum age', () => {
    expect(passwordExpired(daysAgo(10_000), DEFAULT_PASSWORD_POLICY, now)).to.equal(false);
    expect(passwordExpired(undefined, DEFAULT_PASSWORD_POLICY, now)).to.equal(false);
  });

  it('expires a password after 90 days under a 90-day policy, not before', () => {
    expect(passwordExpired(daysAgo(89), ninetyDays, now)).to.equal(false);
    expect(passwordExpired(daysAgo(90), ninetyDays, now)).to.equal(true);
    expect(passwordExpired(daysAgo(91), ninetyDays, now)).to.equal(true);
  });

  it('counts an unknown or invalid change date as expired under a maximum age', () => {
    expect(passwordExpired(undefined, ninetyDays, now)).to.equal(true);
    expect(passwordExpired(new Date('not a date'), ninetyDays, now)).to.equal(true);
  });
});
