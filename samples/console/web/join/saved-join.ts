import type { JoinedSession } from '../../../../sdk/session/joined-session.js';

const KEY = 'tether.join';
const FIELDS = ['sessionId', 'participantId', 'secret', 'engineKey', 'gatewayUrl', 'expiresAt'];

/**
 * The credentials of the browser session, kept in this tab's sessionStorage so that a reload
 * reconnects instead of stranding the end user (a join code works only once). The tab's
 * storage goes when the tab closes, and the page drops it as soon as the session ends.
 */
export const savedJoin = {
  save(joined: JoinedSession): void {
    sessionStorage.setItem(KEY, JSON.stringify(joined));
  },

  /** The saved credentials, unless absent or malformed; a closed session refuses them later. */
  load(): JoinedSession | undefined {
    const text = sessionStorage.getItem(KEY);
    if (text === null) return undefined;
    try {
      const value = JSON.parse(text) as Record<string, unknown>;
      if (FIELDS.every((field) => typeof value[field] === 'string')) {
        return value as unknown as JoinedSession;
      }
    } catch {
      // Not JSON: dropped below like any other unusable entry.
    }
    this.clear();
    return undefined;
  },

  clear(): void {
    sessionStorage.removeItem(KEY);
  },
};
