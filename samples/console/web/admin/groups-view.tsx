import { useState } from 'preact/hooks';
import { api } from '../shared/api-client.js';
import { AdminReachPanel } from './admin-reach-panel.js';
import type { Directory } from './directory-context.js';
import { GroupEditor } from './group-editor.js';
import { ErrorNote } from './error-note.js';

/** Depth classes the stylesheet indents by; deeper groups share the last one. */
const depthClass = (depth: number) => `depth-${Math.min(depth, 8)}`;

/** The organisation tree: groups with their technicians, a new group, and one group's editor. */
export function GroupsView(props: { readonly directory: Directory }) {
  const { directory } = props;
  const [selected, setSelected] = useState<string | undefined>(directory.placed[0]?.id);
  const group = directory.groups.find((g) => g.id === selected);
  const countOf = (id: string) => directory.members.filter((m) => m.groupId === id).length;
  return (
    <section aria-labelledby="groups-title" class="stack">
      <h1 id="groups-title">Organisation</h1>
      <div class="split">
        <div class="card">
          <h2>Groups</h2>
          {directory.placed.length === 0 ? (
            <p class="muted">No groups yet. Make the first one below.</p>
          ) : (
            <ul class="tree" aria-label="Organisation tree">
              {directory.placed.map((g) => (
                <li key={g.id} class={depthClass(g.depth)}>
                  <button
                    type="button"
                    class="tree-node"
                    aria-current={g.id === selected ? 'true' : undefined}
                    onClick={() => setSelected(g.id)}
                  >
                    <span class="tree-name">{g.name}</span>
                    <span class="muted tree-count">{countOf(g.id)}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          <NewGroupForm directory={directory} onMade={setSelected} />
        </div>
        <div class="stack">
          {group ? (
            <GroupEditor
              key={group.id}
              group={group}
              directory={directory}
              onDeleted={() => setSelected(undefined)}
            />
          ) : (
            <p class="card muted">Choose a group to rename, move or delete it.</p>
          )}
          {directory.master ? <AdminReachPanel directory={directory} /> : null}
        </div>
      </div>
    </section>
  );
}

function NewGroupForm(props: {
  readonly directory: Directory;
  readonly onMade: (id: string) => void;
}) {
  const { directory } = props;
  const [error, setError] = useState<unknown>();
  const submit = async (event: Event) => {
    event.preventDefault();
    const formElement = event.currentTarget as HTMLFormElement;
    const form = new FormData(formElement);
    const parentId = String(form.get('parentId') ?? '');
    setError(undefined);
    try {
      const made = await api<{ id: string }>('/api/v1/groups', {
        method: 'POST',
        body: { name: String(form.get('name')), ...(parentId ? { parentId } : {}) },
      });
      formElement.reset();
      await directory.reload();
      props.onMade(made.id);
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <form class="new-group" onSubmit={submit} aria-label="New group">
      <h3>New group</h3>
      <label for="new-group-name">Name</label>
      <input id="new-group-name" name="name" required maxLength={200} />
      <ErrorNote error={error} field="body.name" />
      <label for="new-group-parent">Inside</label>
      <select id="new-group-parent" name="parentId">
        {directory.master ? <option value="">Top of the tree</option> : null}
        {directory.placed.map((g) => (
          <option key={g.id} value={g.id}>
            {g.path}
          </option>
        ))}
      </select>
      <ErrorNote error={error} fieldsShownElsewhere={['body.name']} />
      <div class="row form-actions">
        <button class="primary" type="submit">
          Create group
        </button>
      </div>
    </form>
  );
}
