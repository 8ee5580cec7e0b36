import { z } from 'zod';
import {
  flagSetting,
  integerSetting,
  moduleSettingError,
  parseModuleSettings,
  textSetting,
} from '../shared/module-settings.js';

/** The module's validated settings, from the config file's `moduleSettings['mailer-smtp']`. */
export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  /** Implicit TLS from the first byte (usually port 465). */
  readonly secure: boolean;
  /** Refuse to send unless the server upgrades the connection with STARTTLS. */
  readonly requireTls: boolean;
  /** Never upgrade, even when offered; only for test sinks. */
  readonly ignoreTls: boolean;
  readonly user?: string;
  /** Secret: never logged. */
  readonly password?: string;
  /** The sender, `noreply@example.com` or `Tether <noreply@example.com>`. */
  readonly from: string;
  readonly connectionTimeoutMs: number;
}

const MODULE = 'mailer-smtp';

const text = textSetting;
const flag = flagSetting;

const ADDRESS = /^[^\s@<>,;"]+@[^\s@<>,;"]+$/;
const NAMED_ADDRESS = /^[^<>\r\n"]*<[^\s@<>,;"]+@[^\s@<>,;"]+>$/;
const from = text.refine((value) => ADDRESS.test(value) || NAMED_ADDRESS.test(value.trim()), {
  error: 'expected an address such as noreply@example.com or "Tether <noreply@example.com>"',
});

const schema = z.strictObject({
  host: text.default('localhost'),
  port: integerSetting(1, 65535).optional(),
  secure: flag.default(false),
  requireTls: flag.default(true),
  ignoreTls: flag.default(false),
  user: text.optional(),
  password: text.optional(),
  from: from.optional(),
  connectionTimeoutMs: integerSetting(100, 120_000).default(10_000),
});

/**
 * Validates the module's settings. A bad value throws TETHER_E_CONFIG with one line naming the
 * setting; values are never echoed, since `password` is among them.
 */
export function parseSmtpSettings(
  raw: Readonly<Record<string, unknown>> | undefined,
): SmtpSettings {
  const values = parseModuleSettings(MODULE, schema, raw);

  if (values.from === undefined)
    throw moduleSettingError(MODULE, 'setting from: required (the sender address)');
  if (values.ignoreTls && values.requireTls) {
    throw moduleSettingError(MODULE, 'setting ignoreTls: cannot be true while requireTls is true');
  }
  if ((values.user === undefined) !== (values.password === undefined)) {
    const missing = values.user === undefined ? 'user' : 'password';
    throw moduleSettingError(MODULE, `setting ${missing}: user and password go together`);
  }
  // The ports of RFC 8314: 465 for implicit TLS, 587 for submission with STARTTLS.
  return { ...values, from: values.from, port: values.port ?? (values.secure ? 465 : 587) };
}
