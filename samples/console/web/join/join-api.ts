import type { AppletTicketFile } from '../../../../sdk/session/applet-ticket.js';
import type { JoinedSession } from '../../../../sdk/session/joined-session.js';
import { api, ApiError } from '../shared/api-client.js';

/** What the end user typed: the six digits and their name. */
export interface JoinRequest {
  readonly code: string;
  readonly name: string;
}

/** Uses up the code and answers with the gateway credentials for the browser session. */
export function joinInBrowser(request: JoinRequest): Promise<JoinedSession> {
  return api<JoinedSession>('/api/v1/sessions/join', { method: 'POST', body: request });
}

/** Uses up the code and answers with the signed per-session applet file. */
export function joinWithApplet(request: JoinRequest): Promise<AppletTicketFile> {
  return api<AppletTicketFile>('/api/v1/sessions/join/applet', { method: 'POST', body: request });
}

/** Where an error belongs on the page: on the code field, or the form as a whole. */
export interface JoinProblem {
  readonly field: 'code' | 'form';
  readonly text: string;
}

/** Plain words for a failed join; the engine's code decides, never its message alone. */
export function joinProblem(error: unknown): JoinProblem {
  if (!(error instanceof ApiError)) {
    return { field: 'form', text: 'The support server could not be reached. Try again.' };
  }
  switch (error.code) {
    case 'TETHER_E_JOIN_CODE':
      return {
        field: 'code',
        text: 'This code is wrong, used or expired. Check it, or ask your technician for another.',
      };
    case 'TETHER_E_RATE_LIMITED':
      return {
        field: 'code',
        text: 'Too many wrong codes were tried from your network. Wait ten minutes, then retry.',
      };
    case 'TETHER_E_VALIDATION':
      return { field: 'form', text: 'Check your name: it must not be empty or too long.' };
    default:
      return { field: 'form', text: `The server could not join you (${error.code}). Try again.` };
  }
}

/** The six digits of `typed` (spaces and dashes allowed), or undefined when it is no code. */
export function codeOf(typed: string): string | undefined {
  const digits = typed.replace(/[\s-]/g, '');
  return /^[0-9]{6}$/.test(digits) ? digits : undefined;
}

/**
 * A code handed over in the link's fragment (`/join/#123456`), which the browser never sends
 * to the server. It is removed from the address bar at once, so it stays in no history entry.
 */
export function takeCodeFromFragment(): string {
  const code = codeOf(decodeURIComponent(location.hash.replace(/^#/, ''))) ?? '';
  if (location.hash !== '') history.replaceState(null, '', location.pathname + location.search);
  return code;
}
