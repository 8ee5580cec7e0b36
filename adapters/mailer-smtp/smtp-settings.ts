import { z } from 'zod';
import { TetherError } from '../../engine/errors.js';

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

const integer = (min: number, max: number) => {
  const error = `expected an integer from ${min} to ${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};

const text = z.string({ error: 'expected a string' }).min(1, { error: 'must not be empty' });
const flag = z.boolean({ error: 'expected true or false' });

const ADDRESS = /^[^\s@<>,;"]+@[^\s@<>,;"]+$/;
const NAMED_ADDRESS = /^[^<>\r\n"]*<[^\s@<>,;"]+@[^\s@<>,;"]+>$/;
const from = text.refine((value) => ADDRESS.test(value) || NAMED_ADDRESS.test(value.trim()), {
  error: 'expected an address such as noreply@example.com or "Tether <noreply@example.com>"',
});

const schema = z.strictObject({
  host: text.default('localhost'),
  port: integer(1, 65535).optional(),
  secure: flag.default(false),
  requireTls: flag.default(true),
  ignoreTls: flag.default(false),
  user: text.optional(),
  password: text.optional(),
  from: from.optional(),
  connectionTimeoutMs: integer(100, 120_000).default(10_000),
});

/**
 * Validates the module's settings. A bad value throws TETHER_E_CONFIG with one line naming the
 * setting; values are never echoed, since `password` is among them.
 */
export function parseSmtpSettings(
  raw: Readonly<Record<string, unknown>> | undefined,
): SmtpSettings {
  const result = schema.safeParse(raw ?? {});
  if (!result.success) throw settingError(issueLine(result.error.issues[0]));
  const values = result.data;

  if (values.from === undefined) throw settingError('setting from: required (the sender address)');
  if (values.ignoreTls && values.requireTls) {
    throw settingError('setting ignoreTls: cannot be true while requireTls is true');
  }
  if ((values.user === undefined) !== (values.password === undefined)) {
    const missing = values.user === undefined ? 'user' : 'password';
    throw settingError(`setting ${missing}: user and password go together`);
  }
  // The ports of RFC 8314: 465 for implicit TLS, 587 for submission with STARTTLS.
  return { ...values, from: values.from, port: values.port ?? (values.secure ? 465 : 587) };
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
