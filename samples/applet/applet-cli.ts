#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { X11Desktop } from '../../adapters/desktop-x11/index.js';
import { isTetherError } from '../../engine/errors.js';
import { CertificateError } from '../../sdk/crypto/certificate-error.js';
import { verifyAppletTicket } from '../../sdk/session/applet-ticket.js';
import { parseAppletOptions, UsageError, type AppletOptions } from './applet-options.js';
import { AppletSession } from './applet-session.js';
import { AppletTerminal } from './applet-terminal.js';
import { FileChatOutbox } from './file-chat-outbox.js';
import { joinWithCode, JoinError, type JoinedSession } from './join-session.js';

const EXIT_ENDED = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
/** Close codes after which the session ended as people meant it to. */
const NORMAL_ENDS = new Set([1000, 4100]);

async function main(): Promise<number> {
  const options = await parseAppletOptions(process.argv.slice(2));
  const desktop = options.desktop === undefined ? undefined : await openDesktop(options.desktop);
  const joined = await join(options);
  const terminal = new AppletTerminal(process.stdin, process.stdout);
  if (desktop) terminal.print(`offering display ${options.desktop} for remote control`);
  // Only a ticket lets the applet start again in the same session: its outbox sits beside it.
  const outbox =
    options.ticket === undefined ? undefined : new FileChatOutbox(`${options.ticket}.outbox.json`);
  const session = new AppletSession(joined, terminal, options.ca, desktop, outbox);
  const closed = await session.run();
  await desktop?.close();
  const ended = NORMAL_ENDS.has(closed.code);
  if (ended) await outbox?.clear();
  terminal.print(`session over: ${closed.reason || closed.code}`);
  terminal.close();
  return ended ? EXIT_ENDED : EXIT_FAILED;
}

/** The X display, or a one-line failure (exit 1) naming it and why. */
async function openDesktop(display: string): Promise<X11Desktop> {
  try {
    return await X11Desktop.open({ display });
  } catch (error) {
    if (isTetherError(error)) throw new UsageError(error.message);
    throw error;
  }
}

async function join(options: AppletOptions): Promise<JoinedSession> {
  if (options.ticket !== undefined) return fromTicket(options.ticket);
  return joinWithCode(options.server!, options.code!, options.name, options.ca);
}

async function fromTicket(file: string): Promise<JoinedSession> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read --ticket ${file}: ${error.code}`);
  });
  const ticket = verifyAppletTicket(parseTicket(text), new Date());
  const gatewayUrl = new URL('/gateway', ticket.server.replace(/^http/, 'ws')).href;
  return { ...ticket, gatewayUrl };
}

function parseTicket(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UsageError('the session file is not JSON');
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const usage = error instanceof UsageError;
    const known = usage || error instanceof JoinError || error instanceof CertificateError;
    const message = known ? (error as Error).message : String(error);
    process.stderr.write(`tether-applet: ${message}\n`);
    process.exit(usage ? EXIT_USAGE : EXIT_FAILED);
  },
);
