import type { SessionClosed } from '../../../../sdk/session/browser.js';

/** What the end user reads once the session is over: a headline and one sentence. */
export interface EndWords {
  readonly title: string;
  readonly detail: string;
  /** Whether it ended as it should (by a person), rather than by a failure. */
  readonly normal: boolean;
}

const SESSION_ENDS: Readonly<Record<string, EndWords>> = {
  'ended-by-technician': {
    title: 'Your technician ended the session',
    detail: 'Everything you allowed has been withdrawn. You can close this page.',
    normal: true,
  },
  'ended-by-end-user': {
    title: 'You ended the session',
    detail: 'Everything you allowed has been withdrawn. You can close this page.',
    normal: true,
  },
  'ended-by-administrator': {
    title: 'An administrator ended the session',
    detail: 'Everything you allowed has been withdrawn. Ask your technician if you need more help.',
    normal: false,
  },
  'connection-lost': {
    title: 'The session closed: the connection was lost for too long',
    detail: 'Ask your technician for a new code to start again.',
    normal: false,
  },
  'code-expired': {
    title: 'The session closed: its code expired',
    detail: 'Ask your technician for a new code.',
    normal: false,
  },
};

/** Plain words for how the session client ended (close code and reason, docs/protocol.md). */
export function endWords(closed: SessionClosed): EndWords {
  if (closed.code === 4100) {
    return (
      SESSION_ENDS[closed.reason] ?? {
        title: 'The session has ended',
        detail: 'Everything you allowed has been withdrawn.',
        normal: true,
      }
    );
  }
  return failureWords(closed);
}

function failureWords({ code, reason }: SessionClosed): EndWords {
  switch (code) {
    case 4003:
      return {
        title: 'This session is no longer open',
        detail: 'It may have ended already. Ask your technician for a new code.',
        normal: false,
      };
    case 4010:
      return {
        title: 'The session continues in another window',
        detail: 'You joined this session again elsewhere, so this page stopped.',
        normal: false,
      };
    case 1000:
      return {
        title: 'You left the session',
        detail: 'The session closes by itself if you do not come back within a few minutes.',
        normal: true,
      };
    case 1008:
      return {
        title: 'The session was stopped for your safety',
        detail: `A security check of the connection failed (${reason}). Tell your technician.`,
        normal: false,
      };
    default:
      return {
        title: 'The support server cannot be reached',
        detail: 'Check your internet connection, then ask your technician for a new code.',
        normal: false,
      };
  }
}
