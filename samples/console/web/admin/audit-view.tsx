import { useState } from 'preact/hooks';
import { api } from '../shared/api-client.js';
import { ChoiceSelect } from './choice-select.js';
import type { Directory } from './directory-context.js';
import { ErrorNote } from './error-note.js';
import { isoOf, localInputValue, queryOf, shownTime } from './period.js';
import { useLoad } from './use-load.js';

/** An audit record as `GET /api/v1/audit` gives it. */
interface AuditRecord {
  readonly seq: number;
  readonly at: string;
  readonly action: string;
  readonly actor: { readonly kind: string; readonly id?: string; readonly label?: string };
  readonly target?: { readonly kind: string; readonly id?: string };
  readonly nodeId?: string;
  readonly ip?: string;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly details?: unknown;
}

interface Filters {
  readonly nodeId: string;
  readonly action: string;
  readonly from: string;
  readonly to: string;
}

const PAGE = 100;
const WEEK_MS = 7 * 86_400_000;

function who(record: AuditRecord, directory: Directory): string {
  const { actor } = record;
  if (actor.kind === 'member' && actor.id) return directory.memberName(actor.id) ?? actor.id;
  return actor.label ? `${actor.kind}: ${actor.label}` : actor.kind;
}

/** The name a record's change carries, for what no longer exists (a deleted group). */
function recordedName(record: AuditRecord): string | undefined {
  for (const side of [record.after, record.before]) {
    const named = side as { name?: unknown; displayName?: unknown } | undefined;
    const name = named?.displayName ?? named?.name;
    if (typeof name === 'string') return name;
  }
  return undefined;
}

function what(record: AuditRecord, directory: Directory): string {
  const target = record.target;
  if (!target) return '';
  const name =
    target.kind === 'member' && target.id
      ? directory.memberName(target.id)
      : target.kind === 'group' && target.id
        ? directory.groupName(target.id)
        : undefined;
  return [target.kind, name ?? recordedName(record) ?? target.id].filter(Boolean).join(' ');
}

/** The audit report: records by group, action and period, a page at a time; CSV export. */
export function AuditView(props: { readonly directory: Directory }) {
  const { directory } = props;
  const [filters, setFilters] = useState<Filters>(() => ({
    nodeId: '',
    action: '',
    from: localInputValue(new Date(Date.now() - WEEK_MS)),
    to: '',
  }));
  /** The `afterSeq` of each page shown so far; the last one is the page on screen. */
  const [pages, setPages] = useState<number[]>([0]);
  const afterSeq = pages[pages.length - 1] ?? 0;
  const query = {
    nodeId: filters.nodeId,
    action: filters.action.trim(),
    from: isoOf(filters.from),
    to: isoOf(filters.to),
  };
  const loaded = useLoad(
    () =>
      api<{ items: AuditRecord[] }>(
        `/api/v1/audit?${queryOf({ ...query, afterSeq: String(afterSeq), limit: String(PAGE) })}`,
      ),
    [JSON.stringify(query), afterSeq],
  );
  const search = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setFilters({
      nodeId: String(form.get('nodeId') ?? ''),
      action: String(form.get('action') ?? ''),
      from: String(form.get('from') ?? ''),
      to: String(form.get('to') ?? ''),
    });
    setPages([0]);
  };
  const items = loaded.data?.items ?? [];
  const last = items[items.length - 1];
  return (
    <section aria-labelledby="audit-title" class="stack">
      <h1 id="audit-title">Audit report</h1>
      <form class="card row filters" onSubmit={search} aria-label="Audit filters">
        <div class="field">
          <label for="audit-group">Group</label>
          <ChoiceSelect
            id="audit-group"
            name="nodeId"
            initial={filters.nodeId}
            choices={[
              ['', directory.master ? 'Whole organisation' : 'All my groups'],
              ...directory.placed.map((g) => [g.id, g.path] as const),
            ]}
          />
        </div>
        <div class="field">
          <label for="audit-action">Action</label>
          <input
            id="audit-action"
            name="action"
            placeholder="such as member.created"
            defaultValue={filters.action}
          />
        </div>
        <div class="field">
          <label for="audit-from">From</label>
          <input id="audit-from" name="from" type="datetime-local" defaultValue={filters.from} />
        </div>
        <div class="field">
          <label for="audit-to">Until</label>
          <input id="audit-to" name="to" type="datetime-local" defaultValue={filters.to} />
        </div>
        <div class="field actions">
          <button class="primary" type="submit">
            Show
          </button>
          {directory.master ? (
            <a
              class="button"
              download="audit.csv"
              href={`/api/v1/plugins/audit-export/audit.csv?${queryOf(query)}`}
            >
              Export CSV
            </a>
          ) : null}
        </div>
      </form>
      <ErrorNote error={loaded.error} />
      <div class="card table-scroll">
        <table class="audit">
          <caption class="visually-hidden">Audit records, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">When</th>
              <th scope="col">Action</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Group</th>
              <th scope="col">Address</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {items.map((record) => (
              <tr key={record.seq} data-action={record.action}>
                <td>{record.seq}</td>
                <td class="nowrap">{shownTime(record.at)}</td>
                <td>
                  <code>{record.action}</code>
                </td>
                <td>{who(record, directory)}</td>
                <td>{what(record, directory)}</td>
                <td>
                  {record.nodeId ? (directory.groupName(record.nodeId) ?? record.nodeId) : ''}
                </td>
                <td>{record.ip ?? ''}</td>
                <td>
                  <ChangeDetails record={record} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {items.length === 0 && !loaded.loading ? (
          <p class="muted">No records in this period.</p>
        ) : null}
      </div>
      <div class="row">
        <button
          type="button"
          disabled={pages.length < 2}
          onClick={() => setPages(pages.slice(0, -1))}
        >
          Earlier records
        </button>
        <button
          type="button"
          disabled={items.length < PAGE || !last}
          onClick={() => last && setPages([...pages, last.seq])}
        >
          Later records
        </button>
        <span class="muted">
          Page {pages.length}, oldest first, {PAGE} a page
        </span>
      </div>
    </section>
  );
}

/** Before, after and details of a record, as JSON text behind a disclosure. */
function ChangeDetails(props: { readonly record: AuditRecord }) {
  const { before, after, details } = props.record;
  if (before === undefined && after === undefined && details === undefined) return null;
  const parts = { before, after, details };
  const text = JSON.stringify(
    Object.fromEntries(Object.entries(parts).filter(([, v]) => v !== undefined)),
    null,
    2,
  );
  return (
    <details>
      <summary>Show</summary>
      <pre class="json">{text}</pre>
    </details>
  );
}
