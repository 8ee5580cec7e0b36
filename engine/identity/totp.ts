import { generateSecret, generateURI, verifySync, type VerifyResult } from 'otplib';
import { toDataURL } from 'qrcode';
import { ProgrammerError } from '../errors.js';

/** What an authenticator app needs to enrol a secret: the URL and the same URL as a QR code. */
export interface TotpSetup {
  /** `otpauth://totp/...`; it holds the secret, so it is shown once and never logged. */
  readonly otpauthUrl: string;
  /** The URL as a PNG QR code, `data:image/png;base64,...`. */
  readonly qrDataUrl: string;
}

/** The outcome of {@link Totp.verify}; `step` is what the caller stores against replay. */
export type TotpCheck = { readonly ok: true; readonly step: number } | { readonly ok: false };

/** Seconds per step and digits per code: what every common authenticator app uses. */
const PERIOD_SECONDS = 30;
const DIGITS = 6;
/** 160 bits, the length RFC 4226 recommends for an HMAC-SHA1 key. */
const SECRET_BYTES = 20;
/** One step either side of the current one, for clock drift and typing time. */
const TOLERANCE_SECONDS = PERIOD_SECONDS;

const CODE_SHAPE = /^\d{6}$/;

/**
 * Time-based one-time passwords (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps) for a second
 * factor. Stateless: the caller keeps each account's secret and the step of the last code it
 * accepted, and passes that step back so that a code is never accepted twice.
 */
export class Totp {
  /** A new random secret, base32 without padding, of 160 bits. */
  newSecret(): string {
    return generateSecret({ length: SECRET_BYTES });
  }

  /**
   * The enrolment URL and its QR code for `secret`. The label is what the app shows under the
   * issuer (usually the e-mail address). Algorithm, digits and period are written out, though
   * they are the defaults, because some apps guess otherwise when they are missing.
   */
  async setup(secret: string, accountLabel: string, issuer: string): Promise<TotpSetup> {
    const base = generateURI({ issuer, label: accountLabel, secret });
    const otpauthUrl = `${base}&algorithm=SHA1&digits=${DIGITS}&period=${PERIOD_SECONDS}`;
    const qrDataUrl = await toDataURL(otpauthUrl, { type: 'image/png', errorCorrectionLevel: 'M' });
    return { otpauthUrl, qrDataUrl };
  }

  /**
   * Checks `code` against the step of `now` and one step either side. A code whose step is at
   * or before `lastUsedStep` is refused, so a code seen once (or an older one) cannot be
   * replayed; on success the caller stores the returned step. Anything but six digits is
   * refused before any HMAC is computed; the comparison itself is constant-time.
   * Throws (not a TetherError) when `secret` is not base32 of at least 128 bits: a stored
   * secret of that shape is a bug, not a wrong code.
   */
  verify(secret: string, code: string, now: Date, lastUsedStep?: number): TotpCheck {
    if (typeof code !== 'string' || !CODE_SHAPE.test(code)) return { ok: false };
    const epoch = epochSeconds(now);
    checkLastUsedStep(lastUsedStep);

    // Every step the window holds is used already (a clock set back): nothing can be accepted,
    // and otplib throws rather than answer for a bound past its window.
    const lastInWindow = Math.floor((epoch + TOLERANCE_SECONDS) / PERIOD_SECONDS);
    if (lastUsedStep !== undefined && lastUsedStep >= lastInWindow) return { ok: false };

    // The functional API types its result for TOTP and HOTP alike; the strategy here is TOTP,
    // whose result carries the matched time step.
    const result = verifySync({
      secret,
      token: code,
      epoch,
      period: PERIOD_SECONDS,
      digits: DIGITS,
      algorithm: 'sha1',
      epochTolerance: TOLERANCE_SECONDS,
      afterTimeStep: lastUsedStep,
    }) as VerifyResult;
    return result.valid ? { ok: true, step: result.timeStep } : { ok: false };
  }
}

function epochSeconds(now: Date): number {
  const millis = now instanceof Date ? now.getTime() : Number.NaN;
  if (!Number.isFinite(millis) || millis < 0) {
    throw new ProgrammerError('Totp.verify: now must be a valid Date after 1970');
  }
  return Math.floor(millis / 1000);
}

function checkLastUsedStep(step: number | undefined): void {
  if (step === undefined || (Number.isSafeInteger(step) && step >= 0)) return;
  throw new ProgrammerError('Totp.verify: lastUsedStep must be a non-negative integer');
}
