import { useState } from 'preact/hooks';
import { stateLabel } from './session-entry.js';
import type { SessionItem } from './console-types.js';
import { useAction } from './use-action.js';

/** How long ago `iso` was, short. */
function waited(iso: string, now: number): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(iso)) / 60_000));
  return minutes < 1
    ? 'just now'
    : minutes < 60
      ? `${minutes} min`
      : `${Math.floor(minutes / 60)} h`;
}

/** A new session for a customer who is on the phone: their name is optional. */
function NewSession({ onCreate }: { onCreate: (name: string | undefined) => Promise<void> }) {
  const [name, setName] = useState('');
  const { busy, error, run } = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      await onCreate(name.trim() === '' ? undefined : name.trim());
      setName('');
    });
  };
  return (
    <form class="card stack" onSubmit={submit} aria-labelledby="new-title">
      <h2 id="new-title">Start a session</h2>
      <div>
        <label for="end-user-name">Customer's name (optional)</label>
        <input
          id="end-user-name"
          value={name}
          maxLength={200}
          onInput={(e) => setName(e.currentTarget.value)}
        />
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button class="primary" type="submit" disabled={busy}>
        Create session
      </button>
    </form>
  );
}

interface ListProps {
  readonly items: readonly SessionItem[];
  readonly caption: string;
  readonly action: string;
  readonly empty: string;
  readonly describe: (state: string) => string;
  readonly onAct: (item: SessionItem) => Promise<void>;
}

/** A table of sessions with one action each (pick up, open). */
function SessionTable({ items, caption, action, empty, describe, onAct }: ListProps) {
  const { busy, error, run } = useAction();
  const now = Date.now();
  return (
    <div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {items.length === 0 ? (
        <p class="muted">{empty}</p>
      ) : (
        <table>
          <caption class="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Customer</th>
              <th scope="col">State</th>
              <th scope="col">Waiting</th>
              <th scope="col">
                <span class="visually-hidden">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id} data-session={item.id}>
                <td>{item.endUserName ?? <span class="muted">No name given</span>}</td>
                <td>{describe(item.state)}</td>
                <td>{waited(item.createdAt, now)}</td>
                <td class="actions">
                  <button type="button" disabled={busy} onClick={() => void run(() => onAct(item))}>
                    {action}
                    <span class="visually-hidden"> {item.endUserName ?? item.id}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

interface HomeProps {
  readonly queue: readonly SessionItem[];
  readonly live: boolean;
  readonly mine: readonly SessionItem[];
  readonly hidden: boolean;
  readonly onCreate: (name: string | undefined) => Promise<void>;
  readonly onPickUp: (item: SessionItem) => Promise<void>;
  readonly onOpen: (item: SessionItem) => Promise<void>;
}

/** The start page: make a session, the live queue, and my open sessions not in a tab. */
export function HomeView(props: HomeProps) {
  return (
    <div class="home" hidden={props.hidden}>
      <NewSession onCreate={props.onCreate} />
      <section class="card stack" aria-labelledby="queue-title">
        <h2 id="queue-title" class="row">
          Waiting in your queue <span class="badge">{props.queue.length}</span>
          <span class={props.live ? 'presence on' : 'presence off'}>
            {props.live ? 'live' : 'reconnecting…'}
          </span>
        </h2>
        <SessionTable
          items={props.queue}
          caption="Waiting in your queue"
          action="Pick up"
          empty="Nobody is waiting."
          describe={(state) => (state === 'transferred' ? 'Handed to this queue' : 'Waiting')}
          onAct={props.onPickUp}
        />
      </section>
      {props.mine.length > 0 && (
        <section class="card stack" aria-labelledby="mine-title">
          <h2 id="mine-title">Your open sessions</h2>
          <SessionTable
            items={props.mine}
            caption="Your open sessions"
            action="Open"
            empty=""
            describe={stateLabel}
            onAct={props.onOpen}
          />
        </section>
      )}
    </div>
  );
}
