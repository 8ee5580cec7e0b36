import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../shared/api-client.js';
import type { CreatedSession, Member, PanelEntry, SessionItem } from './console-types.js';
import { HomeView } from './home-view.js';
import { LiveSession } from './live-session.js';
import { loadPanels } from './panel-area.js';
import { QueueWatch, type QueueChange } from './queue-watch.js';
import { stateLabel, type SessionEntry } from './session-entry.js';
import { SessionView } from './session-view.js';
import { describeError } from './use-action.js';
import { useSnapshot } from './use-snapshot.js';

const HOME = '';
const OPEN_STATES = new Set(['waiting', 'active', 'on-hold', 'transferred']);

/** The live queue: loaded, then kept current by the gateway's watch. */
function useQueue(): { queue: SessionItem[]; live: boolean } {
  const [queue, setQueue] = useState<SessionItem[]>([]);
  const [live, setLive] = useState(false);
  useEffect(() => {
    // A failed reload leaves the list as it was; the next `watching` reloads again.
    const reload = () =>
      api<{ items: SessionItem[] }>('/api/v1/queue').then(
        ({ items }) => setQueue(items),
        () => setLive(false),
      );
    const apply = ({ change, session, groupId }: QueueChange) =>
      setQueue((items) => {
        const others = items.filter((item) => item.id !== session.ref);
        if (change !== 'arrived') return others;
        const { ref, endUserName, state, createdAt } = session;
        return [...others, { id: ref, endUserName, state, createdAt, groupId }];
      });
    const watch = new QueueWatch({
      watching: () => {
        setLive(true);
        void reload();
      },
      change: apply,
      stopped: () => setLive(false),
    });
    void reload();
    watch.start();
    return () => watch.stop();
  }, []);
  return { queue, live };
}

/** A session's tab in the side list, with its state. */
function SessionTab(props: { entry: SessionEntry; selected: boolean; onSelect: () => void }) {
  const snapshot = useSnapshot(props.entry.live);
  const state = snapshot?.phase === 'ended' ? 'closed' : snapshot?.state;
  return (
    <li>
      <button
        type="button"
        class={props.selected ? 'tab selected' : 'tab'}
        aria-current={props.selected ? 'page' : undefined}
        onClick={props.onSelect}
      >
        <span class="tab-name">{props.entry.endUserName ?? props.entry.ref}</span>
        <span class={`state state-${state ?? 'connecting'}`}>{stateLabel(state)}</span>
      </button>
    </li>
  );
}

/** The signed-in console: queue and new sessions on the start page, one tab per session. */
export function Workspace({ member, onSignOut }: { member: Member; onSignOut: () => void }) {
  const { queue, live } = useQueue();
  const [entries, setEntries] = useState<SessionEntry[]>([]);
  const [selected, setSelected] = useState(HOME);
  const [panels, setPanels] = useState<readonly PanelEntry[]>([]);
  const [mine, setMine] = useState<SessionItem[]>([]);
  const entriesRef = useRef(entries);
  entriesRef.current = entries;

  useEffect(() => {
    void loadPanels().then(setPanels, () => setPanels([]));
    void api<{ items: SessionItem[] }>('/api/v1/sessions?limit=100').then(
      ({ items }) =>
        setMine(items.filter((s) => s.ownerMemberId === member.id && OPEN_STATES.has(s.state))),
      () => setMine([]),
    );
    return () => entriesRef.current.forEach((entry) => entry.live?.leave());
  }, []);

  const put = (entry: SessionEntry) =>
    setEntries((all) => [...all.filter((e) => e.ref !== entry.ref), entry]);

  async function connect(entry: SessionEntry, sessionId: string): Promise<void> {
    put(entry);
    setSelected(entry.ref);
    setMine((all) => all.filter((s) => s.id !== entry.ref));
    try {
      put({ ...entry, live: await LiveSession.open(entry.ref, sessionId) });
    } catch (error) {
      put({ ...entry, error: `Could not connect: ${describeError(error)}` });
    }
  }

  const create = async (endUserName: string | undefined) => {
    const made = await api<CreatedSession>('/api/v1/sessions', {
      method: 'POST',
      body: endUserName === undefined ? {} : { endUserName },
    });
    await connect({ ref: made.id, endUserName, created: made }, made.sessionId);
  };
  const pickUp = async (item: SessionItem) => {
    const taken = await api<{ sessionId: string }>(
      `/api/v1/sessions/${encodeURIComponent(item.id)}/pick-up`,
      { method: 'POST' },
    );
    await connect({ ref: item.id, endUserName: item.endUserName }, taken.sessionId);
  };
  const reopen = async (item: SessionItem) => {
    const existing = entries.find((e) => e.ref === item.id);
    if (existing) return setSelected(existing.ref);
    const detail = await api<{ sessionId?: string }>(
      `/api/v1/sessions/${encodeURIComponent(item.id)}`,
    );
    if (!detail.sessionId) throw new Error('You are no longer in this session.');
    await connect({ ref: item.id, endUserName: item.endUserName }, detail.sessionId);
  };
  const closeTab = (ref: string) => {
    entries.find((e) => e.ref === ref)?.live?.leave();
    setEntries((all) => all.filter((e) => e.ref !== ref));
    setSelected(HOME);
  };

  return (
    <div class="workspace">
      <header class="topbar">
        <span class="brand">Tether console</span>
        <span class="spacer" />
        <span>{member.displayName}</span>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <div class="layout">
        <nav class="sidebar" aria-label="Sessions">
          <ul>
            <li>
              <button
                type="button"
                class={selected === HOME ? 'tab selected' : 'tab'}
                aria-current={selected === HOME ? 'page' : undefined}
                onClick={() => setSelected(HOME)}
              >
                <span class="tab-name">Queue and new session</span>
                <span class="badge">{queue.length}</span>
              </button>
            </li>
            {entries.map((entry) => (
              <SessionTab
                key={entry.ref}
                entry={entry}
                selected={selected === entry.ref}
                onSelect={() => setSelected(entry.ref)}
              />
            ))}
          </ul>
        </nav>
        <main class="main">
          <HomeView
            hidden={selected !== HOME}
            queue={queue}
            live={live}
            mine={mine}
            onCreate={create}
            onPickUp={pickUp}
            onOpen={reopen}
          />
          {entries.map((entry) => (
            <SessionView
              key={entry.ref}
              entry={entry}
              panels={panels}
              hidden={selected !== entry.ref}
              onClose={closeTab}
              onName={(ref, endUserName) =>
                setEntries((all) => all.map((e) => (e.ref === ref ? { ...e, endUserName } : e)))
              }
            />
          ))}
        </main>
      </div>
    </div>
  );
}
