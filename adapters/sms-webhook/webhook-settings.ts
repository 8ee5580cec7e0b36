import { z } from 'zod';
import {
  flagSetting,
  integerSetting,
  moduleSettingError,
  parseModuleSettings,
  textSetting,
} from '../shared/module-settings.js';

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

const text = textSetting;

/** A header value must not carry spaces or line breaks (a token never needs them). */
const token = text.regex(/^[\x21-\x7e]+$/, { error: 'expected printable ASCII without spaces' });

/** Shorter keys are guessable; 16 characters is a floor, 32 random bytes is better. */
const signingSecret = text.min(16, { error: 'expected at least 16 characters' });

const schema = z.strictObject({
  url: text.optional(),
  allowInsecureHttp: flagSetting.default(false),
  token: token.optional(),
  signingSecret: signingSecret.optional(),
  timeoutMs: integerSetting(100, 60_000).default(5000),
});

/**
 * Validates the module's settings. A bad value throws TETHER_E_CONFIG with one line naming the
 * setting; values are never echoed, since the token and the signing secret are among them.
 */
export function parseWebhookSettings(
  raw: Readonly<Record<string, unknown>> | undefined,
): WebhookSettings {
  const { url, allowInsecureHttp, ...rest } = parseModuleSettings(MODULE, schema, raw);

  if (url === undefined)
    throw moduleSettingError(MODULE, 'setting url: required (the gateway endpoint)');
  return { ...rest, url: gatewayUrl(url, allowInsecureHttp) };
}

function gatewayUrl(value: string, allowInsecureHttp: boolean): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw moduleSettingError(MODULE, 'setting url: expected an absolute https:// URL');
  }
  const insecureOk = allowInsecureHttp && url.protocol === 'http:';
  if (url.protocol !== 'https:' && !insecureOk) {
    const hint = allowInsecureHttp ? 'or http:// ' : '(http:// only with allowInsecureHttp) ';
    throw moduleSettingError(MODULE, `setting url: expected an https:// URL ${hint}`.trim());
  }
  if (url.username !== '' || url.password !== '') {
    throw moduleSettingError(MODULE, 'setting url: must not hold a user or password (use token)');
  }
  return url;
}
