import { useState } from 'preact/hooks';
import { api } from '../shared/api-client.js';
import type { Directory } from './directory-context.js';
import { ErrorNote } from './error-note.js';
import { describeCell, type CatalogueEntry, type Effective } from './permission-cell.js';

const CHOICES = [
  ['inherit', 'Inherit from above'],
  ['allow', 'Allow'],
  ['deny', 'Deny'],
] as const;

/** The cell being edited: a group and a permission. */
export interface Cell {
  readonly groupId: string;
  readonly permission: CatalogueEntry;
}

/** Sets one permission of one group: inherit, allow or deny, and (master roles) the lock. */
export function PermissionEditor(props: {
  readonly cell: Cell;
  readonly effective?: Effective;
  readonly directory: Directory;
  readonly onSaved: () => Promise<void>;
  readonly onClose: () => void;
}) {
  const { cell, effective, directory } = props;
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const groupName = directory.groupName(cell.groupId) ?? '';
  const own = effective?.own ?? null;
  const lockedHere = effective?.lockedBy === cell.groupId;
  const lockedAbove = !!effective?.lockedBy && !lockedHere;
  const readOnly = !directory.master && !!effective?.lockedBy;

  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const choice = String(form.get('value'));
    const allowed = choice === 'inherit' ? null : choice === 'allow';
    setError(undefined);
    setSaved(false);
    try {
      await api(
        `/api/v1/groups/${cell.groupId}/permissions/${encodeURIComponent(cell.permission.id)}`,
        {
          method: 'PUT',
          body: { allowed, locked: directory.master && form.get('locked') === 'on' },
        },
      );
      setSaved(true);
      await props.onSaved();
    } catch (failure) {
      setError(failure);
    }
  };
  const initial = own === null ? 'inherit' : own ? 'allow' : 'deny';
  return (
    <form class="card permission-editor" onSubmit={submit} aria-label="Change a permission">
      <h2>
        <span class="name">{cell.permission.title}</span> in <span class="name">{groupName}</span>
      </h2>
      {effective ? <p class="muted">Now: {describeCell(effective, directory)}.</p> : null}
      {readOnly ? (
        <p class="notice warn">
          A master administrator locked this permission; you cannot change it.
        </p>
      ) : null}
      <fieldset disabled={readOnly}>
        <legend>In this group</legend>
        {CHOICES.map(([value, words]) => (
          <label class="inline" key={value}>
            <input type="radio" name="value" value={value} defaultChecked={initial === value} />
            {words}
          </label>
        ))}
        {directory.master ? (
          <label class="inline lock-choice">
            <input type="checkbox" name="locked" defaultChecked={lockedHere} /> Lock it here, so
            administrators cannot change it in this group or below
          </label>
        ) : null}
        {lockedAbove && directory.master ? (
          <p class="muted">
            Locked above, in {directory.groupName(effective?.lockedBy ?? '') ?? 'a group above'}.
          </p>
        ) : null}
      </fieldset>
      <ErrorNote error={error} />
      {saved ? (
        <p class="ok" role="status">
          Saved.
        </p>
      ) : null}
      <div class="row form-actions">
        <button class="primary" type="submit" disabled={readOnly}>
          Save permission
        </button>
        <button type="button" onClick={props.onClose}>
          Close
        </button>
      </div>
    </form>
  );
}
