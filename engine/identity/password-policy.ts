import { ZxcvbnFactory, type ZxcvbnResult } from '@zxcvbn-ts/core';
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';
import * as zxcvbnEnglish from '@zxcvbn-ts/language-en';
import { ProgrammerError, TetherError } from '../errors.js';
import { MAX_PASSWORD_LENGTH } from './password-hasher.js';

/** A zxcvbn strength score: 0 (guessed at once) to 4 (very hard to guess). */
export type PasswordStrength = 0 | 1 | 2 | 3 | 4;

/** A tenant's rules for new passwords and how long a password lasts. */
export interface PasswordPolicy {
  /** Fewest characters (Unicode code points after NFKC normalisation), 1 to 1024. */
  readonly minLength: number;
  /** Lowest zxcvbn score a new password must reach. */
  readonly minStrength: PasswordStrength;
  /** Days after which a password must be changed; undefined: it never expires. */
  readonly maxAgeDays?: number;
}

/** Who is choosing the password: what a password must not be made of. */
export interface PasswordContext {
  readonly email: string;
  readonly displayName?: string;
  readonly tenantName?: string;
}

/** Why a password was refused, in the `reason` of the error's details. */
export type PasswordRefusalReason = 'length' | 'strength' | 'contains-identity';

/** The policy of a tenant that never set one: 12 characters, strength 3, no expiry. */
export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = Object.freeze({
  minLength: 12,
  minStrength: 3,
});

const DAY_MS = 24 * 60 * 60 * 1000;
const MIN_IDENTITY_LENGTH = 4;

let estimator: ZxcvbnFactory | undefined;

/**
 * Checks a new password against `policy` and returns when it passes. Otherwise throws
 * TETHER_E_PASSWORD_POLICY with a message the user can act on, which never repeats the
 * password, and details `{ reason, score }` (no score for a password over 1024 characters).
 * Refuses a password that contains the part of the e-mail address before the @ (when it has
 * at least 4 characters, in any case) and scores the password with the e-mail, display name
 * and tenant name as known words, so a password made of them is weak. Throws a
 * ProgrammerError for a policy outside its documented ranges.
 */
export function checkPassword(
  password: string,
  policy: PasswordPolicy,
  context: PasswordContext,
): void {
  assertPolicy(policy);
  if (password.length > MAX_PASSWORD_LENGTH) {
    refuse(`at most ${MAX_PASSWORD_LENGTH} characters`, 'length');
  }

  const normalised = password.normalize('NFKC');
  const { score, feedback } = estimate(normalised, context);
  if ([...normalised].length < policy.minLength) {
    refuse(`at least ${policy.minLength} characters`, 'length', score);
  }
  if (containsLocalPart(normalised, context.email)) {
    refuse(
      'must not contain the part of your e-mail address before the @',
      'contains-identity',
      score,
    );
  }
  if (score < policy.minStrength) {
    const hint = feedback.warning ?? feedback.suggestions[0];
    const summary = `too easy to guess (strength ${score} of 4, needs ${policy.minStrength})`;
    refuse(hint ? `${summary}: ${hint}` : summary, 'strength', score);
  }
}

/**
 * True when a password changed at `changedAt` must be changed at `now`: once `maxAgeDays` full
 * days have passed. Never true when the policy has no maximum age. An unknown or invalid
 * `changedAt` under a policy with a maximum age counts as expired, so doubt forces a change.
 */
export function passwordExpired(
  changedAt: Date | undefined,
  policy: PasswordPolicy,
  now: Date,
): boolean {
  assertPolicy(policy);
  if (policy.maxAgeDays === undefined) return false;

  const age = now.getTime() - (changedAt?.getTime() ?? Number.NaN);
  // Written as a negation so that a NaN age (no date, an invalid date) is expired.
  return !(age < policy.maxAgeDays * DAY_MS);
}

function refuse(problem: string, reason: PasswordRefusalReason, score?: number): never {
  const details = score === undefined ? { reason } : { reason, score };
  throw new TetherError('TETHER_E_PASSWORD_POLICY', `password: ${problem}`, { details });
}

function estimate(password: string, context: PasswordContext): ZxcvbnResult {
  // Built on first use: loading the dictionaries takes a fifth of a second.
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEnglish.dictionary },
    graphs: zxcvbnCommon.adjacencyGraphs,
    translations: zxcvbnEnglish.translations,
  });
  return estimator.check(password, userInputs(context));
}

/** The words a password must not lean on: each name whole, without spaces and word by word. */
function userInputs({ email, displayName, tenantName }: PasswordContext): string[] {
  const names = [email, localPart(email), displayName, tenantName].filter(
    (name): name is string => name !== undefined && name.length > 0,
  );
  const inputs = names.flatMap((name) => {
    const words = name
      .normalize('NFKC')
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w.length > 0);
    return [name, words.join(''), ...words];
  });
  return [...new Set(inputs)];
}

function containsLocalPart(password: string, email: string): boolean {
  const local = localPart(email).normalize('NFKC').toLowerCase();
  return [...local].length >= MIN_IDENTITY_LENGTH && password.toLowerCase().includes(local);
}

function localPart(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 0 ? email : email.slice(0, at);
}

function assertPolicy({ minLength, minStrength, maxAgeDays }: PasswordPolicy): void {
  // A NaN or fractional bound would make every comparison false and let any password through.
  const lengthOk = Number.isSafeInteger(minLength) && minLength >= 1;
  const strengthOk = Number.isSafeInteger(minStrength) && minStrength >= 0 && minStrength <= 4;
  const ageOk = maxAgeDays === undefined || (Number.isSafeInteger(maxAgeDays) && maxAgeDays > 0);
  if (!lengthOk || minLength > MAX_PASSWORD_LENGTH || !strengthOk || !ageOk) {
    throw new ProgrammerError(
      `password policy out of range: minLength ${minLength}, minStrength ${minStrength}, ` +
        `maxAgeDays ${maxAgeDays}`,
    );
  }
}
