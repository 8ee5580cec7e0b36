import { useState } from 'preact/hooks';
import { api } from '../shared/api-client.js';
import { ChoiceSelect } from './choice-select.js';
import type { Directory } from './directory-context.js';
import { ErrorNote } from './error-note.js';
import { isoOf, localInputValue, queryOf, shownTime } from './period.js';
import { SessionTranscript } from './session-transcript.js';
import { TextOf, type ChatMessage } from './chat-message.js';
import { useLoad } from './use-load.js';

const BASE = '/api/v1/plugins/chat';
const PAGE = 200;
const WEEK_MS = 7 * 86_400_000;

/** Chat transcripts by group, technician, session and period; one session's whole chat; CSV. */
export function TranscriptsView(props: { readonly directory: Directory }) {
  const { directory } = props;
  const [filters, setFilters] = useState(() => ({
    group: '',
    technician: '',
    session: '',
    from: localInputValue(new Date(Date.now() - WEEK_MS)),
    to: '',
  }));
  const [pages, setPages] = useState<string[]>(['']);
  const [open, setOpen] = useState<string>();
  const after = pages[pages.length - 1] ?? '';
  const query = {
    group: filters.group,
    technician: filters.technician,
    session: filters.session.trim(),
    from: isoOf(filters.from),
    to: isoOf(filters.to),
  };
  const loaded = useLoad(
    () =>
      api<{ items: ChatMessage[]; next?: string }>(
        `${BASE}/transcripts?${queryOf({ ...query, after, limit: String(PAGE) })}`,
      ),
    [JSON.stringify(query), after],
  );
  const search = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const value = (name: string) => String(form.get(name) ?? '');
    setFilters({
      group: value('group'),
      technician: value('technician'),
      session: value('session'),
      from: value('from'),
      to: value('to'),
    });
    setPages(['']);
  };
  const items = loaded.data?.items ?? [];
  const next = loaded.data?.next;
  return (
    <section aria-labelledby="transcripts-title" class="stack">
      <h1 id="transcripts-title">Chat transcripts</h1>
      <form class="card row filters" onSubmit={search} aria-label="Transcript filters">
        <div class="field">
          <label for="chat-group">Group</label>
          <ChoiceSelect
            id="chat-group"
            name="group"
            initial={filters.group}
            choices={[
              ['', 'Whole organisation'],
              ...directory.placed.map((g) => [g.id, g.path] as const),
            ]}
          />
        </div>
        <div class="field">
          <label for="chat-technician">Technician</label>
          <ChoiceSelect
            id="chat-technician"
            name="technician"
            initial={filters.technician}
            choices={[
              ['', 'Anyone'],
              ...directory.members.map((m) => [m.id, m.displayName] as const),
            ]}
          />
        </div>
        <div class="field">
          <label for="chat-session">Session</label>
          <input
            id="chat-session"
            name="session"
            defaultValue={filters.session}
            placeholder="Session id"
          />
        </div>
        <div class="field">
          <label for="chat-from">From</label>
          <input id="chat-from" name="from" type="datetime-local" defaultValue={filters.from} />
        </div>
        <div class="field">
          <label for="chat-to">Until</label>
          <input id="chat-to" name="to" type="datetime-local" defaultValue={filters.to} />
        </div>
        <div class="field actions">
          <button class="primary" type="submit">
            Show
          </button>
          <a
            class="button"
            download="chat-transcripts.csv"
            href={`${BASE}/transcripts.csv?${queryOf(query)}`}
          >
            Export CSV
          </a>
        </div>
      </form>
      <ErrorNote error={loaded.error} />
      {open ? (
        <SessionTranscript
          sessionRef={open}
          directory={directory}
          onClose={() => setOpen(undefined)}
        />
      ) : null}
      <div class="card table-scroll">
        <table class="transcripts">
          <caption class="visually-hidden">Chat messages, by time sent</caption>
          <thead>
            <tr>
              <th scope="col">Sent</th>
              <th scope="col">Session</th>
              <th scope="col">Group</th>
              <th scope="col">From</th>
              <th scope="col">Message</th>
            </tr>
          </thead>
          <tbody>
            {items.map((m) => (
              <tr key={`${m.session}/${m.id}`}>
                <td class="nowrap">{shownTime(m.sentAt)}</td>
                <td>
                  <button type="button" class="link" onClick={() => setOpen(m.session)}>
                    {m.session}
                  </button>
                </td>
                <td>{m.group ? (directory.groupName(m.group) ?? '') : ''}</td>
                <td class="nowrap">
                  {m.from === 'technician'
                    ? (directory.memberName(m.storedBy) ?? 'Technician')
                    : 'End user'}
                </td>
                <td>
                  <TextOf message={m} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {items.length === 0 && !loaded.loading ? (
          <p class="muted">No chat messages match.</p>
        ) : null}
      </div>
      <div class="row">
        <button
          type="button"
          disabled={pages.length < 2}
          onClick={() => setPages(pages.slice(0, -1))}
        >
          Earlier messages
        </button>
        <button type="button" disabled={!next} onClick={() => next && setPages([...pages, next])}>
          Later messages
        </button>
      </div>
    </section>
  );
}
