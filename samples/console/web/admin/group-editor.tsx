import { useState } from 'preact/hooks';
import { api } from '../shared/api-client.js';
import { ChoiceSelect } from './choice-select.js';
import { ConfirmButton } from './confirm-button.js';
import { subtreeOf, type Group } from './directory.js';
import type { Directory } from './directory-context.js';
import { ErrorNote } from './error-note.js';

const FIELDS = ['body.name', 'body.parentId', 'body.ipAllowList'];

/** One group: rename, move, its own address list, delete (asked first). */
export function GroupEditor(props: {
  readonly group: Group;
  readonly directory: Directory;
  readonly onDeleted: () => void;
}) {
  const { group, directory } = props;
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const below = subtreeOf(directory.groups, group.id);
  const parents = directory.placed.filter((g) => !below.has(g.id));
  const parentOutOfReach =
    !!group.parentId && !directory.groups.some((g) => g.id === group.parentId);
  const technicians = directory.members.filter((m) => m.groupId === group.id);

  const save = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const parentId = String(form.get('parentId') ?? '');
    const addresses = String(form.get('ipAllowList') ?? '')
      .split(/[\s,]+/)
      .filter(Boolean);
    setError(undefined);
    setSaved(false);
    try {
      await api(`/api/v1/groups/${group.id}`, {
        method: 'PATCH',
        body: {
          name: String(form.get('name')),
          ...(parentId !== (group.parentId ?? '') ? { parentId: parentId || null } : {}),
          ipAllowList: addresses.length > 0 ? addresses : null,
        },
      });
      setSaved(true);
      await directory.reload();
    } catch (failure) {
      setError(failure);
    }
  };
  const remove = async () => {
    setError(undefined);
    try {
      await api(`/api/v1/groups/${group.id}`, { method: 'DELETE' });
      props.onDeleted();
      await directory.reload();
    } catch (failure) {
      setError(failure);
    }
  };

  return (
    <form class="card" onSubmit={save} aria-label={`Group ${group.name}`}>
      <h2>
        Group <span class="name">{group.name}</span>
      </h2>
      <label for="group-name">Name</label>
      <input id="group-name" name="name" defaultValue={group.name} required maxLength={200} />
      <ErrorNote error={error} field="body.name" />
      <label for="group-parent">Inside</label>
      <ChoiceSelect
        id="group-parent"
        name="parentId"
        initial={group.parentId ?? ''}
        choices={[
          ['', 'Top of the tree', !directory.master],
          ...(parentOutOfReach
            ? [[group.parentId ?? '', 'A group outside your reach'] as const]
            : []),
          ...parents.map((g) => [g.id, g.path] as const),
        ]}
      />
      <ErrorNote error={error} field="body.parentId" />
      <label for="group-addresses">Addresses its technicians may work from</label>
      <textarea
        id="group-addresses"
        name="ipAllowList"
        rows={2}
        placeholder="Anywhere the organisation allows (for example 203.0.113.0/24)"
        defaultValue={(group.ipAllowList ?? []).join('\n')}
      />
      <ErrorNote error={error} field="body.ipAllowList" />
      <p class="muted">
        {technicians.length === 0
          ? 'No technicians in this group.'
          : `Technicians: ${technicians.map((m) => m.displayName).join(', ')}`}
      </p>
      <ErrorNote error={error} fieldsShownElsewhere={FIELDS} />
      {saved ? (
        <p class="ok" role="status">
          Saved.
        </p>
      ) : null}
      <div class="row form-actions">
        <button class="primary" type="submit">
          Save group
        </button>
        <ConfirmButton
          question={`Delete the group ${group.name}?`}
          detail="A group can be deleted once it has no subgroups and no technicians."
          confirm="Delete group"
          onConfirm={remove}
        >
          Delete group
        </ConfirmButton>
      </div>
    </form>
  );
}
