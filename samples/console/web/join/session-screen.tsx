import { useEffect, useState } from 'preact/hooks';
import type { JoinedSession } from '../../../../sdk/session/joined-session.js';
import { clearPanelStorage } from '../shared/panel-storage.js';
import { ConsentDialog } from './consent-dialog.js';
import { EndedScreen } from './ended-screen.js';
import { GrantList } from './grant-list.js';
import type { JoinSnapshot } from './join-session.js';
import { PanelArea } from './panel-area.js';
import { PanelCatalog } from './panel-catalog.js';
import { savedJoin } from './saved-join.js';
import { TechnicianCard } from './technician-card.js';
import { technicianName } from './technician-name.js';
import { useJoinSession } from './use-join-session.js';

/** The browser session: who is there, the security code, the plugins' panels and consent. */
export function SessionScreen({ joined }: { joined: JoinedSession }) {
  const [session, snapshot] = useJoinSession(joined);
  const [catalog, setCatalog] = useState<PanelCatalog | undefined>(undefined);

  useEffect(() => {
    // Without the list the session still runs: chat-less, and prompts in generic words.
    PanelCatalog.load()
      .catch(() => new PanelCatalog([]))
      .then(setCatalog);
  }, []);

  useEffect(() => {
    if (snapshot.ended === undefined) return;
    savedJoin.clear();
    clearPanelStorage();
  }, [snapshot.ended]);

  if (snapshot.ended !== undefined) return <EndedScreen closed={snapshot.ended} />;
  return (
    <div class="session-screen">
      <header class="topbar session-bar">
        <img class="brand-mark" src="/assets/tether.svg" alt="" width={24} height={24} />
        <span class="brand">Support session</span>
        <span class="session-status" role="status">
          {statusText(snapshot)}
        </span>
        <span class="spacer" />
        <button type="button" class="end-button" onClick={() => session.end()}>
          End session
        </button>
      </header>
      <main class="session-main">
        <aside class="session-side card stack">
          <TechnicianCard snapshot={snapshot} />
          {catalog && (
            <GrantList
              grants={snapshot.grants}
              catalog={catalog}
              onRevoke={(permission) => void session.revoke(permission)}
            />
          )}
        </aside>
        <div class="session-panels card">
          {catalog ? (
            <PanelArea session={session} catalog={catalog} onMounted={() => session.start()} />
          ) : (
            <p class="muted">Loading…</p>
          )}
        </div>
      </main>
      {snapshot.asking && catalog && (
        <ConsentDialog
          ask={snapshot.asking}
          catalog={catalog}
          onAnswer={(yes) => session.answer(yes)}
          onEnd={() => session.end()}
        />
      )}
    </div>
  );
}

function statusText(snapshot: JoinSnapshot): string {
  if (snapshot.connection === 'connecting') return 'Connecting securely…';
  if (snapshot.connection === 'reconnecting') return 'Connection lost; reconnecting…';
  const [first] = snapshot.technicians;
  if (first === undefined) return 'Waiting for your technician';
  if (snapshot.state === 'on-hold') return 'On hold';
  return `Connected with ${technicianName(first)}`;
}
