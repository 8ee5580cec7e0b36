import { readFile } from 'node:fs/promises';
import yargs from 'yargs';

/** What the applet was started with. */
export interface AppletOptions {
  /** The engine's https URL, when joining with a code. */
  readonly server?: string;
  /** The six-digit join code. */
  readonly code?: string;
  /** A per-session download (`tether-session.json`) instead of a code. */
  readonly ticket?: string;
  /** The name the technician sees. */
  readonly name?: string;
  /** PEM of the certificate authority (or the self-signed certificate) the engine uses. */
  readonly ca?: string;
  /** The X display to offer for desktop view and remote control (`:1`); none when absent. */
  readonly desktop?: string;
}

/** A start the applet cannot run with, for a one-line message and exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Reads and checks the command line. */
export async function parseAppletOptions(argv: readonly string[]): Promise<AppletOptions> {
  const args = await yargs([...argv])
    .scriptName('tether-applet')
    .usage('$0 --server URL --code 123456 | --ticket tether-session.json')
    .option('server', { type: 'string', describe: 'The engine, https://host:port' })
    .option('code', { type: 'string', describe: 'The six-digit code the technician gave you' })
    .option('ticket', { type: 'string', describe: 'The session file downloaded for you' })
    .option('name', { type: 'string', describe: 'Your name, as the technician sees it' })
    .option('ca', { type: 'string', describe: "PEM file of the engine's certificate authority" })
    .option('desktop', {
      type: 'string',
      describe: 'Offer this X display (such as :1; empty for $DISPLAY) for remote control',
    })
    .strict()
    .fail((message, error) => {
      throw new UsageError(error?.message ?? message);
    })
    .help()
    .parseAsync();
  return checked({
    server: args.server,
    code: args.code,
    ticket: args.ticket,
    name: args.name,
    ca: args.ca === undefined ? undefined : await readCa(args.ca),
    desktop: desktopOf(args.desktop),
  });
}

function desktopOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const display = value === '' ? process.env.DISPLAY : value;
  if (display === undefined || display === '') {
    throw new UsageError('--desktop needs a display such as :1 (DISPLAY is not set)');
  }
  if (!/^[A-Za-z0-9.:/_-]{1,100}$/.test(display)) throw new UsageError('--desktop is no display');
  return display;
}

function checked(options: AppletOptions): AppletOptions {
  if (options.ticket !== undefined) {
    if (options.code !== undefined) throw new UsageError('give --ticket or --code, not both');
    return options;
  }
  if (options.code === undefined) throw new UsageError('give --code (with --server) or --ticket');
  if (!/^\d{6}$/.test(options.code)) throw new UsageError('--code is six digits');
  if (options.server === undefined) throw new UsageError('--code needs --server');
  if (!isHttpsUrl(options.server)) throw new UsageError('--server is an https:// URL');
  if (options.name !== undefined && (options.name.length === 0 || options.name.length > 100)) {
    throw new UsageError('--name is 1 to 100 characters');
  }
  return options;
}

function isHttpsUrl(text: string): boolean {
  try {
    return new URL(text).protocol === 'https:';
  } catch {
    return false;
  }
}

async function readCa(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read --ca ${file}: ${(error as NodeJS.ErrnoException).code}`);
  }
}
