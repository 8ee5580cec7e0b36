import { z } from 'zod';
import { TetherError } from '../../engine/errors.js';

/** The module's validated settings, from the config file's `moduleSettings['sms-webhook']`. */
export interface WebhookSettings {
  /** Where each message is POSTed; https unless `allowInsecureHttp`. */
  readonly url: URL;
  /** Secret: sent as `Authorization: Bearer <token>`, never logged. */
  readonly token?: string;
  /** Secret: key of the `X-Tether-Signature` HMAC, never logged or sent. */
  readonly signingSecret?: string;
  readonly timeoutMs: number;
}

const MODULE = 'sms-webhook';

const integer = (min: number, max: number) => {
  const error = `expected an integer from ${min} to ${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};

const text = z.string({ error: 'expected a string' }).min(1, { error: 'must not be empty' });

/** A header value must not carry spaces or line breaks (a token never needs them). */
const token = text.regex(/^[\x21-\x7e]+$/, { error: 'expected printable ASCII without spaces' });

/** Shorter keys are guessable; 16 characters is a floor, 32 random bytes is better. */
const signingSecret = text.min(16, { error: 'expected at least 16 characters' });

const schema = z.strictObject({
  url: text.optional(),
  allowInsecureHttp: z.boolean({ error: 'expected true or false' }).default(false),
  token: token.optional(),
  signingSecret: signingSecret.optional(),
  timeoutMs: integer(100, 60_000).default(5000),
});

/**
 * Validates the module's settings. A bad value throws TETHER_E_CONFIG with one line naming the
 * setting; values are never echoed, since the token and the signing secret are among them.
 */
export function parseWebhookSettings(
  raw: Readonly<Record<string, unknown>> | undefined,
): WebhookSettings {
  const result = schema.safeParse(raw ?? {});
  if (!result.success) throw settingError(issueLine(result.error.issues[0]));
  const { url, allowInsecureHttp, ...rest } = result.data;

  if (url === undefined) throw settingError('setting url: required (the gateway endpoint)');
  return { ...rest, url: gatewayUrl(url, allowInsecureHttp) };
}

function gatewayUrl(value: string, allowInsecureHttp: boolean): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw settingError('setting url: expected an absolute https:// URL');
  }
  const insecureOk = allowInsecureHttp && url.protocol === 'http:';
  if (url.protocol !== 'https:' && !insecureOk) {
    const hint = allowInsecureHttp ? 'or http:// ' : '(http:// only with allowInsecureHttp) ';
    throw settingError(`setting url: expected an https:// URL ${hint}`.trim());
  }
  if (url.username !== '' || url.password !== '') {
    throw settingError('setting url: must not hold a user or password (use token)');
  }
  return url;
}

function issueLine(issue: z.core.$ZodIssue | undefined): string {
  if (issue === undefined) return 'settings: invalid';
  if (issue.code === 'unrecognized_keys') return `setting ${issue.keys[0]}: no such setting`;
  if (issue.path.length === 0) return 'settings: expected an object';
  return `setting ${issue.path.join('.')}: ${issue.message}`;
}

function settingError(line: string): TetherError {
  return new TetherError('TETHER_E_CONFIG', `module ${MODULE}: ${line}`);
}
