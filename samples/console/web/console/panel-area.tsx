import { useEffect, useRef, useState } from 'preact/hooks';
import type { PanelModule, TechnicianPanelHost } from '../../../../sdk/ui/panel-contract.js';
import { api, apiFetch } from '../shared/api-client.js';
import { panelStorage } from '../shared/panel-storage.js';
import type { PanelEntry } from './console-types.js';
import type { LiveSession } from './live-session.js';

let panelList: Promise<readonly PanelEntry[]> | undefined;

/** The active plugins' panels, read once per page from `GET /api/v1/ui/panels`. */
export function loadPanels(): Promise<readonly PanelEntry[]> {
  panelList ??= api<{ panels: PanelEntry[] }>('/api/v1/ui/panels').then(({ panels }) => panels);
  panelList.catch(() => (panelList = undefined));
  return panelList;
}

/** The host one panel gets for one session: everything it may reach, and nothing else. */
function hostFor(
  entry: PanelEntry,
  live: LiveSession,
  element: HTMLElement,
  setBadge: (text: string | undefined) => void,
): TechnicianPanelHost {
  const base = `/api/v1/plugins/${encodeURIComponent(entry.plugin)}`;
  return {
    side: 'technician',
    element,
    sessionRef: live.ref,
    client: live.client,
    signal: live.lifetime.signal,
    consent: live.consent,
    setBadge,
    saved: panelStorage(live.ref, entry.plugin),
    endUser: () => live.endUserId(),
    api: (path, init = {}) => apiFetch(`${base}${path}`, init),
  };
}

/** Imports a panel module and mounts it; resolves with what unmounts it. */
async function mountPanel(url: string, host: TechnicianPanelHost): Promise<() => void> {
  const module = (await import(url)) as { default?: PanelModule };
  const panel = module.default;
  if (panel?.side !== 'technician') throw new Error('not a technician panel');
  const cleanup = await panel.mount(host);
  return () => {
    if (typeof cleanup === 'function') cleanup();
    host.element.replaceChildren();
  };
}

interface SlotProps {
  readonly entry: PanelEntry & { readonly technician: string };
  readonly live: LiveSession;
  readonly hidden: boolean;
  readonly onBadge: (text: string | undefined) => void;
}

/** One panel's element: the panel renders into it; the console renders nothing inside. */
function PanelSlot({ entry, live, hidden, onBadge }: SlotProps) {
  const element = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState<string>();

  useEffect(() => {
    let unmount: (() => void) | undefined;
    let gone = false;
    const host = hostFor(entry, live, element.current!, onBadge);
    mountPanel(entry.technician, host).then(
      (undo) => (gone ? undo() : (unmount = undo)),
      (error: unknown) => setFailed(String(error)),
    );
    return () => {
      gone = true;
      unmount?.();
    };
  }, [entry, live]);

  return (
    <section
      class="panel"
      id={`panel-${live.ref}-${entry.plugin}`}
      role="tabpanel"
      aria-label={entry.title}
      hidden={hidden}
    >
      {failed && <p class="error">The {entry.title} panel could not start.</p>}
      <div class="panel-body" ref={element} />
    </section>
  );
}

/** The session's plugin panels as tabs; every panel stays mounted while hidden. */
export function PanelArea({ live, panels }: { live: LiveSession; panels: readonly PanelEntry[] }) {
  const usable = panels.filter(
    (entry): entry is PanelEntry & { technician: string } => entry.technician !== undefined,
  );
  const [open, setOpen] = useState(usable[0]?.plugin);
  const [badges, setBadges] = useState<Record<string, string | undefined>>({});
  if (usable.length === 0) return <p class="muted">No plugin adds a panel to sessions.</p>;

  return (
    <div class="panels">
      <div class="panel-tabs" role="tablist" aria-label="Session tools">
        {usable.map((entry) => (
          <button
            type="button"
            role="tab"
            key={entry.plugin}
            aria-selected={open === entry.plugin}
            aria-controls={`panel-${live.ref}-${entry.plugin}`}
            onClick={() => setOpen(entry.plugin)}
          >
            {entry.title}
            {badges[entry.plugin] && <span class="badge">{badges[entry.plugin]}</span>}
          </button>
        ))}
      </div>
      {usable.map((entry) => (
        <PanelSlot
          key={entry.plugin}
          entry={entry}
          live={live}
          hidden={open !== entry.plugin}
          onBadge={(text) => setBadges((all) => ({ ...all, [entry.plugin]: text }))}
        />
      ))}
    </div>
  );
}
