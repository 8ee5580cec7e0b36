import type { TextStore } from '../../../../sdk/session/stored-chat-outbox.js';

const PREFIX = 'tether.panel.';

/**
 * What the panel of `plugin` keeps for the session of end user `participantId`, in this tab's
 * sessionStorage under a prefix of its own, so that one panel's names never meet another's
 * and another session's panels never see it.
 */
export function panelStorage(participantId: string, plugin: string): TextStore {
  const prefix = `${PREFIX}${participantId}.${plugin}.`;
  return {
    get: (name) => sessionStorage.getItem(prefix + name) ?? undefined,
    set: (name, value) => sessionStorage.setItem(prefix + name, value),
    remove: (name) => sessionStorage.removeItem(prefix + name),
  };
}

/** Drops what every panel kept, for every session of this tab: the session ended. */
export function clearPanelStorage(): void {
  const keys = Array.from({ length: sessionStorage.length }, (_, i) => sessionStorage.key(i));
  for (const key of keys) if (key?.startsWith(PREFIX)) sessionStorage.removeItem(key);
}
