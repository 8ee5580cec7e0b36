import type { TextStore } from '../../../../sdk/session/text-store.js';

const PREFIX = 'tether.panel.';

/**
 * What the panel of `plugin` keeps for one session (`scope`: the end user's participant id on
 * the join page, the session's ref in the console) in this tab's sessionStorage, under a prefix
 * of its own, so that one panel's names never meet another's and no other session sees them.
 */
export function panelStorage(scope: string, plugin: string): TextStore {
  const prefix = `${PREFIX}${scope}.${plugin}.`;
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
