import { useEffect, useRef, useState } from 'preact/hooks';
import type { PanelModule } from '../../../../sdk/ui/panel-contract.js';
import { panelStorage } from '../shared/panel-storage.js';
import type { JoinSession } from './join-session.js';
import type { PanelCatalog, PanelEntry } from './panel-catalog.js';

/** A panel module loaded for this page, or why it could not be. */
type Loaded =
  | { readonly entry: PanelEntry; readonly module: PanelModule & { side: 'end-user' } }
  | { readonly entry: PanelEntry; readonly failed: string };

/** Imports every end-user panel module the engine lists; a broken one is reported, not fatal. */
async function loadPanels(catalog: PanelCatalog): Promise<Loaded[]> {
  return Promise.all(
    catalog.endUserPanels().map(async (entry): Promise<Loaded> => {
      try {
        const imported = (await import(entry.endUser)) as { default?: PanelModule };
        const module = imported.default;
        if (module?.side !== 'end-user' || typeof module.mount !== 'function') {
          return { entry, failed: 'it is not an end-user panel' };
        }
        return { entry, module };
      } catch {
        return { entry, failed: 'it could not be loaded' };
      }
    }),
  );
}

interface PanelAreaProps {
  readonly session: JoinSession;
  readonly catalog: PanelCatalog;
  /** Called once every panel is mounted (or failed), so the page may connect. */
  readonly onMounted: () => void;
}

/**
 * The plugins' panels on the end user's page, as tabs when there are several. The page knows
 * no feature by name: whatever the engine lists is imported and mounted with a host.
 */
export function PanelArea({ session, catalog, onMounted }: PanelAreaProps) {
  const [loaded, setLoaded] = useState<Loaded[] | undefined>(undefined);
  const [selected, setSelected] = useState(0);
  const [badges, setBadges] = useState<Record<string, string | undefined>>({});
  const mounts = useRef<Promise<unknown>[]>([]);
  const reported = useRef(false);

  useEffect(() => {
    let live = true;
    void loadPanels(catalog).then((panels) => live && setLoaded(panels));
    return () => {
      live = false;
    };
  }, [catalog]);

  // Connect once every mountable panel has started its mount and that mount has settled.
  const mountable = loaded?.filter((panel) => 'module' in panel).length;
  const onMount = (promise: Promise<unknown>) => {
    mounts.current.push(promise);
    if (mounts.current.length === mountable) report();
  };
  const report = () => {
    if (reported.current) return;
    reported.current = true;
    void Promise.allSettled(mounts.current).then(onMounted);
  };
  useEffect(() => {
    if (mountable === 0) report();
  }, [mountable]);

  if (loaded === undefined) return <p class="muted">Loading…</p>;
  if (loaded.length === 0) return <p class="muted">Nothing to show yet.</p>;
  const setBadge = (plugin: string, text: string | undefined) =>
    setBadges((old) => ({ ...old, [plugin]: text }));

  return (
    <div class="panel-area">
      {loaded.length > 1 && (
        <div class="panel-tabs" role="tablist" aria-label="Session tools">
          {loaded.map(({ entry }, index) => (
            <button
              type="button"
              role="tab"
              id={`tab-${entry.plugin}`}
              aria-selected={index === selected}
              aria-controls={`panel-${entry.plugin}`}
              onClick={() => setSelected(index)}
            >
              {entry.title}
              {badges[entry.plugin] && <span class="badge">{badges[entry.plugin]}</span>}
            </button>
          ))}
        </div>
      )}
      {loaded.map((panel, index) => (
        <PanelSlot
          key={panel.entry.plugin}
          panel={panel}
          session={session}
          hidden={index !== selected}
          tabbed={loaded.length > 1}
          onMount={onMount}
          setBadge={(text) => setBadge(panel.entry.plugin, text)}
        />
      ))}
    </div>
  );
}

interface PanelSlotProps {
  readonly panel: Loaded;
  readonly session: JoinSession;
  readonly hidden: boolean;
  readonly tabbed: boolean;
  readonly onMount: (mounted: Promise<unknown>) => void;
  readonly setBadge: (text: string | undefined) => void;
}

function PanelSlot({ panel, session, hidden, tabbed, onMount, setBadge }: PanelSlotProps) {
  const element = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!('module' in panel) || element.current === null) return;
    const target = element.current;
    const abort = new AbortController();
    const host = {
      side: 'end-user' as const,
      element: target,
      client: session.client,
      consent: session.consent,
      saved: panelStorage(session.participantId, panel.entry.plugin),
      signal: abort.signal,
      setBadge,
    };
    const mounted = Promise.resolve()
      .then(() => panel.module.mount(host))
      .catch(() => undefined);
    onMount(mounted);
    return () => {
      abort.abort();
      void mounted.then((cleanup) => typeof cleanup === 'function' && cleanup());
      target.replaceChildren();
    };
  }, [panel, session]);

  const { plugin, title } = panel.entry;
  return (
    <section
      class="panel-slot"
      id={`panel-${plugin}`}
      hidden={hidden}
      aria-label={title}
      {...(tabbed ? { role: 'tabpanel', 'aria-labelledby': `tab-${plugin}` } : {})}
    >
      {'failed' in panel ? (
        <p class="error">
          The {title} panel is not available: {panel.failed}.
        </p>
      ) : (
        <div class="panel-body" ref={element} />
      )}
    </section>
  );
}
