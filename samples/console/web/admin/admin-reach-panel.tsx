import { useState } from 'preact/hooks';
import { api } from '../shared/api-client.js';
import type { Member } from './directory.js';
import type { Directory } from './directory-context.js';
import { ErrorNote } from './error-note.js';
import { useLoad } from './use-load.js';

/** The administrators and the groups each manages (with everything below them). */
export function AdminReachPanel(props: { readonly directory: Directory }) {
  const { directory } = props;
  const admins = directory.members.filter((m) => m.role === 'administrator');
  const reaches = useLoad(async () => {
    const entries = await Promise.all(
      admins.map(async (admin) => {
        const answer = await api<{ groupIds: string[] }>(`/api/v1/members/${admin.id}/reach`);
        return [admin.id, answer.groupIds] as const;
      }),
    );
    return new Map(entries);
  }, [admins.map((a) => a.id).join()]);
  const [editing, setEditing] = useState<string>();
  return (
    <div class="card">
      <h2>Administrators' reach</h2>
      <p class="muted">
        An administrator manages the technicians of the groups given here and of every group below
        them.
      </p>
      <ErrorNote error={reaches.error} />
      {admins.length === 0 ? (
        <p class="muted">No administrators besides the master roles.</p>
      ) : null}
      <ul class="reach-list">
        {admins.map((admin) => (
          <li key={admin.id}>
            <span class="name">{admin.displayName}</span>{' '}
            <span class="muted">
              {(reaches.data?.get(admin.id) ?? [])
                .map((id) => directory.groupName(id))
                .join(', ') || 'no groups'}
            </span>{' '}
            <button
              type="button"
              onClick={() => setEditing(editing === admin.id ? undefined : admin.id)}
            >
              Change reach
            </button>
            {editing === admin.id ? (
              <ReachForm
                admin={admin}
                directory={directory}
                current={reaches.data?.get(admin.id) ?? []}
                onDone={async () => {
                  setEditing(undefined);
                  await reaches.reload();
                }}
              />
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

function ReachForm(props: {
  readonly admin: Member;
  readonly directory: Directory;
  readonly current: readonly string[];
  readonly onDone: () => Promise<void>;
}) {
  const [error, setError] = useState<unknown>();
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setError(undefined);
    try {
      await api(`/api/v1/members/${props.admin.id}/reach`, {
        method: 'PUT',
        body: { groupIds: form.getAll('groupId').map(String) },
      });
      await props.onDone();
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <form class="reach-form" onSubmit={submit} aria-label={`Reach of ${props.admin.displayName}`}>
      <fieldset>
        <legend>Groups {props.admin.displayName} manages</legend>
        {props.directory.placed.map((g) => (
          <label key={g.id} class={`inline depth-${Math.min(g.depth, 8)}`}>
            <input
              type="checkbox"
              name="groupId"
              value={g.id}
              defaultChecked={props.current.includes(g.id)}
            />{' '}
            {g.name}
          </label>
        ))}
      </fieldset>
      <ErrorNote error={error} />
      <button class="primary" type="submit">
        Save reach
      </button>
    </form>
  );
}
