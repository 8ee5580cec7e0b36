import { useState } from 'preact/hooks';
import { api } from '../shared/api-client.js';
import { ChoiceSelect } from './choice-select.js';
import { ConfirmButton } from './confirm-button.js';
import { ROLE_TITLES, type Member } from './directory.js';
import type { Directory } from './directory-context.js';
import { ErrorNote } from './error-note.js';
import { grantableRoles } from './new-member-form.js';
import { OneTimeSecret } from './one-time-secret.js';

const RESET_DETAIL =
  'Their password stops working and their sign-ins end. You get a one-time secret to give them.';
const FIELDS = ['body.displayName', 'body.role', 'body.groupId', 'body.ssoId'];

/** One member: name, role, group, SSO ID; disable or enable, unlock, reset the password. */
export function MemberEditor(props: { readonly member: Member; readonly directory: Directory }) {
  const { member, directory } = props;
  const [error, setError] = useState<unknown>();
  const [note, setNote] = useState<string>();
  const [secret, setSecret] = useState<string>();
  const roles = grantableRoles(directory);

  const run = async (what: () => Promise<void>, done: string) => {
    setError(undefined);
    setNote(undefined);
    try {
      await what();
      setNote(done);
      await directory.reload();
    } catch (failure) {
      setError(failure);
    }
  };
  const action = (name: string, done: string) =>
    run(async () => {
      const answer = await api<{ oneTimeSecret?: string }>(`/api/v1/members/${member.id}/${name}`, {
        method: 'POST',
      });
      if (answer.oneTimeSecret) setSecret(answer.oneTimeSecret);
    }, done);
  const save = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const groupId = String(form.get('groupId') ?? '');
    const ssoId = String(form.get('ssoId') ?? '').trim();
    const role = String(form.get('role'));
    return run(async () => {
      await api(`/api/v1/members/${member.id}`, {
        method: 'PATCH',
        body: {
          displayName: String(form.get('displayName')),
          ...(role !== member.role ? { role } : {}),
          ...(groupId !== (member.groupId ?? '') ? { groupId: groupId || null } : {}),
          ...(ssoId !== (member.ssoId ?? '') ? { ssoId: ssoId || null } : {}),
          ssoDisabled: form.get('ssoDisabled') === 'on',
        },
      });
    }, 'Saved.');
  };

  return (
    <div class="card stack member-editor">
      <form onSubmit={save} aria-label={`Technician ${member.displayName}`}>
        <h2>
          <span class="name">{member.displayName}</span>
        </h2>
        <p class="muted">{member.email}</p>
        <label for="edit-name">Display name</label>
        <input id="edit-name" name="displayName" defaultValue={member.displayName} required />
        <ErrorNote error={error} field="body.displayName" />
        <label for="edit-role">Role</label>
        <ChoiceSelect
          id="edit-role"
          name="role"
          initial={member.role}
          choices={[...new Set([member.role, ...roles])].map(
            (role) => [role, ROLE_TITLES[role] ?? role, !roles.includes(role)] as const,
          )}
        />
        <ErrorNote error={error} field="body.role" />
        <label for="edit-group">Group</label>
        <ChoiceSelect
          id="edit-group"
          name="groupId"
          initial={member.groupId ?? ''}
          choices={[
            ['', 'No group', !directory.master],
            ...directory.placed.map((g) => [g.id, g.path] as const),
          ]}
        />
        <ErrorNote error={error} field="body.groupId" />
        <label for="edit-sso">SSO ID (NameID at the identity provider)</label>
        <input id="edit-sso" name="ssoId" defaultValue={member.ssoId ?? ''} maxLength={200} />
        <ErrorNote error={error} field="body.ssoId" />
        <label class="inline">
          <input type="checkbox" name="ssoDisabled" defaultChecked={member.ssoDisabled} /> Refuse
          single sign-on for this member
        </label>
        <div class="row form-actions">
          <button class="primary" type="submit">
            Save changes
          </button>
        </div>
      </form>
      <div class="row member-actions" role="group" aria-label="Account actions">
        {member.disabled ? (
          <button type="button" onClick={() => action('enable', 'Enabled.')}>
            Enable
          </button>
        ) : (
          <ConfirmButton
            question={`Disable ${member.displayName}?`}
            detail="They are signed out at once and cannot sign in until enabled again."
            confirm="Disable"
            onConfirm={() => action('disable', 'Disabled: their sign-ins have ended.')}
          >
            Disable
          </ConfirmButton>
        )}
        <button
          type="button"
          disabled={!member.locked}
          onClick={() => action('unlock', 'Unlocked.')}
        >
          Unlock
        </button>
        <ConfirmButton
          question={`Reset the password of ${member.displayName}?`}
          detail={RESET_DETAIL}
          confirm="Reset password"
          onConfirm={() => action('reset-password', 'Password reset.')}
        >
          Reset password
        </ConfirmButton>
      </div>
      <ErrorNote error={error} fieldsShownElsewhere={FIELDS} />
      {note ? (
        <p class="ok" role="status">
          {note}
        </p>
      ) : null}
      {secret ? <OneTimeSecret member={member} secret={secret} /> : null}
    </div>
  );
}
