import { useState } from 'preact/hooks';
import { api } from '../shared/api-client.js';
import { OneTimeSecret } from './one-time-secret.js';
import { isMaster, ROLE_TITLES, type Member } from './directory.js';
import type { Directory } from './directory-context.js';
import { ErrorNote } from './error-note.js';

const FIELDS = ['body.email', 'body.displayName', 'body.role', 'body.groupId'];

/** The roles the signed-in member may give: never above their own. */
export function grantableRoles(directory: Directory): string[] {
  if (!directory.master) return ['technician'];
  const roles = ['technician', 'administrator'];
  return isMaster(directory.me.role) ? [...roles, 'master-administrator'] : roles;
}

/** Makes a technician (or, for master roles, an administrator); shows the one-time secret once. */
export function NewMemberForm(props: {
  readonly directory: Directory;
  readonly onMade: (id: string) => void;
}) {
  const { directory } = props;
  const [error, setError] = useState<unknown>();
  const [made, setMade] = useState<{ member: Member; oneTimeSecret: string }>();
  const submit = async (event: Event) => {
    event.preventDefault();
    const formElement = event.currentTarget as HTMLFormElement;
    const form = new FormData(formElement);
    const groupId = String(form.get('groupId') ?? '');
    setError(undefined);
    try {
      const answer = await api<{ member: Member; oneTimeSecret: string }>('/api/v1/members', {
        method: 'POST',
        body: {
          email: String(form.get('email')),
          displayName: String(form.get('displayName')),
          role: String(form.get('role')),
          ...(groupId ? { groupId } : {}),
        },
      });
      formElement.reset();
      setMade(answer);
      await directory.reload();
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <form class="card" onSubmit={submit} aria-label="New technician">
      <h2>New technician</h2>
      {made ? <OneTimeSecret member={made.member} secret={made.oneTimeSecret} /> : null}
      <label for="member-email">E-mail</label>
      <input id="member-email" name="email" type="email" required maxLength={320} />
      <ErrorNote error={error} field="body.email" />
      <label for="member-name">Display name</label>
      <input id="member-name" name="displayName" required maxLength={200} />
      <ErrorNote error={error} field="body.displayName" />
      <label for="member-role">Role</label>
      <select id="member-role" name="role">
        {grantableRoles(directory).map((role) => (
          <option key={role} value={role}>
            {ROLE_TITLES[role]}
          </option>
        ))}
      </select>
      <ErrorNote error={error} field="body.role" />
      <label for="member-group">Group</label>
      <select id="member-group" name="groupId">
        {directory.master ? <option value="">No group</option> : null}
        {directory.placed.map((g) => (
          <option key={g.id} value={g.id}>
            {g.path}
          </option>
        ))}
      </select>
      <ErrorNote error={error} field="body.groupId" />
      <ErrorNote error={error} fieldsShownElsewhere={FIELDS} />
      <div class="row form-actions">
        <button class="primary" type="submit">
          Create technician
        </button>
      </div>
    </form>
  );
}
