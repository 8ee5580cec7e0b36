import type { CreatedSession } from './console-types.js';
import type { LiveSession } from './live-session.js';

/** One session open in the console: a tab, and its live connection once admitted. */
export interface SessionEntry {
  readonly ref: string;
  readonly endUserName?: string;
  /** Only for a session made here: the join code to give the customer. */
  readonly created?: CreatedSession;
  readonly live?: LiveSession;
  /** Why it could not connect. */
  readonly error?: string;
}

/** A session's state in words. */
export function stateLabel(state: string | undefined): string {
  switch (state) {
    case 'waiting':
      return 'Waiting for the customer';
    case 'active':
      return 'Active';
    case 'on-hold':
      return 'On hold';
    case 'transferred':
      return 'Transferred';
    case 'closed':
      return 'Ended';
    default:
      return 'Connecting';
  }
}

/** The six digits of a short authentication string, grouped for reading aloud. */
export function groupDigits(digits: string): string {
  return digits.length === 6 ? `${digits.slice(0, 3)} ${digits.slice(3)}` : digits;
}

/** Why a session client ended, in words. */
export function endedLabel(ended: { code: number; reason: string }): string {
  if (ended.code === 4100) return `The session has ended (${ended.reason}).`;
  if (ended.code === 4011) return 'You are no longer in this session (it was transferred).';
  if (ended.code === 4010) return 'This session was opened in another window.';
  if (ended.code === 4003) return 'The engine did not let this console in (signed out?).';
  if (ended.code === 1000) return 'You left this session on this page.';
  return `The connection ended (${ended.reason}).`;
}
